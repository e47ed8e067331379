// The comparison as the web edition computes it, a few milliseconds a frame
// on one thread: the matrix cut into slices and native's curve recorded in
// pieces measure exactly what runMatrix and a whole recording do.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <limits>

#include "lesson/overhead_curve.h"
#include "report/compare.h"
#include "report/matrix.h"
#include "report/sliced_matrix.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;

namespace {
const std::string kScenarios = std::string(RINGSIM_DATA_DIR) + "/scenarios/";
}

TEST_CASE("the matrix in slices gives the cells runMatrix gives, in many short pieces", "[matrix][web]") {
    // 11-containers-vs-vms runs several instances: native's one-instance reference run is in the plan too.
    for (const std::string name : {"default.yaml", "11-containers-vs-vms.yaml", "02-trap-emulate-flaw.yaml"}) {
        INFO(name);
        const Scenario scenario = loadScenario(kScenarios + name);
        MatrixRequest request;
        request.jobs = 1;
        request.modes = allModes();
        size_t reports = 0, lastDone = 0, total = 0;
        MatrixRequest sliced = request;
        sliced.progress = [&](Mode, size_t done, size_t of) {
            ++reports;
            CHECK(done == lastDone + 1);  // one at a time, in order
            lastDone = done;
            total = of;
        };
        SlicedMatrix matrix({scenario}, sliced);
        // A deadline already past: each call runs one slice (or starts one run), as a frame over budget
        // would; a hundred such calls leave the matrix unfinished. Then frames with time to spare finish it.
        for (int piece = 0; piece < 100; ++piece)
            REQUIRE_FALSE(matrix.workUntil(std::chrono::steady_clock::now() - std::chrono::seconds(1)));
        while (!matrix.workUntil(std::chrono::steady_clock::now() + std::chrono::milliseconds(50))) {
        }
        CHECK(matrix.done());
        const auto whole = runMatrix({scenario}, request);
        const auto inSlices = matrix.cells();
        CHECK(matrixJson(inSlices) == matrixJson(whole));
        CHECK(matrixCsv(inSlices) == matrixCsv(whole));
        CHECK(reports == total);
        CHECK(total >= allModes().size());
    }
}

TEST_CASE("a scenario whose guest does not assemble fails the sliced matrix as it fails runMatrix", "[matrix][web]") {
    Scenario scenario = loadScenario(kScenarios + "default.yaml");
    scenario.guests.kernel = kScenarios + "no-such-kernel.s";
    CHECK_THROWS(runMatrix({scenario}, MatrixRequest{}));
    CHECK_THROWS(SlicedMatrix({scenario}, MatrixRequest{}));
}

TEST_CASE("native's curve recorded in pieces is the curve recorded whole", "[overhead][web]") {
    const Scenario scenario = loadScenario(kScenarios + "07-hw-assist.yaml");
    const ScenarioImages images(scenario);
    const auto whole = recordNativeCurve(images.forMode(Mode::Native), scenario.optionsFor(Mode::Native));
    REQUIRE(whole);
    NativeCurveRecorder recorder(images.forMode(Mode::Native), scenario.optionsFor(Mode::Native));
    size_t pieces = 0;
    while (!recorder.record(37)) ++pieces;
    const OverheadCurve curve = recorder.take();
    CHECK(pieces > 10);
    CHECK(curve.complete() == whole->complete());
    REQUIRE(curve.instructions() == whole->instructions());
    for (uint64_t n = 0; n <= curve.instructions(); ++n) REQUIRE(*curve.cyclesAt(n) == *whole->cyclesAt(n));
}
