// Predict, then reveal. The run has been taken back to the instruction
// boundary before the instruction that causes a new kind of transition
// (sim_predict.cpp), so nothing behind the question shows the event yet. The
// question is a modal box in the middle; once answered, the instruction has
// run and the answer moves to a box at the foot of the window, so the stage
// can play the transition above it. Both boxes grow with the text size.
#include <imgui.h>
#include <imgui_internal.h>  // BringWindowToDisplayFront: the answer stays over the panels it does not hide

#include <algorithm>
#include <string>

#include "monitors/monitor.h"

#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr const char* kQuestionTitle = "Predict, then reveal";
constexpr const char* kAnswerTitle = "Predict, then reveal: the answer";

// Wide enough for the longest answer at any text size, as far as the window allows.
float boxWidth() {
    const float font = ImGui::GetFontSize();
    const float display = ImGui::GetIO().DisplaySize.x;
    return std::min(font * 44.0f, display - 2 * font);
}

void verdict(bool right) {
    ImGui::SameLine();
    if (right) ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.4f, 1), "right");
    else ImGui::TextColored(ImVec4(1.0f, 0.5f, 0.4f, 1), "not this time");
}

void drawScore(const SimController::Score& score) {
    ImGui::TextDisabled("score: rings %u of %u, mechanisms %u of %u", score.ringsRight, score.asked,
                        score.mechanismsRight, score.asked);
}

// The instruction the question is about, where it is in the source.
void drawInstruction(Ui& ui, const Question& q) {
    if (!q.code) return;
    ImGui::PushFont(ui.fonts.mono);
    if (q.code->line > 0) ImGui::TextWrapped("%s:%d  %s", q.code->file.c_str(), q.code->line, q.code->instruction.c_str());
    else ImGui::TextWrapped("%s  %s", q.code->image.c_str(), q.code->instruction.c_str());
    if (!q.sourceText.empty()) ImGui::TextDisabled("%s", q.sourceText.c_str());
    ImGui::PopFont();
}

// The choices, in two columns when the longest fits twice in the box, else in one.
void drawChoices(PredictPanelState& view, bool rootRing) {
    ImGui::TextUnformatted("Control goes to ring:");
    for (int ring : {-1, 0, 1, 2, 3}) {
        if (ring == -1 && !rootRing) continue;
        ImGui::SameLine();
        ImGui::RadioButton(std::to_string(ring).c_str(), &view.ring, ring);
    }
    ImGui::TextUnformatted("By way of:");
    float widest = 0;
    for (size_t m = 0; m < kChoiceCount; ++m) {
        const std::string_view name = choiceName(Choice(m));
        widest = std::max(widest, ImGui::CalcTextSize(name.data(), name.data() + name.size()).x);
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float column = widest + ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + style.ItemSpacing.x * 2;
    const bool twoColumns = 2 * column <= ImGui::GetContentRegionAvail().x;
    for (size_t m = 0; m < kChoiceCount; ++m) {
        const std::string name(choiceName(Choice(m)));
        ImGui::RadioButton(name.c_str(), &view.mechanism, int(m));
        if (twoColumns && m % 2 == 0 && m + 1 < kChoiceCount) ImGui::SameLine(column);
    }
}

void drawQuestion(Ui& ui, const Question& question) {
    PredictPanelState& view = ui.panels.predict;
    SimController& sim = ui.sim;
    if (!ImGui::IsPopupOpen(kQuestionTitle)) ImGui::OpenPopup(kQuestionTitle);
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float font = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(boxWidth(), 0), ImGuiCond_Always);
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(display.x, display.y - 2 * font));
    // Opaque, so that the panels behind do not show through the text.
    ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_PopupBg];
    background.w = 1.0f;
    ImGui::PushStyleColor(ImGuiCol_PopupBg, background);
    const bool open = ImGui::BeginPopupModal(kQuestionTitle, nullptr, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove);
    ImGui::PopStyleColor();
    if (!open) return;
    ImGui::PushFont(ui.fonts.large);
    ImGui::TextWrapped("%s", question.situation.c_str());
    ImGui::PopFont();
    drawInstruction(ui, question);
    ImGui::TextWrapped("What happens next?");
    ImGui::Separator();
    const ModeInfo& mode = modeInfo(sim.mode());
    drawChoices(view, mode.needsHardwareAssist);
    ImGui::Spacing();
    ImGui::BeginDisabled(view.ring == -99 || view.mechanism < 0);
    const bool reveal = ImGui::Button("Reveal");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Skip")) {
        sim.dismissQuestion();
        ImGui::CloseCurrentPopup();
    }
    drawScore(sim.score());
    if (reveal) {
        sim.giveAnswer({view.ring, Choice(view.mechanism)});
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// After the answer: at the foot of the window, not dimming it, so the stage plays the transition above.
void drawAnswer(Ui& ui, const Question& question, const SimController::Answer& answer) {
    SimController& sim = ui.sim;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float font = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y - font), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    ImGui::SetNextWindowSize(ImVec2(boxWidth(), 0), ImGuiCond_Always);
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(display.x, display.y * 0.6f));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings;
    if (ImGui::Begin(kAnswerTitle, nullptr, flags)) {
        ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
        ImGui::TextWrapped("%s", question.situation.c_str());
        ImGui::Separator();
        ImGui::PushFont(ui.fonts.large);
        ImGui::Text("Ring %d -> %d", question.ringBefore, question.ringAfter);
        verdict(answer.ring == question.ringAfter);
        const std::string right(choiceName(question.mechanism));
        ImGui::TextWrapped("%s", right.c_str());
        verdict(answer.mechanism == question.mechanism);
        ImGui::PopFont();
        const std::string why(choiceExplanation(question.mechanism));
        ImGui::TextWrapped("%s", why.c_str());
        if (Session* session = sim.session(); session && question.event >= session->machine().events.firstRetained() &&
                                               question.event < session->machine().events.total())
            ImGui::TextDisabled("%s", describeEvent(session->machine().events.at(question.event)).c_str());
        if (ImGui::Button("Continue")) {
            ui.selection.select(question.event);
            sim.dismissQuestion();
        }
        ImGui::SameLine();
        drawScore(sim.score());
    }
    ImGui::End();
}

}  // namespace

void drawPredictPanel(Ui& ui) {
    PredictPanelState& view = ui.panels.predict;
    const auto& question = ui.sim.question();
    if (!question) return;
    if (view.question != question->event) view = PredictPanelState{-99, -1, question->event};
    if (const auto& answer = ui.sim.answer()) drawAnswer(ui, *question, *answer);
    else drawQuestion(ui, *question);
}

}  // namespace ringsim::gui
