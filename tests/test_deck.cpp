// The lecture deck loader (core/scenario/deck.h): a good deck reads into its
// lessons with their modes and title cards; each mistake in the deck itself
// is refused with file, line and key; a lesson whose scenario is missing or
// broken is listed as a problem and the other lessons are kept.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "doc_examples.h"
#include "machine/errors.h"
#include "scenario/deck.h"
#include "scenario/scenario_images.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using namespace ringsim;

const std::string kDir = std::string(RINGSIM_TEST_FIXTURES) + "/scenarios/";
const std::string kDeck = kDir + "deck.yaml";  // the name inline decks go by; paths resolve in kDir

std::string errorOf(const std::string& text) {
    try {
        parseDeck(text, kDeck);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string at(int line, const std::string& key) { return kDeck + ":" + std::to_string(line) + ": " + key + ": "; }

std::string stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

}  // namespace

TEST_CASE("a deck reads into lessons with their modes and title cards", "[deck]") {
    const Deck d = parseDeck("- scenario: complete.yaml\n"           // beside the deck
                             "  modes: [native, hw-assist]\n"
                             "  title: Rings\n"
                             "  subtitle: Where each program runs\n"
                             "- scenario: 02-trap-emulate-flaw\n"    // a bundled name
                             "- scenario: 06b-paravirt-kernel-on-hardware.yaml\n"
                             "  mode: native\n",
                             kDeck);
    CHECK(d.problems.empty());
    REQUIRE(d.lessons.size() == 3);
    CHECK(stem(d.lessons[0].scenario) == "complete");
    CHECK(d.lessons[0].modes == std::vector<Mode>{Mode::Native, Mode::HwAssist});
    CHECK(d.lessons[0].title == "Rings");
    CHECK(d.lessons[0].subtitle == "Where each program runs");
    CHECK(d.lessons[0].where.line == 1);
    // Without title or mode: the scenario's title, its summary's first sentence, its default mode.
    CHECK(stem(d.lessons[1].scenario) == "02-trap-emulate-flaw");
    CHECK(d.lessons[1].modes == std::vector<Mode>{Mode::TrapEmulate});
    CHECK_THAT(d.lessons[1].title, StartsWith("Trap-and-emulate on an ordinary CPU"));
    CHECK(d.lessons[1].subtitle == "The unmodified kernel is moved to ring 1 and a monitor takes ring 0.");
    CHECK(d.lessons[1].where.line == 5);
    CHECK(d.lessons[2].modes == std::vector<Mode>{Mode::Native});
}

TEST_CASE("a lesson without a mode is shown in the mode its tour is written for", "[deck]") {
    // 06b's default mode is native, but its tour is written for paravirt.
    const Deck d = parseDeck("- scenario: 06b-paravirt-kernel-on-hardware\n", kDeck);
    REQUIRE(d.lessons.size() == 1);
    CHECK(d.lessons[0].modes == std::vector<Mode>{Mode::Paravirt});
}

TEST_CASE("the bundled deck loads whole, in the lecture's order", "[deck]") {
    const Deck d = loadDeck(bundledDeckPath());
    CHECK(d.problems.empty());
    REQUIRE(d.lessons.size() >= 10);
    CHECK(stem(d.lessons.front().scenario) == "01-rings");
    auto position = [&](const std::string& name) {
        for (size_t i = 0; i < d.lessons.size(); ++i)
            if (stem(d.lessons[i].scenario) == name) return i;
        FAIL("the bundled deck has no lesson " << name);
        return size_t(0);
    };
    // Rings; trap-and-emulate; translation; emulation; paravirt; hardware; memory; I/O; containers; several guests.
    const std::vector<std::string> order = {"01-rings", "02-trap-emulate-flaw", "04-binary-translation",
                                            "05-emulation-vs-translation", "06-paravirt", "07-hw-assist",
                                            "08-memory-shadow", "10-io", "11-containers-vs-vms", "13-pooling-isolation"};
    for (size_t i = 1; i < order.size(); ++i) {
        INFO(order[i - 1] << " before " << order[i]);
        CHECK(position(order[i - 1]) < position(order[i]));
    }
    // Each lesson's mode is one its tour is written for, so "next" has stops to go to.
    for (const DeckLesson& l : d.lessons) {
        const Scenario s = loadScenario(l.scenario);
        REQUIRE(s.tour);
        for (Mode m : l.modes) {
            INFO(s.name << " in " << m);
            CHECK(std::find(s.tour->modes.begin(), s.tour->modes.end(), m) != s.tour->modes.end());
        }
    }
}

TEST_CASE("a deck's own mistakes are refused with file, line and key", "[deck]") {
    CHECK_THAT(errorOf("- scenario: [01-rings\n"), StartsWith(kDeck + ":") && Contains("YAML syntax error"));
    CHECK(errorOf("") == kDeck + ":1: the deck is empty; it is a list of lessons (- scenario: 01-rings)");
    CHECK_THAT(errorOf("scenario: 01-rings\n"), StartsWith(kDeck + ":1: ") && Contains("a deck is a list of lessons"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n- 02-trap-emulate-flaw\n"),
               StartsWith(at(2, "deck[2]")) && Contains("expects a map"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  mdoe: native\n"),
               StartsWith(at(2, "deck[1].mdoe")) && Contains("did you mean 'mode'"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n- title: Rings\n"),
               StartsWith(at(2, "deck[2].scenario")) && Contains("missing"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  mode: warp-drive\n"),
               StartsWith(at(2, "deck[1].mode")) && Contains("unknown mode 'warp-drive'"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  mode: native\n  modes: [native]\n"),
               StartsWith(at(3, "deck[1].modes")) && Contains("not both"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  modes: [native, native]\n"),
               StartsWith(at(2, "deck[1].modes[2]")) && Contains("listed twice"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  title: \"\"\n"), StartsWith(at(2, "deck[1].title")) && Contains("empty"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  subtitle: [a, b]\n"),
               StartsWith(at(2, "deck[1].subtitle")) && Contains("expects a text"));
    CHECK_THAT(errorOf("- scenario: 01-rings\n  title: " + std::string(200, 'x') + "\n"),
               StartsWith(at(2, "deck[1].title")) && Contains("at most 120"));
    CHECK_THAT(errorOf("[]\n"), StartsWith(kDeck + ":1: ") && Contains("lists no lesson"));
    CHECK(errorOf("- scenario: 01-rings\n") == "(no error)");
}

TEST_CASE("a lesson whose scenario is missing or broken is listed, and the rest is kept", "[deck]") {
    const Deck d = parseDeck("- scenario: 01-rings\n"
                             "- scenario: no-such-lesson.yaml\n"   // line 2: missing
                             "- scenario: syntax_error.yaml\n"     // line 3: beside the deck, does not load
                             "- scenario: 01-rings\n"
                             "  mode: hw-assist\n"                  // line 5: not among 01's modes
                             "- scenario: 07-hw-assist\n",
                             kDeck);
    REQUIRE(d.lessons.size() == 2);
    CHECK(stem(d.lessons[0].scenario) == "01-rings");
    CHECK(stem(d.lessons[1].scenario) == "07-hw-assist");
    REQUIRE(d.problems.size() == 3);
    CHECK_THAT(d.problems[0], StartsWith(at(2, "deck[2].scenario")) && Contains("no scenario 'no-such-lesson.yaml'") &&
                                  Contains("left out"));
    CHECK_THAT(d.problems[1], StartsWith(at(3, "deck[3].scenario")) && Contains("does not load") &&
                                  Contains("syntax_error.yaml:"));
    CHECK_THAT(d.problems[2], StartsWith(at(5, "deck[4].mode")) && Contains("hw-assist is not among the modes of 01-rings"));
}

TEST_CASE("a deck file that cannot be read says so", "[deck]") {
    CHECK_THROWS_WITH(loadDeck(kDir + "no-such-deck.yaml"), kDir + "no-such-deck.yaml: cannot read");
    CHECK_THROWS_WITH(loadDeck(kDir), Contains("it is a folder"));
}

TEST_CASE("docs/scenarios.md: its example deck loads", "[deck]") {
    const std::string example = ringsim::testing::yamlExampleAfter("## Lecture decks");
    REQUIRE(!example.empty());
    // As if kept in the repository's folder, as the text says.
    const Deck d = parseDeck(example, std::string(RINGSIM_DATA_DIR) + "/week3.yaml");
    CHECK(d.problems.empty());
    REQUIRE(d.lessons.size() == 3);
    CHECK(d.lessons[0].title == "Protection rings, again");
    CHECK(d.lessons[1].modes == std::vector<Mode>{Mode::HwAssist, Mode::BinaryTranslation});
    CHECK(d.lessons[2].modes == std::vector<Mode>{Mode::HwAssist});
}
