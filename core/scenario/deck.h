// A lecture deck: the lessons of a lecture in its order, each a scenario
// shown in one or more modes, opened by a title card. The format is a YAML
// list (docs/scenarios.md, "Lecture decks"); the bundled deck is
// scenarios/decks/lecture.yaml.
#pragma once

#include <string>
#include <vector>

#include "monitors/modes.h"
#include "scenario/scenario.h"

namespace ringsim {

struct DeckLesson {
    std::string scenario;      // the scenario file, resolved to a path that exists
    std::vector<Mode> modes;   // shown in turn, each from its title card; never empty
    std::string title;         // the title card's heading (default: the scenario's title)
    std::string subtitle;      // one or two lines of what it shows (default: the summary's first sentence)
    ScenarioLocation where;    // the entry in the deck, for messages
};

struct Deck {
    std::string path;
    std::vector<DeckLesson> lessons;
    // One "file:line: key: problem" for each lesson left out (a scenario that
    // is missing or does not load, a mode it does not have): the rest opens.
    std::vector<std::string> problems;
};

// Reads and checks a deck. Throws InputError "file:line: key: problem" when
// the deck itself cannot be read (YAML syntax, not a list, an unknown key, an
// unknown mode, no scenario named); a problem with one lesson's scenario
// leaves that lesson out and is listed in Deck::problems instead.
Deck loadDeck(const std::string& path);
// The same from text; `path` names it in messages and is the folder relative
// scenario paths are resolved against.
Deck parseDeck(const std::string& text, const std::string& path);

// The deck `ringsim-gui --lecture` opens when given none.
std::string bundledDeckPath();

}  // namespace ringsim
