// Loading a lecture deck (deck.h) with the scenario loader's walk, so its
// messages read like a scenario's: "file:line: key: problem". The deck's own
// mistakes stop the load; a lesson whose scenario is missing or broken is
// left out and listed, because a lecturer in front of a room still wants the
// other lessons.
#include "scenario/deck.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "machine/errors.h"
#include "scenario/scenario_images.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_words.h"

namespace ringsim {

namespace {

namespace fs = std::filesystem;
using scenario_detail::Fields;
using scenario_detail::Loader;
using scenario_detail::quote;
using scenario_detail::Value;

// A title card's lines stay short enough to read from the back of a hall.
constexpr size_t kMaxTitle = 120;
constexpr size_t kMaxSubtitle = 240;

// The first sentence of a summary: the title card's default second line.
std::string firstSentence(const std::string& summary) {
    std::string s = summary;
    std::replace(s.begin(), s.end(), '\n', ' ');
    for (size_t i = 0; i + 1 < s.size(); ++i)
        if ((s[i] == '.' || s[i] == ':' || s[i] == ';') && s[i + 1] == ' ') {
            s.resize(i + (s[i] == '.' ? 1 : 0));
            break;
        }
    if (s.size() > kMaxSubtitle) s = s.substr(0, kMaxSubtitle - 3) + "...";
    return s;
}

// One card line: a text, one line, not too long for the card.
std::string cardLine(const Loader& loader, const Value& v, size_t max) {
    std::string s = loader.text(v);
    s.erase(s.find_last_not_of(" \t\n") + 1);
    if (s.empty()) loader.fail(v, "is empty; a text is needed");
    if (s.find('\n') != std::string::npos) loader.fail(v, "must be one line (is a quote left open?)");
    if (s.size() > max) loader.fail(v, fmt::format("is {} characters long; a title card holds at most {}", s.size(), max));
    return s;
}

// What one entry asks for, before its scenario is looked at.
struct Entry {
    DeckLesson lesson;
    Value scenario;
    std::vector<Value> modes;  // as written; empty: the lesson's own mode
};

Entry readEntry(const Loader& loader, const Value& v) {
    const Fields f(loader, v, {"scenario", "mode", "modes", "title", "subtitle"});
    Entry e;
    e.lesson.where = {loader.file(), v.line, v.key};
    e.scenario = f.require("scenario", "the lesson's scenario file (a path beside the deck, or a bundled name)");
    loader.text(e.scenario);
    if (f.has("mode") && f.has("modes"))
        loader.fail(f.keyLine("modes"), f.get("modes")->key, "give mode: or modes:, not both");
    if (auto m = f.get("mode")) {
        loader.mode(*m);
        e.modes.push_back(*m);
    }
    if (auto m = f.get("modes")) {
        e.modes = m->node.IsScalar() ? std::vector<Value>{*m} : loader.list(*m);
        if (e.modes.empty()) loader.fail(*m, "lists no mode; leave it out for the lesson's own mode");
        for (size_t i = 0; i < e.modes.size(); ++i) {
            const Mode mode = loader.mode(e.modes[i]);
            for (size_t j = 0; j < i; ++j)
                if (loader.mode(e.modes[j]) == mode) loader.fail(e.modes[i], fmt::format("{} is listed twice", mode));
        }
    }
    if (auto t = f.get("title")) e.lesson.title = cardLine(loader, *t, kMaxTitle);
    if (auto t = f.get("subtitle")) e.lesson.subtitle = cardLine(loader, *t, kMaxSubtitle);
    return e;
}

// The entry's scenario, loaded and checked against its modes; throws
// InputError naming the deck's line when the lesson cannot be shown.
void resolve(const Loader& loader, Entry& e, const fs::path& deckFolder) {
    const std::string given = loader.text(e.scenario);
    e.lesson.scenario = scenario_detail::findScenarioFile(given, deckFolder);
    if (e.lesson.scenario.empty())
        loader.fail(e.scenario, fmt::format("no scenario {} (looked beside the deck, in {}, and among the bundled "
                                            "scenarios); this lesson is left out",
                                            quote(given), deckFolder.string()));
    Scenario s;
    try {
        s = loadScenario(e.lesson.scenario);
    } catch (const InputError& err) {
        loader.fail(e.scenario, fmt::format("the scenario does not load; this lesson is left out: {}", err.what()));
    }
    for (const Value& m : e.modes) {
        const Mode mode = loader.mode(m);
        if (std::find(s.modes.begin(), s.modes.end(), mode) == s.modes.end())
            loader.fail(m, fmt::format("{} is not among the modes of {} ({}); this lesson is left out", mode, s.name,
                                       scenario_detail::joined(s.modes)));
        e.lesson.modes.push_back(mode);
    }
    if (e.lesson.modes.empty()) {
        // The lesson's own mode: the one its tour is written for, if the default is not.
        Mode mode = s.defaultMode;
        if (s.tour && !s.tour->modes.empty() &&
            std::find(s.tour->modes.begin(), s.tour->modes.end(), mode) == s.tour->modes.end())
            mode = s.tour->modes.front();
        e.lesson.modes.push_back(mode);
    }
    if (e.lesson.title.empty()) e.lesson.title = s.title;
    if (e.lesson.subtitle.empty()) e.lesson.subtitle = firstSentence(s.summary);
}

}  // namespace

Deck parseDeck(const std::string& text, const std::string& path) {
    Loader loader(path);
    const YAML::Node root = loader.document(text, "the deck is empty; it is a list of lessons (- scenario: 01-rings)");
    if (!root.IsSequence())
        loader.fail(scenario_detail::lineOf(root, 1), "",
                    fmt::format("a deck is a list of lessons (lines starting with '- scenario:'), not {}",
                                scenario_detail::kindOf(root)));
    Deck deck;
    deck.path = path;
    const fs::path& folder = loader.folder();
    try {
        std::vector<Entry> entries;
        for (const Value& item : loader.list(Value{root, "deck", 1})) entries.push_back(readEntry(loader, item));
        if (entries.empty()) loader.fail(1, "", "the deck lists no lesson");
        for (Entry& e : entries) {
            try {
                resolve(loader, e, folder);
                deck.lessons.push_back(std::move(e.lesson));
            } catch (const InputError& problem) {
                deck.problems.push_back(problem.what());
            }
        }
    } catch (const YAML::Exception& e) {
        loader.fail(e.mark.is_null() ? 0 : e.mark.line + 1, "", "YAML: " + e.msg);
    }
    return deck;
}

Deck loadDeck(const std::string& path) { return parseDeck(scenario_detail::readInputFile(path), path); }

std::string bundledDeckPath() { return (fs::path(bundledScenarioFolder()) / "decks" / "lecture.yaml").string(); }

}  // namespace ringsim
