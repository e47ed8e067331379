// Keyboard shortcuts for the controls, so a lecturer can step without the mouse.
// One table (shortcuts()) says which key does what: the key handling, the
// tooltips and the help window all read it.
#pragma once

#include <span>
#include <vector>

#include "ui.h"

namespace ringsim::gui {

enum class Shortcut {
    RunPause, StepInstruction, StepEvent, NextTourStop, Reset, Help, Presentation, LockLayout, Theme,
    StepCycle, StepBackInstruction, StepBackEvent, StepToKind, Faster, Slower,
    NextMode, NextScenario, PreviousScenario, DeckNext, DeckPreviousLesson
};

struct ShortcutInfo {
    Shortcut id;
    int glfwKey;          // GLFW's key code: ImGui 1.86 has no names for letter keys (they came in 1.87)
    const char* keyName;  // as the user reads it: "Space", "I", "F1"
    const char* what;     // what it does, for the help window
};

// Every shortcut, in the order the help window lists them.
std::span<const ShortcutInfo> shortcuts();
// The key's name, for tooltips and the help text ("Space", "I", ...).
const char* shortcutKey(Shortcut s);
// Once a frame: acts on the keys pressed since the last frame (GLFW key
// codes, from AppShell::takePressedKeys), unless a text field has the keyboard.
void handleShortcuts(Ui& ui, const std::vector<int>& pressedKeys);

}  // namespace ringsim::gui
