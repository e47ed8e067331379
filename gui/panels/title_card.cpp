// The lecture deck inside the Tour panel: where the lesson stands in the deck
// ("lesson 3 of 16"), the title card that opens each lesson, and the lessons
// the deck had to leave out.
#include <imgui.h>

#include <string>

#include "../shortcuts.h"
#include "../theme.h"
#include "monitors/modes.h"
#include "panels.h"

namespace ringsim::gui {

namespace {
// The card's heading, over the large font: the line the back row reads first.
constexpr float kHeadingScale = 1.5f;

void drawProblems(const DeckController& deck) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
    for (const std::string& p : deck.problems()) ImGui::TextWrapped("%s", p.c_str());
    ImGui::PopStyleColor();
}
}  // namespace

bool drawDeckInTour(Ui& ui) {
    SimController& sim = ui.sim;
    const DeckController& deck = ui.deck;
    if (!deck.following(sim)) {
        // A deck that could not be opened at all: say why where the lecturer looks.
        if (!deck.active() && !deck.problems().empty()) {
            drawProblems(deck);
            ImGui::Separator();
        }
        return false;
    }
    const DeckLesson& lesson = *deck.lesson();
    if (!deck.showingTitleCard(sim)) {
        ImGui::TextDisabled("lesson %zu of %zu", deck.lessonIndex() + 1, deck.lessons());
        return false;
    }
    // Problems first: the lecturer must see which lessons the deck left out.
    if (!deck.problems().empty()) {
        drawProblems(deck);
        ImGui::Separator();
    }
    // Sized for the back of the hall in presentation mode; in the small
    // window's Tour panel only the heading is large, so the card fits.
    const bool hall = ui.settings.presentation;
    ImGui::PushFont(ui.fonts.large);
    ImGui::TextDisabled("Lesson %zu of %zu", deck.lessonIndex() + 1, deck.lessons());
    ImGui::Separator();
    if (hall) ImGui::SetWindowFontScale(kHeadingScale);
    ImGui::TextWrapped("%s", lesson.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (!hall) ImGui::PopFont();
    ImGui::Spacing();
    ImGui::TextWrapped("%s", lesson.subtitle.c_str());
    ImGui::Spacing();
    const Mode mode = lesson.modes[deck.modeIndex()];
    if (lesson.modes.size() > 1)
        ImGui::TextWrapped("Shown in %s (mode %zu of %zu)", std::string(modeInfo(mode).title).c_str(), deck.modeIndex() + 1,
                           lesson.modes.size());
    else
        ImGui::TextWrapped("Shown in %s", std::string(modeInfo(mode).title).c_str());
    if (hall) ImGui::PopFont();
    // Wrapped: the small window's Tour panel is narrower than the line.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s or %s: the first stop; %s: the previous lesson", shortcutKey(Shortcut::NextTourStop),
                       shortcutKey(Shortcut::DeckNext), shortcutKey(Shortcut::DeckPreviousLesson));
    ImGui::PopStyleColor();
    return true;
}

}  // namespace ringsim::gui
