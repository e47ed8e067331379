// --edit-source-line FILE:LINE:TEXT: one line of a guest source replaced and
// the guest assembled and reloaded, as the Source panel would, so a test or
// a demonstration can show the editor with an assembly error in it.
#pragma once

#include <string>

#include "sim_controller.h"

namespace ringsim::gui {

// Returns an empty string, or why the edit could not be made (an assembly
// error is not a failure here: the Source panel shows it).
std::string editSourceLine(SimController& sim, const std::string& spec);

}  // namespace ringsim::gui
