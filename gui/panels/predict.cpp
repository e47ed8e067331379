// Predict, then reveal: a modal question over the whole window (so the
// event log and the rings cannot give the answer away) when the run has
// stopped at a new kind of transition; the answer, its explanation and the
// score once the student has committed to a prediction.
#include <imgui.h>

#include <algorithm>
#include <optional>
#include <string>

#include "monitors/monitor.h"

#include "panels.h"

namespace ringsim::gui {

namespace {

void verdict(bool right) {
    ImGui::SameLine();
    if (right) ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.4f, 1), "right");
    else ImGui::TextColored(ImVec4(1.0f, 0.5f, 0.4f, 1), "not this time");
}

}  // namespace

void drawPredictPanel(Ui& ui) {
    PredictPanelState& view = ui.panels.predict;
    SimController& sim = ui.sim;
    const auto& question = sim.question();
    // Until the student has answered, the panels behind are all but hidden:
    // the rings and the event log already show what happened. (The dimming is
    // drawn at the end of the frame, so the style's colour is set, not pushed.)
    std::optional<ImVec4>& themeDim = view.themeDim;
    ImVec4& dim = ImGui::GetStyle().Colors[ImGuiCol_ModalWindowDimBg];
    if (!question) {
        if (themeDim) dim = *themeDim, themeDim.reset();
        return;
    }
    if (!themeDim) themeDim = dim;
    dim = sim.answer() ? *themeDim : ImVec4(0.06f, 0.06f, 0.08f, 0.96f);
    if (view.question != question->event) view = PredictPanelState{-99, -1, question->event, view.themeDim};
    if (!ImGui::IsPopupOpen("Predict, then reveal")) ImGui::OpenPopup("Predict, then reveal");
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(640.0f, display.x - 40), 0), ImGuiCond_Always);
    if (!ImGui::BeginPopupModal("Predict, then reveal", nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove))
        return;
    ImGui::PushFont(ui.fonts.large);
    ImGui::TextWrapped("%s", question->situation.c_str());
    ImGui::PopFont();
    ImGui::TextWrapped("What happens next?");
    ImGui::Separator();

    const bool answered = sim.answer().has_value();
    const ModeInfo* mode = &modeInfo(sim.mode());
    const bool rootRing = mode && mode->needsHardwareAssist;
    ImGui::BeginDisabled(answered);
    ImGui::TextUnformatted("Control goes to ring:");
    for (int ring : {-1, 0, 1, 2, 3}) {
        if (ring == -1 && !rootRing) continue;
        ImGui::SameLine();
        ImGui::RadioButton(std::to_string(ring).c_str(), &view.ring, ring);
    }
    ImGui::TextUnformatted("By way of:");
    for (size_t m = 0; m < kChoiceCount; ++m) {
        const std::string_view name = choiceName(Choice(m));
        ImGui::RadioButton(std::string(name).c_str(), &view.mechanism, int(m));
        if (m % 2 == 0 && m + 1 < kChoiceCount) ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0.5f);
    }
    ImGui::EndDisabled();
    ImGui::Spacing();
    if (!answered) {
        ImGui::BeginDisabled(view.ring == -99 || view.mechanism < 0);
        if (ImGui::Button("Reveal", ImVec2(120, 0)))
            sim.giveAnswer({view.ring, Choice(view.mechanism)});
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("Skip")) sim.dismissQuestion();
    } else {
        const auto& a = *sim.answer();
        ImGui::Separator();
        ImGui::Text("Ring %d -> %d", question->ringBefore, question->ringAfter);
        verdict(a.ring == question->ringAfter);
        const std::string_view right = choiceName(question->mechanism);
        ImGui::Text("%.*s", int(right.size()), right.data());
        verdict(a.mechanism == question->mechanism);
        const std::string_view why = choiceExplanation(question->mechanism);
        ImGui::TextWrapped("%.*s", int(why.size()), why.data());
        if (Session* session = sim.session(); session && question->event >= session->machine().events.firstRetained() &&
                                               question->event < session->machine().events.total())
            ImGui::TextDisabled("%s", describeEvent(session->machine().events.at(question->event)).c_str());
        if (ImGui::Button("Continue", ImVec2(120, 0))) {
            ui.selection.select(question->event);
            sim.dismissQuestion();
        }
    }
    const auto& score = sim.score();
    ImGui::SameLine();
    ImGui::TextDisabled("score: rings %u of %u, mechanisms %u of %u", score.ringsRight, score.asked, score.mechanismsRight,
                        score.asked);
    ImGui::EndPopup();
}

}  // namespace ringsim::gui
