#include "shortcuts.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>

namespace ringsim::gui {

namespace {
const ShortcutInfo kShortcuts[] = {
    {Shortcut::RunPause, GLFW_KEY_SPACE, "Space", "run or pause the simulation"},
    {Shortcut::StepInstruction, GLFW_KEY_I, "I", "run one instruction"},
    {Shortcut::StepEvent, GLFW_KEY_E, "E", "run to the next event in the log"},
    {Shortcut::StepCycle, GLFW_KEY_C, "C", "one cycle of the clock (a longer instruction takes several)"},
    {Shortcut::StepBackInstruction, GLFW_KEY_U, "U", "back one instruction (replays the run from cycle 0)"},
    {Shortcut::StepBackEvent, GLFW_KEY_W, "W", "back to where the previous \"step event\" stopped"},
    {Shortcut::StepToKind, GLFW_KEY_K, "K", "run until an event of the kind chosen in Controls"},
    {Shortcut::Faster, GLFW_KEY_EQUAL, "+", "run faster (a factor of ten; the top is full speed)"},
    {Shortcut::Slower, GLFW_KEY_MINUS, "-", "run slower (down to one instruction a second)"},
    {Shortcut::NextMode, GLFW_KEY_M, "M", "the scenario's next mode (starts the run again in it)"},
    {Shortcut::NextScenario, GLFW_KEY_RIGHT_BRACKET, "]", "the next bundled scenario"},
    {Shortcut::PreviousScenario, GLFW_KEY_LEFT_BRACKET, "[", "the previous bundled scenario"},
    {Shortcut::NextTourStop, GLFW_KEY_N, "N", "run to the tour's next stop and explain it (in a lecture deck, then the next lesson)"},
    // A presenter's clicker sends Page Down and Page Up.
    {Shortcut::DeckNext, GLFW_KEY_PAGE_DOWN, "Page Down", "lecture deck: the next stop, after the last the next lesson"},
    {Shortcut::DeckPreviousLesson, GLFW_KEY_PAGE_UP, "Page Up", "lecture deck: back to the previous lesson's title card"},
    {Shortcut::Reset, GLFW_KEY_R, "R", "back to cycle 0, same scenario and mode"},
    {Shortcut::Help, GLFW_KEY_F1, "F1", "show or hide this list of keys"},
    {Shortcut::Presentation, GLFW_KEY_P, "P", "presentation mode: large text, high contrast, rings and tour enlarged"},
    {Shortcut::LockLayout, GLFW_KEY_L, "L", "lock the layout: panels cannot be moved or resized"},
    {Shortcut::Theme, GLFW_KEY_T, "T", "switch between the dark and the light theme"},
};

const ShortcutInfo* byKey(int key) {
    for (const ShortcutInfo& s : kShortcuts)
        if (s.glfwKey == key) return &s;
    return nullptr;
}
}  // namespace

std::span<const ShortcutInfo> shortcuts() { return kShortcuts; }

const char* shortcutKey(Shortcut s) {
    for (const ShortcutInfo& info : kShortcuts)
        if (info.id == s) return info.keyName;
    return "";
}

void handleShortcuts(Ui& ui, const std::vector<int>& pressedKeys) {
    SimController& sim = ui.sim;
    Settings& settings = ui.settings;
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
    // Held down, a key repeats (GLFW_REPEAT): a quick way through a few dozen instructions.
    for (int key : pressedKeys) {
        const ShortcutInfo* shortcut = byKey(key);
        if (!shortcut) continue;
        switch (shortcut->id) {
        case Shortcut::RunPause:
            if (sim.running()) sim.pause();
            else sim.run();
            break;
        case Shortcut::StepInstruction: sim.stepInstruction(); break;
        case Shortcut::StepEvent: sim.stepEvent(); break;
        case Shortcut::StepCycle: sim.stepCycle(); break;
        case Shortcut::StepBackInstruction: sim.stepBackInstruction(); break;
        case Shortcut::StepBackEvent: sim.stepBackEvent(); break;
        case Shortcut::StepToKind: sim.stepToKind(sim.stepKind()); break;
        case Shortcut::Faster:
        case Shortcut::Slower: {
            // A decade at a time; faster than 10^7 a second is full speed (0).
            const double now = sim.speed() > 0 ? sim.speed() : 1e7;
            const double next = shortcut->id == Shortcut::Faster ? now * 10 : now / 10;
            sim.setSpeed(next >= 1e7 ? 0.0 : std::max(1.0, next));
            break;
        }
        case Shortcut::NextMode: sim.cycleMode(1); break;
        case Shortcut::NextScenario: sim.cycleScenario(1); break;
        case Shortcut::PreviousScenario: sim.cycleScenario(-1); break;
        case Shortcut::NextTourStop:
        case Shortcut::DeckNext: ui.deck.next(sim); break;
        case Shortcut::DeckPreviousLesson: ui.deck.previousLesson(sim); break;
        case Shortcut::Reset: sim.reset(); break;
        case Shortcut::Help: ui.helpOpen = !ui.helpOpen; break;
        case Shortcut::Presentation: settings.presentation = !settings.presentation; break;
        case Shortcut::LockLayout: settings.layoutLocked = !settings.layoutLocked; break;
        case Shortcut::Theme: settings.darkTheme = !settings.darkTheme; break;
        }
    }
}

}  // namespace ringsim::gui
