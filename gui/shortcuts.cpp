#include "shortcuts.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

namespace ringsim::gui {

namespace {
// ImGui 1.86 indexes keys by the backend's own codes (GLFW's here): the
// named-key API (ImGuiKey_A, ...) arrived in 1.87.
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

void handleShortcuts(SimController& sim) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
    auto pressed = [](Shortcut s, bool repeat) { return ImGui::IsKeyPressed(keyCode(s), repeat); };
    if (pressed(Shortcut::RunPause, false)) {
        if (sim.running()) sim.pause();
        else sim.run();
    }
    // Held down, the step keys repeat: a quick way through a few dozen instructions.
    if (pressed(Shortcut::StepInstruction, true)) sim.stepInstruction();
    if (pressed(Shortcut::StepEvent, true)) sim.stepEvent();
    if (pressed(Shortcut::NextTourStop, false)) sim.nextTourStop();
    if (pressed(Shortcut::Reset, false)) sim.reset();
}

}  // namespace ringsim::gui
