// Predict, then reveal, asked before the event: when the question appears the
// window's run stands where a fresh run stands at the instruction boundary
// before the instruction that records the event (nothing of it in the log or
// the tour), and the answer runs that instruction, in every mode.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "gui/sim_controller.h"
#include "run/session.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;
using namespace ringsim::gui;

namespace {

const std::string kScenarios = std::string(RINGSIM_DATA_DIR) + "/scenarios/";

// As the frame loop does, until nothing is under way (bounded: a hang fails, not blocks).
void settle(SimController& sim) {
    for (int frame = 0; frame < 100'000 && sim.busy(); ++frame) sim.advance(std::chrono::milliseconds(20));
    REQUIRE_FALSE(sim.busy());
}

struct Position {
    uint64_t cycle = 0, events = 0;
    uint32_t pc = 0;
};

Position positionOf(Session& s) {
    return {s.machine().cpu.account.now, s.machine().events.total(), s.machine().cpu.state.pc};
}

// A fresh run stepped one instruction at a time: where it stands just before
// the step that records event `event`.
Position freshBefore(const std::string& path, Mode mode, uint64_t event) {
    const Scenario scenario = loadScenario(path);
    ScenarioImages images(scenario);
    Session fresh(images.forMode(mode), scenario.optionsFor(mode));
    Position before = positionOf(fresh);
    while (fresh.machine().events.total() <= event && !fresh.finished()) {
        before = positionOf(fresh);
        fresh.run(fresh.machine().cpu.account.now + 1);
    }
    REQUIRE(fresh.machine().events.total() > event);
    return before;
}

// Runs with questions on and checks the first `questions` of them.
void checkQuestions(const std::string& scenario, Mode mode, int questions) {
    const std::string path = kScenarios + scenario;
    SimController sim;
    sim.open(path, mode);
    REQUIRE(sim.session());
    sim.setPredict(true);
    sim.setPauseAtTourStops(false);
    for (int asked = 0; asked < questions; ++asked) {
        sim.run();
        settle(sim);
        if (!sim.question()) break;  // the run ended
        const Question q = *sim.question();
        INFO(scenario << " in " << modeName(mode) << ", question " << asked + 1 << ": " << q.situation);
        REQUIRE(sim.error().empty());
        Session& s = *sim.session();
        const Position shown = positionOf(s);
        // Nothing of the event yet, and exactly where a fresh run is before its instruction.
        CHECK(shown.events <= q.event);
        const Position expected = freshBefore(path, mode, q.event);
        CHECK(shown.cycle == expected.cycle);
        CHECK(shown.pc == expected.pc);
        CHECK(shown.events == expected.events);
        CHECK(q.code.has_value());
        // The answer runs the instruction: the event is in the log, as the question said.
        sim.giveAnswer({q.ringAfter, q.mechanism});
        REQUIRE(s.machine().events.total() > q.event);
        const Event& e = s.machine().events.at(q.event);
        CHECK(e.kind == q.kind);
        CHECK(e.ringAfter == q.ringAfter);
        CHECK(sim.score().ringsRight == sim.score().asked);
        sim.dismissQuestion();
    }
}

}  // namespace

TEST_CASE("a question stands before the instruction that causes its event, in every mode", "[predict]") {
    for (Mode mode : {Mode::Native, Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::Paravirt,
                      Mode::HwAssist}) {
        SECTION(std::string(modeName(mode))) { checkQuestions("10-io.yaml", mode, 6); }
    }
    SECTION("container") { checkQuestions("11-containers-vs-vms.yaml", Mode::Container, 4); }
    // Several VMs under one monitor: the scheduler's switches replay as they ran.
    SECTION("several VMs") {
        checkQuestions("11-containers-vs-vms.yaml", Mode::HwAssist, 4);
        checkQuestions("13-pooling-isolation.yaml", Mode::Paravirt, 4);
    }
}

TEST_CASE("a question in binary translation stands inside a translated block", "[predict]") {
    checkQuestions("04-binary-translation.yaml", Mode::BinaryTranslation, 8);
}

TEST_CASE("an interrupt is asked about before the instruction it comes before", "[predict]") {
    const std::string path = kScenarios + "02-trap-emulate-flaw.yaml";
    SimController sim;
    sim.open(path, Mode::Native);
    sim.setPredict(true);
    sim.setPauseAtTourStops(false);
    for (int asked = 0; asked < 40; ++asked) {
        sim.run();
        settle(sim);
        REQUIRE(sim.question());
        const Question q = *sim.question();
        if (q.kind != EventKind::Interrupt) {
            sim.giveAnswer({q.ringAfter, q.mechanism});
            sim.dismissQuestion();
            continue;
        }
        Session& s = *sim.session();
        // The CPU stands at the instruction the interrupt comes before, which has not run.
        CHECK(s.machine().cpu.state.pc == q.pc);
        const Position expected = freshBefore(path, Mode::Native, q.event);
        CHECK(s.machine().cpu.account.now == expected.cycle);
        CHECK(s.machine().events.total() == expected.events);
        sim.giveAnswer({q.ringAfter, q.mechanism});
        CHECK(s.machine().events.at(q.event).kind == EventKind::Interrupt);
        return;
    }
    FAIL("no interrupt was asked about");
}

TEST_CASE("the tour shows no stop the question's event reaches until the answer", "[predict]") {
    SimController sim;
    sim.open(kScenarios + "02-trap-emulate-flaw.yaml", Mode::TrapEmulate);
    REQUIRE(sim.tour().active());
    sim.setPredict(true);
    bool stopRevealed = false;
    for (int step = 0; step < 60 && !stopRevealed; ++step) {
        if (sim.question()) {
            const Question q = *sim.question();
            // At the question, no stop reached by its event or a later one, and none shown that is not reached.
            for (const auto& stop : sim.tour().reached()) {
                CHECK((!stop.number || *stop.number < q.event));
                CHECK(stop.cycle <= sim.session()->machine().cpu.account.now);
            }
            CHECK(sim.shownStops() == sim.tour().reached().size());
            const size_t shown = sim.shownStops();
            sim.giveAnswer({q.ringAfter, q.mechanism});
            if (sim.shownStops() > shown) {
                // The answer ran the instruction: its stop comes now, by that very event.
                REQUIRE(sim.tour().reached().back().number);
                CHECK(*sim.tour().reached().back().number >= q.event);
                stopRevealed = true;
            }
            sim.dismissQuestion();
        } else {
            if (!sim.moreTourStops()) break;
            sim.nextTourStop();
        }
        settle(sim);
    }
    CHECK(stopRevealed);
}
