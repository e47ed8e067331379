// ringsim-gui's --breakpoint and --run-to-breakpoint.
#pragma once

#include <string>
#include <vector>

#include "sim_controller.h"

namespace ringsim::gui {

// Sets the breakpoints named on the command line (addresses or labels) and,
// if asked, runs to the first one reached, printing one line on where it
// stopped. False, with a message on stderr, for a name that is neither.
bool applyBreakpointOptions(SimController& sim, const std::vector<std::string>& specs, bool runToBreakpoint);

}  // namespace ringsim::gui
