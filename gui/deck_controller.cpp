#include "deck_controller.h"

#include <fmt/format.h>

#include "machine/errors.h"

namespace ringsim::gui {

bool DeckController::open(const std::string& path, SimController& sim) {
    try {
        Deck deck = loadDeck(path);
        problems_ = deck.problems;
        if (deck.lessons.empty()) {
            problems_.push_back(fmt::format("{}: no lesson of the deck can be opened", path));
            return false;
        }
        deck_ = std::move(deck);
    } catch (const InputError& e) {
        problems_ = {e.what()};
        return false;
    }
    show(0, 0, sim);
    return true;
}

bool DeckController::following(const SimController& sim) const {
    return active() && sim.scenario() && sim.scenarioPath() == deck_.lessons[lesson_].scenario;
}

bool DeckController::showingTitleCard(SimController& sim) const {
    if (!titleCard_ || !following(sim) || sim.shownStops() > 0) return false;
    // Running or stepping from the card puts the lesson itself on screen.
    Session* session = sim.session();
    return !session || session->machine().cpu.account.now == 0;
}

bool DeckController::moreStops(SimController& sim) {
    Session* session = sim.session();
    if (!session || !sim.tour().active() || !sim.moreTourStops()) return false;
    return !session->finished() || sim.shownStops() < sim.tour().reached().size();
}

void DeckController::next(SimController& sim) {
    if (!following(sim)) {
        sim.nextTourStop();
        return;
    }
    // A stop is still being run to (or a step back replayed): one "next" at a time.
    if (sim.goal() == SimController::Goal::TourStop || sim.rewinding()) return;
    if (showingTitleCard(sim)) {
        titleCard_ = false;
        if (moreStops(sim)) sim.nextTourStop();
        return;
    }
    titleCard_ = false;
    if (moreStops(sim)) {
        sim.nextTourStop();
        return;
    }
    if (part_ + 1 < deck_.lessons[lesson_].modes.size()) show(lesson_, part_ + 1, sim);
    else if (lesson_ + 1 < deck_.lessons.size()) show(lesson_ + 1, 0, sim);
}

void DeckController::nextLesson(SimController& sim) {
    if (active()) show(lesson_ + 1 < deck_.lessons.size() ? lesson_ + 1 : lesson_, 0, sim);
}

void DeckController::previousLesson(SimController& sim) {
    if (active()) show(lesson_ > 0 ? lesson_ - 1 : 0, 0, sim);
}

bool DeckController::atEnd(SimController& sim) const {
    if (!active()) return true;
    const bool lastPart = lesson_ + 1 == deck_.lessons.size() && part_ + 1 == deck_.lessons[lesson_].modes.size();
    return lastPart && following(sim) && !showingTitleCard(sim) && !moreStops(sim);
}

void DeckController::show(size_t lesson, size_t part, SimController& sim) {
    lesson_ = lesson;
    part_ = part;
    titleCard_ = true;
    const DeckLesson& l = deck_.lessons[lesson_];
    sim.open(l.scenario, l.modes[part_]);
}

std::string DeckController::stateLine(SimController& sim) const {
    if (!active()) return fmt::format("deck none problems {}", problems_.size());
    const DeckLesson& l = deck_.lessons[lesson_];
    return fmt::format("deck lesson {}/{} mode {} ({}/{}) title-card {} end {} problems {}", lesson_ + 1,
                       deck_.lessons.size(), l.modes[part_], part_ + 1, l.modes.size(), showingTitleCard(sim) ? 1 : 0,
                       atEnd(sim) ? 1 : 0, problems_.size());
}

}  // namespace ringsim::gui
