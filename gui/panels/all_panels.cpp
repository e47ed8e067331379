// The one list of panels drawn every frame, in drawing order.
#include "panels.h"

namespace ringsim::gui {

void drawAllPanels(Ui& ui) {
    drawControlsPanel(ui);
    drawStagePanel(ui);
    drawTourPanel(ui);
    drawTimelinePanel(ui);
    drawEventLogPanel(ui);
    drawCpuPanel(ui);
    drawVirtualCpuPanel(ui);
    drawCountersPanel(ui);
    drawWhyPanel(ui);
    drawConsolePanel(ui);
    drawSourcePanel(ui);
    drawComparePanel(ui);
    drawTranslationCachePanel(ui);
    drawHypercallsPanel(ui);
    drawExitControlsPanel(ui);
    drawMechanismPlaceholderPanel(ui);
    // Keep last: a modal over the others (a window begun after an open modal trips ImGui).
    drawPredictPanel(ui);
}

}  // namespace ringsim::gui
