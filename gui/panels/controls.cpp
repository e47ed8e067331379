// Controls: run / pause, stepping, reset, the tour's next stop, and the
// scenario and mode pickers. Also where a scenario that fails to load says why.
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "../guest_symbols.h"
#include "../elide.h"
#include "../layout.h"
#include "../shortcuts.h"
#include "../theme.h"
#include "monitors/monitor.h"
#include "panels.h"

namespace ringsim::gui {

namespace {
constexpr float kFullSpeedExponent = 7.0f;  // the slider's right end: 10^7 a second and beyond is "full speed"

// The shortcut in the button's tooltip, so it is learnt by using the mouse.
void keyTip(Shortcut s, const char* what) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s (key: %s)", what, shortcutKey(s));
}
}  // namespace

void drawControlsPanel(Ui& ui) {
    SimController& sim = ui.sim;
    placeNextWindow(PanelSlot::Controls);
    ImGui::Begin("Controls");
    Session* session = sim.session();
    const bool canRun = session && !session->finished();

    const bool busy = sim.rewinding();
    ImGui::BeginDisabled(!canRun || busy);
    if (sim.running()) {
        if (ImGui::Button("Pause")) sim.pause();
    } else if (ImGui::Button("Run")) {
        sim.run();
    }
    keyTip(Shortcut::RunPause, "run or pause the simulation");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!sim.scenario() || busy);
    if (ImGui::Button("Reset")) sim.reset();
    keyTip(Shortcut::Reset, "back to cycle 0, same scenario and mode");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ui.deck.following(sim)) {
        // In a lecture deck the same button goes on to the next lesson after the last stop.
        ImGui::BeginDisabled(busy || ui.deck.atEnd(sim));
        if (ImGui::Button("Next")) ui.deck.next(sim);
        keyTip(Shortcut::NextTourStop, "the tour's next stop; after the last, the deck's next lesson");
    } else {
        ImGui::BeginDisabled(busy || !sim.moreTourStops() || (!canRun && sim.shownStops() == sim.tour().reached().size()));
        if (ImGui::Button("Next tour stop")) sim.nextTourStop();
        keyTip(Shortcut::NextTourStop, "run to the tour's next stop and explain it");
    }
    ImGui::EndDisabled();

    // Stepping forward and back.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("step");
    ImGui::SameLine();
    ImGui::BeginDisabled(!session || busy || (!canRun && !sim.inFlight()));
    if (ImGui::Button("cycle")) sim.stepCycle();
    keyTip(Shortcut::StepCycle, "one cycle of the clock (a longer instruction takes several)");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!canRun || busy);
    if (ImGui::Button("instr")) sim.stepInstruction();
    keyTip(Shortcut::StepInstruction, "run one instruction");
    ImGui::SameLine();
    if (ImGui::Button("event")) sim.stepEvent();
    keyTip(Shortcut::StepEvent, "run to the next event in the log");
    ImGui::EndDisabled();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("back");
    ImGui::SameLine();
    const bool atStart = !session || session->machine().cpu.account.now == 0;
    ImGui::BeginDisabled(atStart || busy);
    if (ImGui::Button("instr##back")) sim.stepBackInstruction();
    keyTip(Shortcut::StepBackInstruction, "back one instruction (replays the run from cycle 0)");
    ImGui::SameLine();
    if (ImGui::Button("event##back")) sim.stepBackEvent();
    keyTip(Shortcut::StepBackEvent, "back to where the previous \"step event\" stopped (replays the run)");
    ImGui::EndDisabled();

    // To the next event of one kind: beside the steps back if the button and
    // a kind's name fit there, else on a line of its own.
    const ImGuiStyle& style = ImGui::GetStyle();
    sameLineIfFits(ImGui::CalcTextSize("Run to next sensitive-trapped").x + style.FramePadding.x * 4 + style.ItemSpacing.x +
                   ImGui::GetFrameHeight());
    ImGui::BeginDisabled(!canRun || busy);
    if (ImGui::Button("Run to next")) sim.stepToKind(sim.stepKind());
    keyTip(Shortcut::StepToKind, "run until an event of the chosen kind happens");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const std::string kindName(eventKindName(sim.stepKind()));
    if (beginComboElided("##kind", kindName)) {
        for (size_t k = 0; k < kEventKindCount; ++k) {
            const std::string name(eventKindName(EventKind(k)));
            if (ImGui::Selectable(name.c_str(), EventKind(k) == sim.stepKind())) sim.setStepKind(EventKind(k));
        }
        ImGui::EndCombo();
    }

    // Speed: one instruction a second up to full speed, on a log scale.
    float exponent = sim.speed() > 0 ? float(std::log10(sim.speed())) : kFullSpeedExponent;
    char speedText[48];
    if (exponent >= kFullSpeedExponent) std::snprintf(speedText, sizeof speedText, "full speed");
    else std::snprintf(speedText, sizeof speedText, "%.0f instructions/s", std::pow(10.0, double(exponent)));
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::SliderFloat("##speed", &exponent, 0.0f, kFullSpeedExponent, speedText, ImGuiSliderFlags_NoInput))
        sim.setSpeed(exponent >= kFullSpeedExponent - 0.01f ? 0.0 : std::pow(10.0, double(exponent)));
    keyTip(Shortcut::Faster, "how fast Run goes (keys: + faster, - slower)");

    // Scenario picker: the bundled scenarios by title.
    const std::string current = sim.scenario() ? sim.scenario()->title : sim.scenarioPath();
    const float modeWidth = ImGui::CalcTextSize("binary-translation").x + ImGui::GetFrameHeight() + 8;  // at any text size
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - modeWidth - ImGui::GetStyle().ItemSpacing.x);
    if (beginComboElided("##scenario", current)) {
        for (const auto& entry : sim.bundled()) {
            const bool selected = entry.path == sim.scenarioPath();
            if (ImGui::Selectable(entry.title.c_str(), selected)) sim.open(entry.path);
            if (selected) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("scenario: %s (keys: [ and ] for the previous and next)", current.c_str());
    // Mode picker: every mode the simulator knows.
    ImGui::SameLine();
    ImGui::SetNextItemWidth(modeWidth);
    if (beginComboElided("##mode", modeName(sim.mode()))) {
        for (const auto& info : modeTable()) {
            const std::string name(info.name);
            if (ImGui::Selectable(name.c_str(), info.mode == sim.mode())) sim.chooseMode(info.mode);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%.*s", int(info.summary.size()), info.summary.data());
        }
        ImGui::EndCombo();
    }
    keyTip(Shortcut::NextMode, "the mode the run is in; the key goes through the scenario's modes");

    if (session) {
        const Cpu& cpu = session->machine().cpu;
        if (const auto& f = sim.inFlight()) {
            ImGui::Text("cycle %llu of %llu..%llu: instruction at 0x%08x", static_cast<unsigned long long>(f->cursor),
                        static_cast<unsigned long long>(f->start), static_cast<unsigned long long>(f->end - 1), f->pc);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Instructions retire whole in this CPU: the registers already show its result,\n"
                                  "the clock shows the cycles it occupies. The next instruction starts at cycle %llu.",
                                  static_cast<unsigned long long>(f->end));
        } else {
            ImGui::Text("cycle %llu   instructions %llu", static_cast<unsigned long long>(cpu.account.now),
                        static_cast<unsigned long long>(cpu.stats().instructions));
        }
        if (const std::string stop = breakpointStopText(sim); !stop.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
            ImGui::TextWrapped("%s", stop.c_str());
            ImGui::PopStyleColor();
        }
        if (sim.rewinding()) {
            ImGui::ProgressBar(float(sim.rewindProgress()), ImVec2(-FLT_MIN, 0), "stepping back: replaying from cycle 0");
        } else if (session->finished()) {
            ImGui::TextColored(palette().noticeText, "the run has ended: %.*s",
                               int(stopReasonName(session->lastStop()).size()), stopReasonName(session->lastStop()).data());
            // Why, when the guest did not end cleanly: which fault, where (the CPU's own words).
            if (session->lastStop() != StopReason::Halted && !cpu.stopMessage().empty()) {
                ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
                ImGui::TextWrapped("%s", cpu.stopMessage().c_str());
                ImGui::PopStyleColor();
            }
        }
    }
    // A scenario that fails to load, or a mode that cannot run it: the message, readable, here.
    if (!sim.error().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
        ImGui::TextWrapped("%s", sim.error().c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
