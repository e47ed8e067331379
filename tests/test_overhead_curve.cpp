// Overhead against native while a run goes on, measured and never
// interpolated: the figure at an instruction count is the mode's cycles when
// it retired that many guest instructions against native's at the same
// count, from two real runs; native against itself costs nothing; nothing is
// said before kTooEarlyInstructions. Also the background form of the
// comparison matrix: cancellable, with progress, and measuring exactly what
// the plain matrix measures.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>

#include "report/compare.h"
#include "lesson/overhead_curve.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"
#include "report/matrix.h"
#include "run/session.h"

using namespace ringsim;

namespace {

const std::string kScenarios = std::string(RINGSIM_DATA_DIR) + "/scenarios/";

struct Loaded {
    Scenario scenario;
    ScenarioImages images;
    explicit Loaded(const std::string& name) : scenario(loadScenario(kScenarios + name)), images(scenario) {}
};

// Runs `mode` to its end one instruction at a time and returns the cycle at
// which each instruction retired (index n: the n-th; index 0: the start).
// Written apart from recordNativeCurve, so the test does not check the code with itself.
std::vector<uint64_t> cyclesPerInstruction(const Loaded& s, Mode mode) {
    Session session(s.images.forMode(mode), s.scenario.optionsFor(mode));
    const Cpu& cpu = session.machine().cpu;
    std::vector<uint64_t> at{cpu.account.now};
    while (!session.finished()) {
        session.run(cpu.account.now + 1);
        while (at.size() <= cpu.stats().instructions) at.push_back(cpu.account.now);
    }
    return at;
}

}  // namespace

TEST_CASE("the curve gives native's cycles at exactly each instruction, and nothing past it", "[overhead]") {
    OverheadCurve curve(7);
    // Across a block boundary (65,536 instructions), where the stored base
    // changes, with a jump there beyond what 32 bits hold.
    for (uint64_t n = 1; n <= 70'000; ++n) REQUIRE(curve.retired(7 + 3 * n + (n >= 65'536 ? 5'000'000'000ull : 0)));
    CHECK(*curve.cyclesAt(0) == 7);
    CHECK(*curve.cyclesAt(1) == 10);
    CHECK(*curve.cyclesAt(65'535) == 7 + 3 * 65'535);
    CHECK(*curve.cyclesAt(65'536) == 7 + 3 * 65'536 + 5'000'000'000ull);
    CHECK(*curve.cyclesAt(70'000) == 7 + 3 * 70'000 + 5'000'000'000ull);
    CHECK_FALSE(curve.cyclesAt(70'001));
    CHECK(curve.instructions() == 70'000);
    CHECK_FALSE(curve.complete());
    curve.finish();
    CHECK(curve.complete());
    CHECK(curve.last().cycles == 7 + 3 * 70'000 + 5'000'000'000ull);
    // Too early: nothing, even where native's cycles are known.
    CHECK_FALSE(curve.overheadPercent(OverheadCurve::kTooEarlyInstructions - 1, 1'000'000));
    const uint64_t n = OverheadCurve::kTooEarlyInstructions;
    CHECK(*curve.overheadPercent(n, 7 + 3 * n) == 0);
    CHECK(*curve.overheadPercent(n, 2 * (7 + 3 * n)) == Approx(100));
    CHECK_FALSE(curve.overheadPercent(70'001, 1'000'000));
}

TEST_CASE("a full curve stops recording at its limit", "[overhead]") {
    OverheadCurve curve(0, 100);
    for (uint64_t n = 1; n <= 100; ++n) REQUIRE(curve.retired(n * 10));
    CHECK_FALSE(curve.retired(1'010));
    CHECK(curve.instructions() == 100);
    CHECK_FALSE(curve.cyclesAt(101));
    // An idle stretch longer than 32 bits of cycles inside a block ends the recording there.
    OverheadCurve idle;
    REQUIRE(idle.retired(10));
    CHECK_FALSE(idle.retired(10 + (uint64_t(1) << 33)));
    CHECK_FALSE(idle.retired(20 + (uint64_t(1) << 33)));
    CHECK(idle.instructions() == 1);
}

TEST_CASE("native against itself is 0% overhead at every instruction", "[overhead]") {
    const Loaded s("default.yaml");
    const auto curve = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native));
    REQUIRE(curve);
    CHECK(curve->complete());
    const auto native = cyclesPerInstruction(s, Mode::Native);
    REQUIRE(curve->instructions() + 1 == native.size());
    REQUIRE(native.size() > OverheadCurve::kTooEarlyInstructions + 1'000);
    for (uint64_t n = 0; n < native.size(); ++n) {
        REQUIRE(*curve->cyclesAt(n) == native[n]);
        if (n >= OverheadCurve::kTooEarlyInstructions) REQUIRE(*curve->overheadPercent(n, native[n]) == 0.0);
    }
}

TEST_CASE("a mode's overhead at an instruction is its cycles there over native's there, from two real runs",
          "[overhead]") {
    const Loaded s("default.yaml");
    const auto curve = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native));
    REQUIRE(curve);
    const auto native = cyclesPerInstruction(s, Mode::Native);
    MatrixRequest request;
    request.jobs = 1;
    const auto cells = runMatrix({s.scenario}, request);
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        const auto ran = cyclesPerInstruction(s, mode);
        // The same guest instructions retire in every mode.
        REQUIRE(ran.size() == native.size());
        size_t compared = 0;
        for (uint64_t n = 0; n < ran.size(); ++n) {
            const auto figure = curve->overheadPercent(n, ran[n]);
            if (n < OverheadCurve::kTooEarlyInstructions) {
                REQUIRE_FALSE(figure);
                continue;
            }
            REQUIRE(figure);
            REQUIRE(*figure == Approx(100.0 * (double(ran[n]) / double(native[n]) - 1.0)).epsilon(1e-12));
            // Past the boot a monitor has cost something at every instruction,
            // except where a deprivileged monitor's virtual console has been
            // cheaper than native's physical one (docs/monitors.md, devices).
            if (mode == Mode::Emulation || mode == Mode::HwAssist) REQUIRE(*figure > 0);
            ++compared;
        }
        CHECK(compared > 1'000);
        // At the last instruction it is the comparison of the two whole runs.
        const auto cell = std::find_if(cells.begin(), cells.end(), [&](const MatrixCell& c) { return c.mode == mode; });
        REQUIRE(cell != cells.end());
        CHECK(*curve->overheadPercent(ran.size() - 1, cell->result->totalCycles) ==
              Approx(cell->overheadPercent).epsilon(1e-9));
    }
}

TEST_CASE("the native curve is the same every time, and can be cancelled", "[overhead]") {
    const Loaded s("07-hw-assist.yaml");
    const auto a = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native));
    const auto b = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native));
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->instructions() == b->instructions());
    for (uint64_t n = 0; n <= a->instructions(); ++n) REQUIRE(*a->cyclesAt(n) == *b->cyclesAt(n));
    CHECK_FALSE(recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native), [] { return true; }));
    // A limit shorter than the run: recorded that far, not complete.
    const auto part = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native), {}, 500);
    REQUIRE(part);
    CHECK(part->instructions() == 500);
    CHECK_FALSE(part->complete());
    CHECK(*part->cyclesAt(500) == *a->cyclesAt(500));
}

TEST_CASE("the matrix run in slices, as a front end runs it, measures what the plain matrix does", "[matrix][overhead]") {
    for (const std::string name : {"default.yaml", "11-containers-vs-vms.yaml"}) {
        INFO(name);
        const Scenario scenario = loadScenario(kScenarios + name);
        MatrixRequest plain;
        plain.jobs = 1;
        plain.modes = allModes();
        MatrixRequest sliced = plain;
        sliced.cancelled = [] { return false; };
        std::mutex lock;
        std::set<Mode> reported;
        size_t lastDone = 0, total = 0;
        sliced.progress = [&](Mode mode, size_t done, size_t of) {
            std::lock_guard<std::mutex> hold(lock);
            reported.insert(mode);
            lastDone = std::max(lastDone, done);
            total = of;
        };
        const auto a = runMatrix({scenario}, plain);
        const auto b = runMatrix({scenario}, sliced);
        CHECK(matrixCsv(a) == matrixCsv(b));
        CHECK(matrixJson(a) == matrixJson(b));
        CHECK(reported.size() == 7);
        CHECK(lastDone == total);
        CHECK(total >= 7);
    }
}

TEST_CASE("a cancelled matrix stops and says which runs it abandoned", "[matrix][overhead]") {
    const Scenario scenario = loadScenario(kScenarios + "default.yaml");
    MatrixRequest request;
    request.jobs = 1;
    request.modes = allModes();
    // Cancelled once the first run is done: the others never finish.
    std::atomic<size_t> finished{0};
    request.progress = [&](Mode, size_t, size_t) { ++finished; };
    request.cancelled = [&] { return finished > 0; };
    const auto cells = runMatrix({scenario}, request);
    size_t ran = 0, cancelled = 0;
    for (const auto& c : cells) {
        if (c.result) ++ran;
        if (c.error == "cancelled") ++cancelled;
    }
    CHECK(ran == 1);
    CHECK(cancelled == cells.size() - 1);
}

TEST_CASE("without native's run there is no overhead to give", "[matrix][overhead]") {
    const Scenario scenario = loadScenario(kScenarios + "03-trap-emulate-strict.yaml");
    MatrixRequest request;
    request.jobs = 1;
    request.modes = {Mode::Native, Mode::TrapEmulate};
    // Cancelled only before the first run (native's): the other runs to its end.
    std::atomic<size_t> finished{0};
    request.progress = [&](Mode, size_t, size_t) { ++finished; };
    request.cancelled = [&] { return finished == 0; };
    const auto cells = runMatrix({scenario}, request);
    REQUIRE(cells.size() == 2);
    CHECK_FALSE(cells[0].result);
    CHECK(cells[0].error == "cancelled");
    REQUIRE(cells[1].result);
    CHECK_FALSE(cells[1].hasOverhead());
    CHECK(cells[1].overheadNote == "native did not run: cancelled");
    CHECK_FALSE(counterValue(cells[1], "overhead_percent"));
}
