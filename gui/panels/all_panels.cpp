// The one list of panels drawn every frame, in drawing order.
#include "panels.h"

namespace ringsim::gui {

void drawAllPanels(Ui& ui) {
    drawControlsPanel(ui);
    drawRingsPanel(ui);
    drawTourPanel(ui);
    drawTimelinePanel(ui);
    drawEventLogPanel(ui);
    drawCpuPanel(ui);
    drawCountersPanel(ui);
    drawPredictPanel(ui);  // last: a modal over the others
    drawTranslationCachePanel(ui);
    drawHypercallsPanel(ui);
    drawExitControlsPanel(ui);
    drawMechanismPlaceholderPanel(ui);
}

}  // namespace ringsim::gui
