// The panels: each draws one view of the simulation (or one set of
// controls) as its own ImGui window, reading the SimController every frame.
#pragma once

#include "../app_shell.h"
#include "../sim_controller.h"

namespace ringsim::gui {

void drawControlsPanel(SimController& sim);
void drawRingsPanel(SimController& sim);
void drawTourPanel(SimController& sim, const Fonts& fonts);
void drawEventLogPanel(SimController& sim);
void drawCpuPanel(SimController& sim);
void drawCountersPanel(SimController& sim);

}  // namespace ringsim::gui
