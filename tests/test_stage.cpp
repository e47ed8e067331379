// The lecture stage's content (core/lesson/stage.h): at every stop of every
// bundled tour, in every mode the tour is written for, the stage shows the
// stop's event along the route its receipt gives, lights the ring where
// that route ends, and marks in place what stayed in one ring (a silent
// sensitive instruction with a warning that says what went wrong).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "bundled_scenarios.h"
#include "lesson/stage.h"
#include "lesson/tour_run.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;

TEST_CASE("at every tour stop the stage shows the stop's event along its receipt's route", "[stage]") {
    size_t stops = 0, arrows = 0, marks = 0;
    for (const auto& path : bundledScenarios()) {
        const Scenario scenario = loadScenario(path.string());
        if (!scenario.tour) continue;
        for (const Mode mode : scenario.tour->modes) {
            INFO(path.filename().string() << " " << modeName(mode));
            runTour(scenario, mode, [&](Session& session, const ReachedStop& stop) {
                ++stops;
                if (!stop.number) return;  // a label or cycle stop: no event to draw
                const EventLog& log = session.machine().events;
                INFO("stop " << stop.index + 1 << " at cycle " << stop.cycle << ", log total " << log.total() << ", cycle now " << session.machine().cpu.account.now);
                REQUIRE(*stop.number >= log.firstRetained());
                const StageView view = stageForEvent(log, *stop.number);
                INFO("stop " << stop.index + 1 << ": " << describeEvent(view.event));
                CHECK(view.event.cycle == stop.event.cycle);
                CHECK(view.event.kind == stop.event.kind);
                const auto hops = stop.event.receipt.hops();
                REQUIRE(view.route.size() == hops.size());
                for (size_t i = 0; i < hops.size(); ++i) {
                    CHECK(view.route[i].ring == hops[i].ring);
                    CHECK(view.route[i].who == hops[i].who);
                }
                CHECK(view.litRing == hops.back().ring);
                CHECK(view.caption.rfind(std::string(eventKindName(stop.event.kind)), 0) == 0);
                if (hops.size() > 1) {
                    ++arrows;
                } else {
                    // It stayed in one ring: it is among the marks, in that ring.
                    const auto mark = std::find_if(view.marks.begin(), view.marks.end(),
                                                   [&](const StageMark& m) { return m.number == *stop.number; });
                    REQUIRE(mark != view.marks.end());
                    CHECK(mark->ring == hops.front().ring);
                    ++marks;
                }
                const std::string json = stageJson(view);
                CHECK(json.find("\"route\":[") != std::string::npos);
                CHECK(json.find(fmt::format("\"lit_ring\":{}", view.litRing)) != std::string::npos);
            });
        }
    }
    CHECK(stops > 60);
    CHECK(arrows > 20);
    CHECK(marks > 3);
}

TEST_CASE("a sensitive instruction executed silently is marked with what went wrong", "[stage]") {
    const Scenario scenario = loadScenario(std::string(RINGSIM_DATA_DIR) + "/scenarios/02-trap-emulate-flaw.yaml");
    bool seen = false;
    runTour(scenario, Mode::TrapEmulate, [&](Session& session, const ReachedStop& stop) {
        if (!stop.number || stop.event.kind != EventKind::SensitiveSilent) return;
        const StageView view = stageForEvent(session.machine().events, *stop.number);
        REQUIRE(!view.marks.empty());
        const StageMark& m = view.marks.front();
        CHECK(m.warning);
        CHECK(m.ring == 1);
        if (isa::Opcode(stop.event.detail) == isa::Opcode::Getcpl)
            CHECK(m.text == "getcpl read 1; the kernel believes it runs in 0");
        seen = true;
    });
    CHECK(seen);
}

TEST_CASE("the monitor's ring is lit for the cycles the monitor works, and flows count recent transitions",
          "[stage]") {
    const Scenario scenario = loadScenario(std::string(RINGSIM_DATA_DIR) + "/scenarios/07-hw-assist.yaml");
    const ScenarioImages images(scenario);
    RunOptions options = scenario.optionsFor(Mode::HwAssist);
    options.timelineCapacity = 1 << 16;
    Session session(images.forMode(Mode::HwAssist), options);
    std::optional<uint64_t> exit;
    session.setListener([&](const Event& e) {
        if (e.kind != EventKind::VmExit) return true;
        exit = session.machine().events.total() - 1;
        return false;
    });
    session.run();
    REQUIRE(exit);
    const EventLog& log = session.machine().events;
    const Event& e = log.at(*exit);
    const Timeline* timeline = session.timeline();
    REQUIRE(timeline);
    // The exit's own cycles (vm_exit) end at its stamp: the cycle before it is world-switch time.
    bool working = false;
    CHECK(litRingAt(*timeline, e.cycle - 1, Mode::HwAssist, 0, working) == -1);
    CHECK(working);
    const StageView view = stageForEvent(log, *exit);
    CHECK(view.litRing == -1);
    CHECK(view.monitorWorking);
    session.setListener({});
    session.run(session.machine().cpu.account.now + 2'000'000);
    const auto flows = stageFlows(log, session.machine().cpu.account.now, 2'000'000);
    REQUIRE(!flows.empty());
    CHECK(std::any_of(flows.begin(), flows.end(), [](const StageFlow& f) { return f.kind == EventKind::VmExit; }));
    for (size_t i = 1; i < flows.size(); ++i) CHECK(flows[i - 1].recent >= flows[i].recent);
}

TEST_CASE("a stop asked for by an event holds in every mode, even when that event changes how the CPU runs",
          "[stage][session]") {
    // Under binary translation a syscall goes from directly run user code into
    // translated kernel code: the CPU changes loops. The stop the listener
    // asked for at that event must survive the change (it once did not, and
    // the tour ran past its stops).
    const Scenario scenario = loadScenario(std::string(RINGSIM_DATA_DIR) + "/scenarios/default.yaml");
    const ScenarioImages images(scenario);
    for (const Mode mode : scenario.modes) {
        INFO(modeName(mode));
        Session session(images.forMode(mode), scenario.optionsFor(mode));
        size_t syscalls = 0;
        uint64_t at = 0;
        session.setListener([&](const Event& e) {
            if (e.kind != EventKind::Syscall) return true;
            ++syscalls;
            at = e.cycle;
            return false;
        });
        session.run();
        CHECK(syscalls == 1);
        CHECK(session.lastStop() == StopReason::StopRequested);
        CHECK(session.machine().cpu.account.now - at < 1000);
    }
}
