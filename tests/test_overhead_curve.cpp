// Overhead against native while a run goes on: native's checkpoints
// (instructions retired -> cycles) are exact where they were taken and
// interpolated between, native against itself costs nothing, a monitor costs
// more, and the same run gives the same curve. Also the background form of
// the comparison matrix: cancellable, with progress, and measuring exactly
// what the plain matrix measures.
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

// Runs `mode` in slices of `step` cycles and calls `look(instructions, cycles)` after each.
template <typename Look>
void runInSlices(const Loaded& s, Mode mode, uint64_t step, Look look) {
    Session session(s.images.forMode(mode), s.scenario.optionsFor(mode));
    const Cpu& cpu = session.machine().cpu;
    while (!session.finished()) {
        session.run(cpu.account.now + step);
        look(cpu.stats().instructions, cpu.account.now);
    }
}

}  // namespace

TEST_CASE("the curve is exact at its checkpoints and linear between them", "[overhead]") {
    OverheadCurve curve;
    curve.record(0, 0);
    curve.record(100, 1000);
    curve.record(300, 1400);
    CHECK(*curve.cyclesAt(0) == 0);
    CHECK(*curve.cyclesAt(100) == 1000);
    CHECK(*curve.cyclesAt(300) == 1400);
    CHECK(*curve.cyclesAt(50) == Approx(500));
    CHECK(*curve.cyclesAt(200) == Approx(1200));
    // Past the last checkpoint native has not been: nothing to compare with.
    CHECK_FALSE(curve.cyclesAt(301));
    CHECK(*curve.overheadPercent(100, 1000) == 0);
    CHECK(*curve.overheadPercent(100, 1500) == Approx(50));
    CHECK(*curve.overheadPercent(200, 1200) == Approx(0));
    CHECK_FALSE(curve.overheadPercent(0, 10));  // native had spent no cycles
}

TEST_CASE("native idling (cycles without instructions) compares with when native first got there", "[overhead]") {
    OverheadCurve curve;
    curve.record(0, 0);
    curve.record(10, 100);
    curve.record(10, 900);  // hlt: time passes, no instruction retires
    curve.record(20, 1000);
    CHECK(*curve.cyclesAt(10) == 100);
    CHECK(*curve.cyclesAt(15) == Approx(950));
    // A checkpoint that goes back is ignored.
    curve.record(5, 2000);
    CHECK(curve.last().instructions == 20);
}

TEST_CASE("a long curve is thinned to bounded memory, keeping the newest checkpoint exact", "[overhead]") {
    OverheadCurve curve(64);
    for (uint64_t i = 0; i <= 10'000; ++i) curve.record(i * 10, i * 25);
    CHECK(curve.checkpoints().size() <= 65);
    CHECK(curve.checkpoints().size() >= 32);
    CHECK(curve.last().instructions == 100'000);
    CHECK(*curve.cyclesAt(100'000) == 250'000);
    CHECK(*curve.cyclesAt(0) == 0);
    // Every checkpoint kept is one that was recorded, so the line is still exact.
    for (const auto& c : curve.checkpoints()) CHECK(c.cycles * 10 == c.instructions * 25);
    CHECK(*curve.cyclesAt(12'345) == Approx(12'345 * 2.5));
}

TEST_CASE("native against itself is 0% overhead, at every checkpoint", "[overhead]") {
    const Loaded s("default.yaml");
    const auto curve = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native), 50'000);
    REQUIRE(curve);
    REQUIRE(curve->checkpoints().size() > 20);
    // The same run sliced the same way stops at the same instruction boundaries.
    size_t compared = 0;
    runInSlices(s, Mode::Native, 50'000, [&](uint64_t instructions, uint64_t cycles) {
        const auto overhead = curve->overheadPercent(instructions, cycles);
        REQUIRE(overhead);
        CHECK(*overhead == 0.0);
        ++compared;
    });
    CHECK(compared + 1 == curve->checkpoints().size());
    // Sliced differently, the interpolation stays close to 0.
    runInSlices(s, Mode::Native, 77'777, [&](uint64_t instructions, uint64_t cycles) {
        if (cycles < 200'000) return;
        const auto overhead = curve->overheadPercent(instructions, cycles);
        REQUIRE(overhead);
        CHECK(std::abs(*overhead) < 2.0);
    });
}

TEST_CASE("a monitor's overhead is above 0 as it goes, and at the end is the matrix's figure", "[overhead]") {
    const Loaded s("default.yaml");
    const auto curve = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native));
    REQUIRE(curve);
    MatrixRequest request;
    request.jobs = 1;
    const auto cells = runMatrix({s.scenario}, request);
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        std::optional<double> last;
        runInSlices(s, mode, 500'000, [&](uint64_t instructions, uint64_t cycles) {
            last = curve->overheadPercent(instructions, cycles);
            // Once past the boot, the monitor has cost something at every point.
            if (cycles > 1'000'000) CHECK((last && *last > 0));
        });
        // The same guest instructions retire in every mode: at the end the
        // comparison is between the two whole runs.
        const auto cell = std::find_if(cells.begin(), cells.end(), [&](const MatrixCell& c) { return c.mode == mode; });
        REQUIRE(cell != cells.end());
        REQUIRE(last);
        CHECK(*last == Approx(cell->overheadPercent).epsilon(1e-9));
    }
}

TEST_CASE("the native curve is the same every time", "[overhead]") {
    const Loaded s("07-hw-assist.yaml");
    const auto a = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native), 3'000);
    const auto b = recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native), 3'000);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->checkpoints().size() == b->checkpoints().size());
    for (size_t i = 0; i < a->checkpoints().size(); ++i) {
        CHECK(a->checkpoints()[i].instructions == b->checkpoints()[i].instructions);
        CHECK(a->checkpoints()[i].cycles == b->checkpoints()[i].cycles);
    }
    CHECK_FALSE(recordNativeCurve(s.images.forMode(Mode::Native), s.scenario.optionsFor(Mode::Native), 3'000, [] { return true; }));
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
