// "Why did this happen?" (core/explain.h): real events of the bundled
// scenarios, explained in every mode they occur in. The explanations must
// agree with the run (the cost parts add up to what the event recorded, the
// instruction is the one the event names) and with the lecture (the same
// instruction meets a different mechanism in each approach).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "machine/errors.h"
#include "lesson/explain.h"
#include "lesson/stage.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"
#include "run/session.h"
#include "cpu-model/vmx.h"

using namespace ringsim;

namespace {

std::string scenarioPath(const std::string& name) { return std::string(RINGSIM_DATA_DIR) + "/scenarios/" + name + ".yaml"; }

// A whole run of one scenario in one mode, every event kept.
struct RecordedRun {
    std::unique_ptr<ScenarioImages> images;
    const GuestImages* guest = nullptr;
    Costs costs;
    Mode mode = Mode::Native;
    std::vector<Event> events;

    const Event* first(EventKind kind, uint32_t pc = 0) const {
        for (const auto& e : events)
            if (e.kind == kind && (pc == 0 || e.pc == pc)) return &e;
        return nullptr;
    }
    EventExplanation explain(const Event& e) const { return explainEvent(e, mode, *guest); }
};

RecordedRun record(const std::string& scenarioName, Mode mode, const std::string& preset = "") {
    Scenario scenario = loadScenario(scenarioPath(scenarioName));
    scenario.modes = {mode};
    RecordedRun run;
    run.mode = mode;
    run.images = std::make_unique<ScenarioImages>(scenario);
    run.guest = &run.images->forMode(mode);
    Session session(*run.guest, scenario.optionsFor(mode, preset));
    run.costs = session.machine().costs;
    session.setListener([&run](const Event& e) {
        run.events.push_back(e);
        return true;
    });
    session.run();
    return run;
}

uint64_t partsInEvent(const EventExplanation& x) {
    uint64_t sum = 0;
    for (const auto& p : x.costs)
        if (p.inEventCost) sum += p.cycles();
    return sum;
}

// Kinds whose pc is the instruction that caused them.
bool causedByInstructionAtPc(const Event& e) {
    switch (e.kind) {
    case EventKind::Syscall:
    case EventKind::SensitiveTrapped:
    case EventKind::SensitiveSilent:
    case EventKind::EmulatedInstruction:
    case EventKind::Hypercall:
    case EventKind::PortIo: return true;
    case EventKind::VmExit: return VmExitReason(e.detail) != VmExitReason::ExternalInterrupt &&
                                   VmExitReason(e.detail) != VmExitReason::GuestPageTableWrite;
    default: return false;
    }
}

}  // namespace

TEST_CASE("every event of every bundled lesson is explained, and its cost parts add up to what it recorded",
          "[explain]") {
    const std::vector<std::pair<std::string, std::vector<Mode>>> runs = {
        {"02-trap-emulate-flaw", {Mode::Native, Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Paravirt, Mode::HwAssist}},
        {"03-trap-emulate-strict", {Mode::TrapEmulate}},
        {"05-emulation-vs-translation", {Mode::Emulation}},
        {"08-memory-shadow", {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::HwAssist}},
        {"09-memory-nested", {Mode::HwAssist}},
        {"10-io", {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::Paravirt, Mode::HwAssist}},
        {"11-containers-vs-vms", {Mode::Container, Mode::Paravirt}},
        {"13-pooling-isolation", {Mode::HwAssist}},
        {"14-isolation", {Mode::HwAssist, Mode::BinaryTranslation}},
    };
    std::map<Mode, std::map<EventKind, size_t>> seen;  // mode -> kind -> events explained
    for (const auto& [scenario, modes] : runs)
        for (const auto& mode : modes) {
            const RecordedRun run = record(scenario, mode);
            REQUIRE(!run.events.empty());
            // Every event would be slow to explain one by one; the first few hundred of each kind do.
            std::map<EventKind, size_t> explained;
            for (const auto& e : run.events) {
                if (explained[e.kind]++ >= 300) continue;
                INFO(scenario << " " << mode << ": " << describeEvent(e));
                const EventExplanation x = run.explain(e);
                CHECK(x.kind == eventKindName(e.kind));
                CHECK(!x.mechanism.empty());
                CHECK(!x.mechanismText.empty());
                CHECK(!x.controlText.empty());
                CHECK(x.eventCost == e.cost);
                CHECK(partsInEvent(x) == e.cost);
                if (causedByInstructionAtPc(e)) {
                    REQUIRE(x.code.has_value());
                    CHECK(x.code->decoded);
                    CHECK(x.code->line > 0);
                    CHECK(!x.instructionClass.empty());
                }
                ++seen[mode][e.kind];
            }
        }
    // The kinds the lecture is about were met where they belong.
    CHECK(seen[Mode::TrapEmulate][EventKind::SensitiveSilent] > 0);
    CHECK(seen[Mode::TrapEmulate][EventKind::SensitiveTrapped] > 0);
    CHECK(seen[Mode::TrapEmulate][EventKind::ShadowUpdate] > 0);
    CHECK(seen[Mode::BinaryTranslation][EventKind::EmulatedInstruction] > 0);
    CHECK(seen[Mode::BinaryTranslation][EventKind::Translation] > 0);
    CHECK(seen[Mode::BinaryTranslation][EventKind::TranslationHit] > 0);
    CHECK(seen[Mode::Emulation][EventKind::Translation] > 0);
    CHECK(seen[Mode::Paravirt][EventKind::Hypercall] > 0);
    CHECK(seen[Mode::HwAssist][EventKind::VmExit] > 0);
    CHECK(seen[Mode::HwAssist][EventKind::VmEntry] > 0);
    CHECK(seen[Mode::HwAssist][EventKind::ContextSwitch] > 0);
    CHECK(seen[Mode::HwAssist][EventKind::IsolationViolation] > 0);
    CHECK(seen[Mode::Container][EventKind::ContextSwitch] > 0);
    CHECK(seen[Mode::Native][EventKind::Syscall] > 0);
}

TEST_CASE("the same popf is silently wrong under trap-and-emulate and a callout under binary translation",
          "[explain]") {
    const RecordedRun te = record("02-trap-emulate-flaw", Mode::TrapEmulate);
    const Event* silent = nullptr;
    for (const auto& e : te.events)
        if (e.kind == EventKind::SensitiveSilent && e.detail == uint8_t(isa::Opcode::Popf) && e.ringBefore == 1) {
            silent = &e;
            break;
        }
    REQUIRE(silent);
    const EventExplanation quiet = te.explain(*silent);
    CHECK(quiet.code->instruction == "popf");
    CHECK(quiet.instructionClass == "sensitive-unprivileged");
    CHECK(quiet.mechanism.find("nothing") != std::string::npos);
    CHECK(quiet.mechanism.find("silently") != std::string::npos);
    CHECK(partsInEvent(quiet) == 0);
    CHECK(quiet.ringBefore == quiet.ringAfter);  // no ring was crossed: the monitor never knew

    // The same kernel image, the same pc: binary translation calls out and emulates it.
    const RecordedRun bt = record("02-trap-emulate-flaw", Mode::BinaryTranslation);
    const Event* callout = bt.first(EventKind::EmulatedInstruction, silent->pc);
    REQUIRE(callout);
    const EventExplanation caught = bt.explain(*callout);
    CHECK(caught.code->instruction == "popf");
    CHECK(caught.mechanism.find("callout") != std::string::npos);
    CHECK(partsInEvent(caught) == uint64_t(bt.costs.btCallout) + bt.costs.emulatePrivileged);

    // Hardware assistance runs the kernel in (non-root) ring 0: popf needs nothing there, so no kernel
    // instruction runs silently in the wrong ring.
    const RecordedRun hw = record("02-trap-emulate-flaw", Mode::HwAssist);
    for (const auto& e : hw.events) CHECK_FALSE((e.kind == EventKind::SensitiveSilent && e.ringBefore < 3));

    // Paravirtualisation: the kernel neither runs popf nor asks the monitor (the irq_restore hypercall
    // stays for kernels without one): its interrupt flag is a word in the page it shares with the monitor.
    const RecordedRun pv = record("02-trap-emulate-flaw", Mode::Paravirt);
    size_t irqHypercalls = 0;
    for (const auto& e : pv.events) {
        CHECK_FALSE((e.kind == EventKind::SensitiveSilent && e.ringBefore < 3));
        if (e.kind == EventKind::Hypercall && e.detail >= 4 && e.detail <= 6) ++irqHypercalls;
    }
    CHECK(irqHypercalls == 0);
}

TEST_CASE("one out instruction: direct natively, a fault, a callout or a VM exit under a monitor", "[explain]") {
    // 10-io's kernel writes the console with `out`; the unmodified kernel is the same image in every mode below.
    const RecordedRun native = record("10-io", Mode::Native);
    const Event* direct = native.first(EventKind::PortIo);
    REQUIRE(direct);
    const uint32_t pc = direct->pc;
    CHECK(native.explain(*direct).mechanism == "direct device access");

    const RecordedRun te = record("10-io", Mode::TrapEmulate);
    const Event* trapped = te.first(EventKind::SensitiveTrapped, pc);
    REQUIRE(trapped);
    const EventExplanation fault = te.explain(*trapped);
    CHECK(fault.mechanism == "fault to the monitor, emulated");
    CHECK(fault.instructionClass == "privileged");
    CHECK(fault.ringAfter.find("monitor") != std::string::npos);
    CHECK(partsInEvent(fault) == uint64_t(te.costs.monitorTrap) + te.costs.emulatePrivileged);

    const RecordedRun bt = record("10-io", Mode::BinaryTranslation);
    const Event* callout = bt.first(EventKind::EmulatedInstruction, pc);
    REQUIRE(callout);
    CHECK(bt.explain(*callout).mechanism == "translation callout, emulated");

    const RecordedRun hw = record("10-io", Mode::HwAssist);
    const Event* exit = hw.first(EventKind::VmExit, pc);
    REQUIRE(exit);
    const EventExplanation vmexit = hw.explain(*exit);
    CHECK(vmexit.mechanism == "VM exit (io-instruction)");
    CHECK(vmexit.ringAfter.find("root mode") != std::string::npos);
    // The exit's own cost is the world switch; the handling and the entry back are charged around it.
    REQUIRE(!vmexit.costs.empty());
    CHECK(vmexit.costs.front().name == "vm_exit");
    bool handlingAround = false, entryAround = false;
    for (const auto& p : vmexit.costs) {
        handlingAround |= p.name == "exit_handling" && !p.inEventCost;
        entryAround |= p.name == "vm_entry" && !p.inEventCost;
    }
    CHECK(handlingAround);
    CHECK(entryAround);
}

TEST_CASE("the syscall gate: direct natively and with hardware assistance, through the monitor under trap-and-emulate, "
          "Xen's fast path under paravirtualisation",
          "[explain]") {
    auto mechanismOfFirstSyscall = [](Mode mode) {
        const RecordedRun run = record("06-paravirt", mode);
        const Event* e = run.first(EventKind::Syscall);
        REQUIRE(e);
        const EventExplanation x = run.explain(*e);
        CHECK(x.code->instruction == "syscall");
        CHECK(x.instructionClass == "gate");
        return x.mechanism;
    };
    CHECK(mechanismOfFirstSyscall(Mode::Native) == "the hardware syscall gate");
    CHECK(mechanismOfFirstSyscall(Mode::HwAssist) == "the hardware syscall gate");
    CHECK(mechanismOfFirstSyscall(Mode::TrapEmulate) == "trap to the monitor, reflected");
    CHECK(mechanismOfFirstSyscall(Mode::Paravirt) == "fast system-call path (no monitor)");
}

TEST_CASE("the paravirtual kernel's hypercall on bare hardware is an invalid-opcode fault", "[explain]") {
    const RecordedRun run = record("06b-paravirt-kernel-on-hardware", Mode::Native);
    const Event* fault = nullptr;
    for (const auto& e : run.events)
        if (e.kind == EventKind::Fault && e.vector == uint8_t(isa::Vector::InvalidOpcode)) fault = &e;
    REQUIRE(fault);
    const EventExplanation x = run.explain(*fault);
    REQUIRE(x.code.has_value());
    CHECK(x.code->instruction.rfind("hcall", 0) == 0);
    CHECK(x.instructionClass == "hypercall");
}

TEST_CASE("rings are named by who runs in them in each mode", "[explain]") {
    CHECK(ringOccupant(0, Mode::Native) == "the kernel");
    CHECK(ringOccupant(0, Mode::TrapEmulate) == "the monitor");
    CHECK(ringOccupant(1, Mode::BinaryTranslation) == "the guest kernel, deprivileged");
    CHECK(ringOccupant(-1, Mode::HwAssist) == "the monitor, in root mode");
    CHECK(ringOccupant(0, Mode::HwAssist) == "the guest kernel, in non-root mode");
    CHECK(ringOccupant(0, Mode::Container).find("host kernel") != std::string::npos);
    CHECK_THROWS_AS(ringOccupant(0, parseMode("no-such-mode")), InputError);
}

TEST_CASE("an address in no image is located nowhere, one in the kernel names its source line", "[explain]") {
    Scenario scenario = loadScenario(scenarioPath("01-rings"));
    const ScenarioImages images(scenario);
    const GuestImages& guest = images.forMode(Mode::Native);
    CHECK_FALSE(locateCode(guest, 0xFFFFFF00u).has_value());
    const auto at = locateCode(guest, guest.kernel.entry);
    REQUIRE(at.has_value());
    CHECK(at->image == "kernel");
    CHECK(at->file == "kernel.s");
    CHECK(at->line > 0);
    CHECK(at->label == "_start");
}

TEST_CASE("ringsim explain prints the explanation of one event, a bad kind or a missing event is reported",
          "[explain][cli]") {
    auto ringsim = [](const std::string& args) {
        const std::string command = std::string(RINGSIM_CLI) + " " + args + " 2>&1";
        FILE* pipe = popen(command.c_str(), "r");
        REQUIRE(pipe);
        std::string text;
        char buffer[4096];
        size_t n = 0;
        while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
        const int status = pclose(pipe);
        return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, text);
    };
    const std::string scenario = scenarioPath("07-hw-assist");
    auto [code, text] = ringsim("explain " + scenario + " --mode hw-assist --kind vm-exit");
    CHECK(code == 0);
    CHECK_THAT(text, Catch::Contains("event 0 of 07-hw-assist in hw-assist"));
    CHECK_THAT(text, Catch::Contains("mechanism:   VM exit (io-instruction)"));
    CHECK_THAT(text, Catch::Contains("in event  vm_exit"));

    // The event asked for, not a later one the same instruction recorded (one out: exit, port-io, entry).
    for (const char* number : {"0", "1", "2"}) {
        auto [byNumber, numberText] = ringsim("explain " + scenario + " --mode hw-assist --event " + number);
        CHECK(byNumber == 0);
        CHECK_THAT(numberText, Catch::Contains(std::string("event ") + number + " of 07-hw-assist in hw-assist"));
    }

    auto [badKind, kindText] = ringsim("explain " + scenario + " --kind no-such-kind");
    CHECK(badKind == 2);
    CHECK_THAT(kindText, Catch::Contains("unknown event kind 'no-such-kind'"));

    auto [missing, missingText] = ringsim("explain " + scenario + " --mode hw-assist --kind hypercall");
    CHECK(missing == 1);
    CHECK_THAT(missingText, Catch::Contains("no hypercall event numbered 0 or later"));
}

TEST_CASE("a VM entry on a CPU without VPID says it flushed the TLB, on one with VPID it does not",
          "[explain][hw-assist]") {
    const RecordedRun untagged = record("07-hw-assist", Mode::HwAssist, "vtx-2006");
    const Event* flushing = untagged.first(EventKind::VmEntry);
    REQUIRE(flushing);
    CHECK(flushing->detail == 1);
    CHECK(eventDetail(*flushing) == "TLB flushed (no VPID)");
    CHECK(untagged.explain(*flushing).mechanismText.find("no VPID") != std::string::npos);
    // The stage's caption says it too.
    EventLog log;
    log.record(*flushing);
    CHECK(stageForEvent(log, 0).caption.find("no VPID: TLB flushed") != std::string::npos);

    const RecordedRun tagged = record("07-hw-assist", Mode::HwAssist, "modern");
    const Event* keeping = tagged.first(EventKind::VmEntry);
    REQUIRE(keeping);
    CHECK(keeping->detail == 0);
    CHECK(eventDetail(*keeping).empty());
    CHECK(tagged.explain(*keeping).mechanismText.find("VPID") == std::string::npos);
    EventLog taggedLog;
    taggedLog.record(*keeping);
    CHECK(stageForEvent(taggedLog, 0).caption.find("VPID") == std::string::npos);
}
