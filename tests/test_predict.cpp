// Predict, then reveal: the answer to each question is what the run really
// did, and the mechanism is the one each approach to virtualisation uses.
#include <catch2/catch.hpp>

#include <map>

#include "lesson/predict.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"
#include "run/session.h"

using namespace ringsim;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

// Every question one mode's run of syscalls.s makes, by mechanism.
std::map<Choice, std::vector<Question>> questionsIn(Mode mode, bool withGuest = false) {
    const Scenario s = parseScenario("title: t\nguests:\n  kernel: " + kGuests + "kernel.s\n  programs: [" + kGuests +
                                         "syscalls.s]\nmodes: [" + (mode == Mode::Native ? std::string("native") : "native, " + std::string(modeName(mode))) + "]\n",
                                     "/tmp/predict.yaml");
    ScenarioImages images(s);
    Session session(images.forMode(mode), s.optionsFor(mode));
    session.run(2'000'000);
    std::map<Choice, std::vector<Question>> out;
    const EventLog& log = session.machine().events;
    for (uint64_t n = log.firstRetained(); n < log.total(); ++n) {
        const Event& e = log.at(n);
        if (auto q = questionFor(e, n, mode, withGuest ? &images.forMode(mode) : nullptr)) {
            CHECK(q->ringAfter == e.ringAfter);  // the answer is what happened
            CHECK(q->ringBefore == e.ringBefore);
            CHECK(q->event == n);
            CHECK_FALSE(q->situation.empty());
            out[q->mechanism].push_back(*q);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("natively a system call goes through the gate from ring 3 to ring 0", "[predict]") {
    const auto q = questionsIn(Mode::Native);
    REQUIRE(q.count(Choice::SyscallGate));
    CHECK(q.at(Choice::SyscallGate).front().ringBefore == 3);
    CHECK(q.at(Choice::SyscallGate).front().ringAfter == 0);
    CHECK_FALSE(q.count(Choice::TrapToMonitor));
    CHECK_FALSE(q.count(Choice::VmExit));
}

TEST_CASE("under trap-and-emulate privileged instructions trap to ring 0 and popf-like ones run silently",
          "[predict]") {
    const auto q = questionsIn(Mode::TrapEmulate);
    REQUIRE(q.count(Choice::TrapToMonitor));
    for (const auto& x : q.at(Choice::TrapToMonitor)) CHECK(x.ringAfter == 0);
    REQUIRE(q.count(Choice::SilentlyExecuted));
    for (const auto& x : q.at(Choice::SilentlyExecuted)) CHECK(x.ringAfter == x.ringBefore);
}

TEST_CASE("with the kernel deprivileged a system call reaches the monitor first and is passed on to ring 1",
          "[predict]") {
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation}) {
        INFO(mode);
        const auto q = questionsIn(mode);
        REQUIRE(q.count(Choice::ReflectedByMonitor));
        bool syscall = false;
        for (const auto& x : q.at(Choice::ReflectedByMonitor)) {
            CHECK(x.ringAfter == 1);
            syscall = syscall || (x.kind == EventKind::Syscall && x.ringBefore == 3);
        }
        CHECK(syscall);
        CHECK_FALSE(q.count(Choice::SyscallGate));
    }
    // Not natively, under hardware assistance, or for the paravirtual kernel's registered gate.
    for (Mode mode : {Mode::Native, Mode::HwAssist, Mode::Paravirt}) {
        INFO(mode);
        const auto q = questionsIn(mode);
        CHECK(q.count(Choice::SyscallGate));
        if (mode != Mode::Paravirt) CHECK_FALSE(q.count(Choice::ReflectedByMonitor));
    }
}

TEST_CASE("binary translation calls the monitor from translated code without a trap", "[predict]") {
    const auto q = questionsIn(Mode::BinaryTranslation);
    REQUIRE(q.count(Choice::TranslationCallout));
    CHECK_FALSE(q.count(Choice::TrapToMonitor));
    CHECK_FALSE(q.count(Choice::SilentlyExecuted));
}

TEST_CASE("the paravirtual kernel makes hypercalls and hardware assistance exits to ring -1", "[predict]") {
    const auto pv = questionsIn(Mode::Paravirt);
    REQUIRE(pv.count(Choice::Hypercall));
    const auto hw = questionsIn(Mode::HwAssist);
    REQUIRE(hw.count(Choice::VmExit));
    for (const auto& x : hw.at(Choice::VmExit)) CHECK(x.ringAfter == -1);
}

TEST_CASE("events that are not transitions make no question", "[predict]") {
    Event e;
    e.kind = EventKind::PageWalk;
    CHECK_FALSE(questionFor(e, 0, Mode::Native));
    e.kind = EventKind::TranslationHit;
    CHECK_FALSE(questionFor(e, 0, Mode::BinaryTranslation));
    for (size_t m = 0; m < kChoiceCount; ++m) {
        CHECK(choiceName(Choice(m)) != "?");
        CHECK_FALSE(choiceExplanation(Choice(m)).empty());
    }
}

TEST_CASE("a question names the instruction about to run and its source line, VM exits too", "[predict]") {
    for (Mode mode : {Mode::TrapEmulate, Mode::HwAssist}) {
        INFO(mode);
        for (const auto& [choice, questions] : questionsIn(mode, true))
            for (const auto& q : questions) {
                INFO(q.situation);
                REQUIRE(q.code);
                CHECK_FALSE(q.code->instruction.empty());
                CHECK(q.code->line > 0);
                CHECK(q.situation.find(q.code->instruction) != std::string::npos);
                CHECK(q.situation.find("about to") != std::string::npos);
                CHECK(q.situation.find(std::string(modeName(mode))) != std::string::npos);
            }
    }
    const auto hw = questionsIn(Mode::HwAssist, true);
    REQUIRE(hw.count(Choice::VmExit));
    // Not an address: the disassembly, as the one instruction table names it.
    for (const auto& q : hw.at(Choice::VmExit)) CHECK(q.situation.find("the instruction at") == std::string::npos);
}
