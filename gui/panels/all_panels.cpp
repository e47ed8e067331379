// The one list of panels drawn every frame, in drawing order.
#include "panels.h"

namespace ringsim::gui {

void drawAllPanels(Ui& ui) {
    drawControlsPanel(ui);
    drawRingsPanel(ui);
    drawTourPanel(ui);
    drawEventLogPanel(ui);
    drawCpuPanel(ui);
    drawCountersPanel(ui);
    drawWhyPanel(ui);
    drawSourcePanel(ui);
}

}  // namespace ringsim::gui
