// The tour drives the window's run: Space (a run at any speed) pauses at
// every tour stop it reaches, the event stops, the label stops and the cycle
// stops alike, one stop per run, at the cycle `ringsim tour` reaches it.
#include <catch2/catch.hpp>

#include <chrono>

#include "lesson/tour_run.h"
#include "scenario/scenario.h"
#include "gui/sim_controller.h"
#include "../../tests/bundled_scenarios.h"

using namespace ringsim;
using namespace ringsim::gui;

namespace {

// Like the frame loop: a run, worked on until it pauses (bounded by the run's cycle budget).
void runUntilPaused(SimController& sim) {
    sim.run();
    while (sim.busy()) sim.advance(std::chrono::milliseconds(50));
}

}  // namespace

TEST_CASE("a run pauses at each tour stop in turn, where ringsim tour stops", "[tour]") {
    for (const auto& path : bundledScenarios()) {
        const Scenario scenario = loadScenario(path.string());
        if (!scenario.tour) continue;
        for (Mode mode : scenario.tour->modes) {
            INFO(path.filename().string() << " in " << modeName(mode));
            const TourRun expected = runTour(scenario, mode);
            SimController sim;
            sim.open(path.string(), mode);
            REQUIRE(sim.session());
            for (size_t n = 1; n <= expected.reached.size(); ++n) {
                INFO("stop " << n);
                runUntilPaused(sim);
                REQUIRE(sim.error().empty());
                REQUIRE(sim.shownStops() == n);
                const ReachedStop& got = sim.tour().reached()[n - 1];
                const ReachedStop& want = expected.reached[n - 1];
                CHECK(got.index == want.index);
                CHECK(got.cycle == want.cycle);
                CHECK(got.event.kind == want.event.kind);
                CHECK(got.event.pc == want.event.pc);
                CHECK(got.number == want.number);
                CHECK(got.text == want.text);
            }
        }
    }
}

TEST_CASE("a slow run pauses at a label stop and at the user's breakpoints", "[tour]") {
    const std::string path = std::string(RINGSIM_DATA_DIR) + "/scenarios/01-rings.yaml";
    const Scenario scenario = loadScenario(path);
    REQUIRE(scenario.tour);
    REQUIRE(scenario.tour->stops.front().when.kind == StopCondition::Kind::Label);
    const TourRun expected = runTour(scenario, scenario.tour->modes.front());
    REQUIRE(!expected.reached.empty());

    SimController sim;
    sim.open(path, scenario.tour->modes.front());
    REQUIRE(sim.session());
    sim.setSpeed(5000);  // one instruction at a time
    runUntilPaused(sim);
    REQUIRE(sim.shownStops() == 1);
    CHECK(sim.tour().reached()[0].cycle == expected.reached[0].cycle);
    // The label's breakpoint is the tour's, not the user's.
    CHECK(sim.breakpoints().empty());
    CHECK_FALSE(sim.atBreakpoint());

    // A breakpoint of the user's a few instructions on stops a slow run too.
    const uint32_t pc = sim.session()->machine().cpu.state.pc;
    sim.stepInstruction();
    sim.stepInstruction();
    const uint32_t ahead = sim.session()->machine().cpu.state.pc;
    sim.reset();
    sim.setBreakpoints({ahead});
    sim.setPauseAtTourStops(false);
    runUntilPaused(sim);
    CHECK(sim.atBreakpoint());
    CHECK(sim.session()->machine().cpu.state.pc == ahead);
    CHECK(ahead != pc);
}
