// Controls: run / pause, stepping, reset, the tour's next stop, and the
// scenario and mode pickers. Also where a scenario that fails to load says why.
#include <imgui.h>

#include <string>

#include "../guest_symbols.h"
#include "../layout.h"
#include "../shortcuts.h"
#include "core/monitor.h"
#include "panels.h"

namespace ringsim::gui {

namespace {
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

    ImGui::BeginDisabled(!canRun);
    if (sim.running()) {
        if (ImGui::Button("Pause")) sim.pause();
    } else if (ImGui::Button("Run")) {
        sim.run();
    }
    keyTip(Shortcut::RunPause, "run or pause the simulation");
    ImGui::SameLine();
    if (ImGui::Button("Step instruction")) sim.stepInstruction();
    keyTip(Shortcut::StepInstruction, "run one instruction");
    ImGui::SameLine();
    if (ImGui::Button("Step event")) sim.stepEvent();
    keyTip(Shortcut::StepEvent, "run to the next event in the log");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!sim.scenario());
    if (ImGui::Button("Reset")) sim.reset();
    keyTip(Shortcut::Reset, "back to cycle 0, same scenario and mode");
    ImGui::EndDisabled();

    ImGui::BeginDisabled(!sim.moreTourStops() || (!canRun && sim.shownStops() == sim.tour().reached().size()));
    if (ImGui::Button("Next tour stop")) sim.nextTourStop();
    keyTip(Shortcut::NextTourStop, "run to the tour's next stop and explain it");
    ImGui::EndDisabled();
    if (sim.busy() && !sim.running()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(sim.goal() == SimController::Goal::TourStop ? "running to the next stop..."
                                                                           : "running to the next event...");
    }

    // Scenario picker: the bundled scenarios by title.
    const std::string current = sim.scenario() ? sim.scenario()->title : sim.scenarioPath();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::BeginCombo("##scenario", current.c_str())) {
        for (const auto& entry : sim.bundled()) {
            const bool selected = entry.path == sim.scenarioPath();
            if (ImGui::Selectable(entry.title.c_str(), selected)) sim.open(entry.path);
            if (selected) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    // Mode picker: every mode the simulator knows; the scenario's own come first in its file.
    ImGui::SetNextItemWidth(200);
    if (ImGui::BeginCombo("mode", sim.mode().c_str())) {
        for (const auto& info : modeTable()) {
            const std::string name(info.name);
            if (ImGui::Selectable(name.c_str(), name == sim.mode())) sim.chooseMode(name);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%.*s", int(info.summary.size()), info.summary.data());
        }
        ImGui::EndCombo();
    }

    if (session) {
        const Cpu& cpu = session->machine().cpu;
        ImGui::Text("cycle %llu   instructions %llu", static_cast<unsigned long long>(cpu.account.now),
                    static_cast<unsigned long long>(cpu.stats().instructions));
        if (const std::string stop = breakpointStopText(sim); !stop.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
            ImGui::TextWrapped("%s", stop.c_str());
            ImGui::PopStyleColor();
        }
        if (session->finished())
            ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "the run has ended: %.*s",
                               int(stopReasonName(session->lastStop()).size()), stopReasonName(session->lastStop()).data());
    }
    // A scenario that fails to load, or a mode that cannot run it: the message, readable, here.
    if (!sim.error().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", sim.error().c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
