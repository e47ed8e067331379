// Consoles as the GUI's Console panel reads them: live, guest by guest, named
// as the run's results name them; and judged against native line by line by
// the same rule as compare's diverged_from_native.
#include <catch2/catch.hpp>

#include "report/console_diff.h"
#include "report/matrix.h"
#include "run/consoles.h"
#include "run/session.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;

namespace {

const std::string kScenarios = std::string(RINGSIM_DATA_DIR) + "/scenarios/";

using Line = ConsoleDiff::Line;

}  // namespace

TEST_CASE("a console line by line against native's: same, differing, partial and missing lines", "[console]") {
    const ConsoleDiff same = diffConsole("a\nb\n", "a\nb\n");
    CHECK(same.same());
    CHECK(same.lines == std::vector<std::string_view>{"a", "b"});

    // The trap-and-emulate flaw: the kernel reports the ring it believes it is in.
    const ConsoleDiff flaw = diffConsole("boot\nrunning in ring 1\nbye\n", "boot\nrunning in ring 0\nbye\n");
    CHECK_FALSE(flaw.same());
    CHECK(flaw.marks == std::vector<Line>{Line::Same, Line::Differs, Line::Same});

    // A run under way: the line being written so far as native's goes, the rest still to come.
    const ConsoleDiff live = diffConsole("boot\nrunn", "boot\nrunning in ring 0\nbye\n");
    CHECK(live.marks == std::vector<Line>{Line::Same, Line::Partial});
    CHECK(live.missing == 1);
    CHECK_FALSE(live.same());
    CHECK(diffConsole("boot\nrunx", "boot\nrunning\n").marks.back() == Line::Differs);
    // An ended line is not native's unended one, nor the other way round.
    CHECK(diffConsole("ok\n", "ok").marks == std::vector<Line>{Line::Differs});
    CHECK(diffConsole("ok", "ok\n").marks == std::vector<Line>{Line::Partial});

    // Lines native never wrote.
    CHECK(diffConsole("a\nextra\n", "a\n").marks == std::vector<Line>{Line::Same, Line::Differs});
}

TEST_CASE("a container's console is held to native's without the kernel's lines", "[console]") {
    const std::string native = "kernel: boot\nhello\nkernel: halt\n";
    CHECK(consoleExpectedIn(Mode::Container, native) == "hello\n");
    CHECK(consoleExpectedIn(Mode::TrapEmulate, native) == native);
    CHECK(consoleExpectedIn(Mode::Native, native) == native);
}

TEST_CASE("the line-by-line judgement agrees with compare's diverged_from_native in every bundled mode",
          "[console][matrix]") {
    for (const char* file : {"02-trap-emulate-flaw.yaml", "11-containers-vs-vms.yaml", "13-pooling-isolation.yaml"}) {
        const Scenario scenario = loadScenario(kScenarios + file);
        size_t diverged = 0;
        for (const MatrixCell& cell : runMatrix({scenario}, MatrixRequest{})) {
            if (!cell.listed || !cell.result || cell.mode == Mode::Native) continue;
            INFO(file << " " << modeName(cell.mode));
            CHECK_FALSE(cell.nativeConsole.empty());
            const std::string expected = consoleExpectedIn(cell.mode, cell.nativeConsole);
            bool allSame = true;
            for (const GuestResult& g : cell.result->guests) allSame &= diffConsole(g.console, expected).same();
            CHECK(allSame == cell.sameConsoleAsNative);
            diverged += !cell.sameConsoleAsNative;
        }
        // Lesson 02's point: some modes diverge (trap-and-emulate on the non-strict CPU).
        if (std::string(file) == "02-trap-emulate-flaw.yaml") CHECK(diverged > 0);
    }
}

TEST_CASE("live consoles are each guest's console, named as the run's results name them", "[console]") {
    struct Case {
        const char* file;
        Mode mode;
        size_t guests;
    };
    for (const Case c : {Case{"02-trap-emulate-flaw.yaml", Mode::Native, 1}, Case{"02-trap-emulate-flaw.yaml", Mode::TrapEmulate, 1},
                         Case{"11-containers-vs-vms.yaml", Mode::Container, 4}, Case{"11-containers-vs-vms.yaml", Mode::HwAssist, 4},
                         Case{"13-pooling-isolation.yaml", Mode::Paravirt, 3}}) {
        INFO(c.file << " " << modeName(c.mode));
        const Scenario scenario = loadScenario(kScenarios + c.file);
        const ScenarioImages images(scenario);
        Session session(images.forMode(c.mode), scenario.optionsFor(c.mode));
        // Part way: the text so far, growing as the guests write.
        session.run(200'000);
        std::vector<std::string> early;
        for (const LiveConsole& l : liveConsoles(session)) early.emplace_back(l.text);
        session.run();
        const RunResult result = session.result();
        const std::vector<LiveConsole> live = liveConsoles(session);
        const bool containers = c.mode == Mode::Container;
        REQUIRE(live.size() == c.guests + (containers ? 1 : 0));
        REQUIRE(result.guests.size() == c.guests);
        for (size_t i = 0; i < c.guests; ++i) {
            CHECK(live[i].name == result.guests[i].name);
            CHECK(live[i].text == result.guests[i].console);
            CHECK_FALSE(live[i].hostStream);
            CHECK(live[i].text.starts_with(early[i]));
            CHECK_FALSE(live[i].text.empty());
        }
        if (containers) {
            CHECK(live.back().hostStream);
            CHECK(live.back().text == result.hostConsole);
            CHECK(live.back().text.starts_with("kernel: "));
        }
    }
}
