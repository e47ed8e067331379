#include "shortcuts.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>

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
    case Shortcut::StepCycle: return GLFW_KEY_C;
    case Shortcut::StepBackInstruction: return GLFW_KEY_U;
    case Shortcut::StepBackEvent: return GLFW_KEY_W;
    case Shortcut::StepToKind: return GLFW_KEY_K;
    case Shortcut::Faster: return GLFW_KEY_EQUAL;
    case Shortcut::Slower: return GLFW_KEY_MINUS;
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
    case Shortcut::StepCycle: return "C";
    case Shortcut::StepBackInstruction: return "U";
    case Shortcut::StepBackEvent: return "W";
    case Shortcut::StepToKind: return "K";
    case Shortcut::Faster: return "+";
    case Shortcut::Slower: return "-";
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
        } else if (key == keyCode(Shortcut::StepCycle)) {
            sim.stepCycle();
        } else if (key == keyCode(Shortcut::StepBackInstruction)) {
            sim.stepBackInstruction();
        } else if (key == keyCode(Shortcut::StepBackEvent)) {
            sim.stepBackEvent();
        } else if (key == keyCode(Shortcut::StepToKind)) {
            sim.stepToKind(sim.stepKind());
        } else if (key == keyCode(Shortcut::Faster) || key == keyCode(Shortcut::Slower)) {
            // A decade at a time; faster than 10^7 a second is full speed (0).
            const double now = sim.speed() > 0 ? sim.speed() : 1e7;
            const double next = key == keyCode(Shortcut::Faster) ? now * 10 : now / 10;
            sim.setSpeed(next >= 1e7 ? 0.0 : std::max(1.0, next));
        }
    }
}

}  // namespace ringsim::gui
