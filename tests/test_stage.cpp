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
#include "lesson/stage_cast.h"
#include "machine/hypercalls.h"
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

TEST_CASE("each arrow of the stage says the mechanism of its hop", "[stage]") {
    const std::vector<Hop> reflected{{3, Actor::User}, {0, Actor::Monitor}, {1, Actor::Kernel}};
    CHECK(hopLabel(Mechanism::ReflectedByMonitor, EventKind::Syscall, reflected, 0) == "trap");
    CHECK(hopLabel(Mechanism::ReflectedByMonitor, EventKind::Syscall, reflected, 1) == "reflected");
    const std::vector<Hop> exit{{0, Actor::Kernel}, {-1, Actor::Monitor}};
    CHECK(hopLabel(Mechanism::VmExit, EventKind::VmExit, exit, 0) == "exit");
    const std::vector<Hop> callout{{1, Actor::Kernel}, {0, Actor::Monitor}, {1, Actor::Kernel}};
    CHECK(hopLabel(Mechanism::TranslationCallout, EventKind::EmulatedInstruction, callout, 0) == "callout");
    CHECK(hopLabel(Mechanism::Hypercall, EventKind::Hypercall, {{1, Actor::Kernel}, {0, Actor::Monitor}}, 0) ==
          "hypercall");
    // Every arrow of every bundled tour stop has its word.
    for (const auto& path : bundledScenarios()) {
        const Scenario scenario = loadScenario(path.string());
        if (!scenario.tour) continue;
        const Mode mode = scenario.tour->modes.front();
        runTour(scenario, mode, [&](Session& session, const ReachedStop& stop) {
            if (!stop.number) return;
            const StageView view = stageForEvent(session.machine().events, *stop.number);
            INFO(path.filename().string() << " stop " << stop.index + 1 << ": " << describeEvent(view.event));
            REQUIRE(view.hopLabels.size() + 1 == std::max<size_t>(1, view.route.size()));
            for (const auto& word : view.hopLabels) CHECK(!word.empty());
        });
    }
}

TEST_CASE("the device an event reached is lit, from its port, vector or hypercall", "[stage]") {
    Event out;
    out.kind = EventKind::PortIo;
    out.detail = isa::port::ConsoleData;
    CHECK(stageDevice(out) == "console");
    out.detail = isa::port::BlockCommand;
    CHECK(stageDevice(out) == "disk");
    Event tick;
    tick.kind = EventKind::Interrupt;
    tick.vector = uint8_t(isa::Vector::Timer);
    CHECK(stageDevice(tick) == "timer");
    Event write;
    write.kind = EventKind::Hypercall;
    write.detail = uint32_t(HypercallNumber::ConsoleWrite);
    CHECK(stageDevice(write) == "console");
    Event syscall;
    syscall.kind = EventKind::Syscall;
    CHECK(stageDevice(syscall).empty());
}

namespace {

// The stage surrounded at the tour stops of a scenario, in the tour's first mode.
std::vector<StageView> surroundedStops(const std::string& file) {
    const Scenario scenario = loadScenario(std::string(RINGSIM_DATA_DIR) + "/scenarios/" + file);
    std::vector<StageView> views;
    runTour(scenario, scenario.tour->modes.front(), [&](Session& session, const ReachedStop& stop) {
        StageView view = stageAtStop(session.machine().events, stop, session.machine().cpu.ring());
        surroundStage(view, session);
        views.push_back(view);
    });
    return views;
}

size_t litCount(const StageView& v) {
    return size_t(std::count_if(v.occupants.begin(), v.occupants.end(), [](const StageOccupant& o) { return o.lit; }));
}

}  // namespace

TEST_CASE("each VM, container and the monitor is on stage in its ring, the one whose code runs lit", "[stage]") {
    SECTION("native: the kernel in 0, the program in 3") {
        for (const StageView& v : surroundedStops("01-rings.yaml")) {
            REQUIRE(v.occupants.size() == 2);
            CHECK(v.occupants[0].name == "kernel");
            CHECK(v.occupants[0].ring == 0);
            CHECK(v.occupants[1].ring == 3);
            CHECK(litCount(v) == 1);
            CHECK(v.virtualCpu.empty());
        }
    }
    SECTION("trap-and-emulate: the monitor in 0, the VM's kernel in 1") {
        bool popfSeen = false;
        for (const StageView& v : surroundedStops("02-trap-emulate-flaw.yaml")) {
            REQUIRE(v.occupants.size() >= 2);
            CHECK(v.occupants[0].name == "monitor");
            CHECK(v.occupants[0].ring == 0);
            CHECK(v.occupants[1].name.rfind("vm0", 0) == 0);
            CHECK(v.occupants[1].ring != 0);
            CHECK(v.cpuLine.rfind(fmt::format("CPU in ring {} (", v.litRing), 0) == 0);
            // At the popf stop the kernel believes IF=0 while the CPU has IF=1.
            if (v.event.kind == EventKind::SensitiveSilent && isa::Opcode(v.event.detail) == isa::Opcode::Popf) {
                REQUIRE(!v.virtualCpu.empty());
                CHECK(v.virtualCpu[0].name == "IF");
                CHECK(v.virtualCpu[0].guest.rfind("0", 0) == 0);
                CHECK(v.virtualCpu[0].real.rfind("1", 0) == 0);
                CHECK(v.virtualCpu[0].differs);
                popfSeen = true;
            }
        }
        CHECK(popfSeen);
    }
    SECTION("hardware assistance: the monitor in root mode, lit at a VM exit") {
        bool exitSeen = false;
        for (const StageView& v : surroundedStops("07-hw-assist.yaml")) {
            CHECK(v.occupants[0].name == "monitor");
            CHECK(v.occupants[0].ring == -1);
            if (v.event.kind == EventKind::VmExit) {
                CHECK(v.occupants[0].lit);
                exitSeen = true;
            }
        }
        CHECK(exitSeen);
    }
    SECTION("several guests: one box each, at most one VM lit") {
        for (const char* file : {"11-containers-vs-vms.yaml", "12-shared-kernel.yaml", "13-pooling-isolation.yaml",
                                 "14-isolation.yaml"}) {
            INFO(file);
            for (const StageView& v : surroundedStops(file)) {
                CHECK(v.occupants.size() >= 3);
                CHECK(litCount(v) <= 1);  // the code that runs is one guest's, or the monitor's, or the host kernel's
                for (const auto& o : v.occupants) CHECK(o.ring >= -1);
                CHECK(stageJson(v).find("\"occupants\":[{\"name\"") != std::string::npos);
            }
        }
    }
}
