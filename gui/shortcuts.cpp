#include "shortcuts.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

namespace ringsim::gui {

namespace {
// GLFW's key codes: ImGui 1.86 has no names for letter keys (they came in 1.87).
int keyCode(Shortcut s) {
    switch (s) {
    case Shortcut::RunPause: return GLFW_KEY_SPACE;
    case Shortcut::StepInstruction: return GLFW_KEY_I;
    case Shortcut::StepEvent: return GLFW_KEY_E;
    case Shortcut::NextTourStop: return GLFW_KEY_N;
    case Shortcut::Reset: return GLFW_KEY_R;
    }
    return GLFW_KEY_UNKNOWN;
}
}  // namespace

const char* shortcutKey(Shortcut s) {
    switch (s) {
    case Shortcut::RunPause: return "Space";
    case Shortcut::StepInstruction: return "I";
    case Shortcut::StepEvent: return "E";
    case Shortcut::NextTourStop: return "N";
    case Shortcut::Reset: return "R";
    }
    return "";
}

void handleShortcuts(SimController& sim, const std::vector<int>& pressedKeys) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
    // Held down, a key repeats (GLFW_REPEAT): a quick way through a few dozen instructions.
    for (int key : pressedKeys) {
        if (key == keyCode(Shortcut::RunPause)) {
            if (sim.running()) sim.pause();
            else sim.run();
        } else if (key == keyCode(Shortcut::StepInstruction)) {
            sim.stepInstruction();
        } else if (key == keyCode(Shortcut::StepEvent)) {
            sim.stepEvent();
        } else if (key == keyCode(Shortcut::NextTourStop)) {
            sim.nextTourStop();
        } else if (key == keyCode(Shortcut::Reset)) {
            sim.reset();
        }
    }
}

}  // namespace ringsim::gui
