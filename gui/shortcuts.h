// Keyboard shortcuts for the controls, so a lecturer can step without the mouse.
#pragma once

#include "sim_controller.h"

namespace ringsim::gui {

enum class Shortcut { RunPause, StepInstruction, StepEvent, NextTourStop, Reset };

// The key's name, for tooltips and the help text ("Space", "I", ...).
const char* shortcutKey(Shortcut s);
// Once a frame: acts on the keys pressed, unless a text field has the keyboard.
void handleShortcuts(SimController& sim);

}  // namespace ringsim::gui
