// The tour drives the window: when a new stop is shown (by "next stop", or
// by a run that reached it), the stop's event is selected, so the stage,
// the "Why did this happen?" card and the event log all show it.
#pragma once

#include "ui.h"

namespace ringsim::gui {

// Once a frame, after the simulation has advanced.
void followTour(Ui& ui);

}  // namespace ringsim::gui
