// The panels: each draws one view of the simulation (or one set of
// controls) as its own ImGui window, reading the SimController every frame
// through the Ui it is given. View state a panel keeps between frames
// (scroll, filters, zoom) lives in its own file.
#pragma once

#include "../ui.h"

namespace ringsim::gui {

// Every panel below, in drawing order (all_panels.cpp).
void drawAllPanels(Ui& ui);

void drawControlsPanel(Ui& ui);
void drawRingsPanel(Ui& ui);
void drawTourPanel(Ui& ui);
void drawEventLogPanel(Ui& ui);
void drawCpuPanel(Ui& ui);
void drawCountersPanel(Ui& ui);
void drawWhyPanel(Ui& ui);
void drawSourcePanel(Ui& ui);

}  // namespace ringsim::gui
