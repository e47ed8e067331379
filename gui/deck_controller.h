// The lecture deck in the window (`--lecture`, File > Lecture deck): which
// lesson of the deck is open, in which of its modes, and whether its title
// card is up. "Next" goes through the lesson's tour stops and then to the next
// lesson's title card. It drives the SimController and keeps only its place
// in the deck; the Tour panel draws the card.
#pragma once

#include <string>
#include <vector>

#include "scenario/deck.h"
#include "sim_controller.h"

namespace ringsim::gui {

class DeckController {
public:
    // Opens a deck at its first lesson's title card. False when the deck
    // cannot be read (problems() says why, and the window keeps what it had);
    // lessons whose scenario is missing are left out and listed in problems().
    bool open(const std::string& path, SimController& sim);
    bool active() const { return !deck_.lessons.empty(); }
    // The window shows the deck's current lesson (not a scenario picked since).
    bool following(const SimController& sim) const;
    // The title card is up: the lesson is open and nothing has been shown yet.
    bool showingTitleCard(SimController& sim) const;

    // The tour's next stop; after the last, the next lesson's title card. Not
    // following the deck, it is the tour's next stop alone.
    void next(SimController& sim);
    void nextLesson(SimController& sim);
    void previousLesson(SimController& sim);
    // Whether next() has anywhere to go.
    bool atEnd(SimController& sim) const;

    const DeckLesson* lesson() const { return active() ? &deck_.lessons[lesson_] : nullptr; }
    size_t lessonIndex() const { return lesson_; }
    size_t lessons() const { return deck_.lessons.size(); }
    size_t modeIndex() const { return part_; }
    const std::string& path() const { return deck_.path; }
    const std::vector<std::string>& problems() const { return problems_; }
    // "deck lesson L/N mode M (P/Q) title-card 0|1 end 0|1 problems K", for tests.
    std::string stateLine(SimController& sim) const;

private:
    void show(size_t lesson, size_t part, SimController& sim);
    // The open lesson has a stop "next" can reach.
    static bool moreStops(SimController& sim);

    Deck deck_;
    size_t lesson_ = 0, part_ = 0;
    bool titleCard_ = false;
    std::vector<std::string> problems_;
};

}  // namespace ringsim::gui
