// Keyboard shortcuts for the controls, so a lecturer can step without the mouse.
#pragma once

#include <vector>

#include "sim_controller.h"

namespace ringsim::gui {

enum class Shortcut {
    RunPause, StepInstruction, StepEvent, NextTourStop, Reset,
    StepCycle, StepBackInstruction, StepBackEvent, StepToKind, Faster, Slower
};

// The key's name, for tooltips and the help text ("Space", "I", ...).
const char* shortcutKey(Shortcut s);
// Once a frame: acts on the keys pressed since the last frame (GLFW key
// codes, from AppShell::takePressedKeys), unless a text field has the keyboard.
void handleShortcuts(SimController& sim, const std::vector<int>& pressedKeys);

}  // namespace ringsim::gui
