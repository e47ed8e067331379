// Tour: the scenario's guided tour. The stop reached last is shown in large
// text, for a lecture hall; the scenario's summary before the first stop.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include <string>

#include "../layout.h"
#include "../theme.h"
#include "panels.h"

namespace ringsim::gui {

void drawTourPanel(Ui& ui) {
    SimController& sim = ui.sim;
    const Fonts& fonts = ui.fonts;
    placeNextWindow(PanelSlot::Tour);
    ImGui::Begin("Tour");
    const Scenario* scenario = sim.scenario();
    if (!scenario) {
        // Where the lecturer looks first: say plainly why nothing runs.
        ImGui::PushFont(fonts.large);
        ImGui::TextWrapped("No scenario is loaded.");
        ImGui::PopFont();
        if (!sim.error().empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
            ImGui::TextWrapped("%s", sim.error().c_str());
            ImGui::PopStyleColor();
        }
        ImGui::TextWrapped("Pick a bundled scenario in Controls.");
        ImGui::End();
        return;
    }
    if (drawDeckInTour(ui)) {
        ImGui::End();
        return;
    }
    const TourCursor& tour = sim.tour();
    if (!sim.tourNote().empty()) {
        ImGui::TextDisabled("%s", sim.tourNote().c_str());
        // One click to a mode the tour is written for.
        if (scenario->tour && !scenario->tour->modes.empty()) {
            const Mode first = scenario->tour->modes.front();
            if (ImGui::Button(("Follow the tour in " + std::string(modeName(first))).c_str())) sim.chooseMode(first);
        }
    }
    const size_t shown = sim.shownStops();
    if (tour.active()) ImGui::Text("stop %zu of %zu", shown, tour.stops());
    ImGui::Separator();
    ImGui::PushFont(fonts.large);
    const std::string& text = shown > 0 ? tour.reached()[shown - 1].text : scenario->title;
    // A stop's text is what the hall reads: shrink it (to 70% at most) rather
    // than leave its end below the panel's edge, under the predict line.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float reserved = ImGui::GetFrameHeightWithSpacing() + style.ItemSpacing.y * 2 +
                           (shown == 0 ? ImGui::GetTextLineHeightWithSpacing() * 3 : 0.0f);
    const float room = ImGui::GetContentRegionAvail().y - reserved;
    const float wrap = ImGui::GetContentRegionAvail().x;
    const float needed = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap).y;
    // Lines get shorter and fewer at once: the height goes with the square of the scale.
    const float scale = needed > room && room > 0 ? std::max(0.7f, std::sqrt(room / needed) * 0.97f) : 1.0f;
    ImGui::SetWindowFontScale(scale);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopFont();
    if (shown == 0) ImGui::TextWrapped("%s", scenario->summary.c_str());
    // The student's mode: asked before each new kind of transition is shown.
    ImGui::Separator();
    bool predict = sim.predict();
    if (ImGui::Checkbox("Predict, then reveal", &predict)) sim.setPredict(predict);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Before the instruction that causes a new kind of trap, system call,\n"
                          "hypercall or VM exit runs, the run pauses and asks where control goes and how.");
    // Beside the box when it fits, else under it (a narrow panel at a large text size).
    if (const auto& score = sim.score(); score.asked > 0) {
        const std::string text = fmt::format("rings {}/{}, mechanisms {}/{}", score.ringsRight, score.asked,
                                             score.mechanismsRight, score.asked);
        const float beside = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(text.c_str()).x;
        if (beside <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
        ImGui::TextDisabled("%s", text.c_str());
    }
    ImGui::End();
}

}  // namespace ringsim::gui
