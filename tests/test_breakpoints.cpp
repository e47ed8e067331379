// Breakpoints on guest pcs, as a debugger (the GUI's disassembly) sets them:
// a run stops before the instruction at one, in every mode and in whichever
// guest reaches it, resuming executes it, and a run with stops in it ends
// exactly as a run without them.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "bundled_guest.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "run/session.h"

using namespace ringsim;

namespace {


const GuestImages& images(bool paravirt) { return testing::bundledGuest(std::vector<std::string>{"hello", "console"}, paravirt); }

const GuestImages& imagesFor(Mode mode) { return images(modeInfo(mode).needsParavirtKernel); }

RunOptions optionsFor(Mode mode, uint32_t instances = 1) {
    RunOptions options;
    options.mode = mode;
    options.instances = instances;
    options.maxCycles = 2'000'000'000;
    return options;
}

uint32_t kernelLabel(Mode mode, const std::string& name) {
    return imagesFor(mode).kernel.labels.at(name);
}

// Everything a run measures that a stop could disturb.
struct Measured {
    uint64_t cycles, instructions, tlbMisses;
    std::array<uint64_t, kCycleCategoryCount> byCategory;
    EventCounts events;
    uint64_t exits, trapsIntoMonitor, emulated, translatedBlocks, cacheHits, hypercalls;
    std::string console;
    bool operator==(const Measured&) const = default;
};

Measured measure(Session& s) {
    const RunResult r = s.result();
    return {r.totalCycles, r.instructions, r.tlbMisses, r.cycles, r.events, r.monitor.totalExits(),
            r.monitor.trapsIntoMonitor, r.monitor.emulated, r.monitor.translatedBlocks, r.monitor.cacheHits,
            r.monitor.totalHypercalls(), r.console};
}

Measured runToEnd(Mode mode, uint32_t instances = 1) {
    Session s(imagesFor(mode), optionsFor(mode, instances));
    REQUIRE(s.run() == StopReason::Halted);
    return measure(s);
}

// Runs to the end, resuming at every breakpoint; the pc of each stop, in order.
struct Stops {
    std::vector<uint32_t> pcs;
    std::set<uint16_t> guests;  // who reached them
};
Stops resumeAtEveryStop(Session& s) {
    Stops stops;
    for (;;) {
        const uint64_t instructions = s.machine().cpu.stats().instructions;
        const StopReason r = s.run();
        if (r != StopReason::Breakpoint) {
            REQUIRE(r == StopReason::Halted);
            return stops;
        }
        REQUIRE(s.atBreakpoint());
        stops.pcs.push_back(s.machine().cpu.state.pc);
        stops.guests.insert(s.machine().currentGuest);
        // Every stop but the first is after progress: the stop itself executes nothing.
        if (stops.pcs.size() > 1) CHECK(s.machine().cpu.stats().instructions > instructions);
        REQUIRE(stops.pcs.size() < 100'000);
    }
}



}  // namespace

TEST_CASE("in every mode a breakpoint stops before its instruction, and resuming runs it", "[breakpoints]") {
    for (Mode mode : allModes()) {
        INFO(mode);
        const uint32_t entry = kernelLabel(mode, "do_syscall");
        // Where the pc first reaches the label, found one instruction at a time.
        Session stepped(imagesFor(mode), optionsFor(mode));
        while (stepped.machine().cpu.state.pc != entry) {
            const StopReason r = stepped.run(stepped.machine().cpu.account.now + 1);
            REQUIRE(r == StopReason::StopRequested);
        }
        Session s(imagesFor(mode), optionsFor(mode));
        s.setBreakpoints({entry});
        REQUIRE(s.run() == StopReason::Breakpoint);
        CHECK(s.machine().cpu.state.pc == entry);
        CHECK(s.machine().cpu.stats().instructions == stepped.machine().cpu.stats().instructions);
        CHECK(s.machine().cpu.account.now == stepped.machine().cpu.account.now);
        CHECK(!s.finished());
        // Resuming executes the instruction at the breakpoint before anything can stop there again.
        const uint64_t before = s.machine().cpu.stats().instructions;
        const StopReason next = s.run();
        CHECK(s.machine().cpu.stats().instructions > before);
        CHECK((next == StopReason::Breakpoint || next == StopReason::Halted));
    }
}

TEST_CASE("a run stopped and resumed at breakpoints ends with the counters of a run without", "[breakpoints]") {
    for (Mode mode : allModes()) {
        INFO(mode);
        const Measured plain = runToEnd(mode);
        Session s(imagesFor(mode), optionsFor(mode));
        // The syscall path in the kernel and a user program's first instruction.
        const uint32_t user = imagesFor(mode).programs.front().labels.at("_start");
        s.setBreakpoints({kernelLabel(mode, "do_syscall"), user});
        const Stops stops = resumeAtEveryStop(s);
        const uint64_t syscalls = plain.events[size_t(EventKind::Syscall)];
        const auto count = [&](uint32_t pc) { return std::count(stops.pcs.begin(), stops.pcs.end(), pc); };
        CHECK(count(user) >= 1);  // both programs start at the same user address
        // Paravirt's kernel takes system calls as the others do; each one passes do_syscall.
        CHECK(uint64_t(count(kernelLabel(mode, "do_syscall"))) >= std::max<uint64_t>(syscalls, 1));
        CHECK(measure(s) == plain);
    }
}

TEST_CASE("a step of one instruction at a breakpoint moves on", "[breakpoints]") {
    for (Mode mode : {Mode::Native, Mode::BinaryTranslation}) {
        INFO(mode);
        Session s(imagesFor(mode), optionsFor(mode));
        const uint32_t entry = kernelLabel(mode, "do_syscall");
        s.setBreakpoints({entry});
        REQUIRE(s.run() == StopReason::Breakpoint);
        // The GUI's step: to the next instruction boundary.
        const uint64_t before = s.machine().cpu.stats().instructions;
        CHECK(s.run(s.machine().cpu.account.now + 1) == StopReason::StopRequested);
        CHECK(s.machine().cpu.stats().instructions == before + 1);
        CHECK(s.machine().cpu.state.pc != entry);
        // A step onto a breakpoint is shown there; the next step runs it anyway.
        s.setBreakpoints({s.machine().cpu.state.pc});
        s.stepOverBreakpoint();
        CHECK(s.run(s.machine().cpu.account.now + 1) == StopReason::StopRequested);
        CHECK(s.machine().cpu.stats().instructions == before + 2);
    }
}

TEST_CASE("removing breakpoints: the run goes on to its end as if none had been set", "[breakpoints]") {
    for (Mode mode : {Mode::Native, Mode::TrapEmulate, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        const Measured plain = runToEnd(mode);
        Session s(imagesFor(mode), optionsFor(mode));
        const uint32_t entry = kernelLabel(mode, "do_syscall");
        CHECK(s.toggleBreakpoint(entry));
        CHECK(s.breakpoints() == std::vector<uint32_t>{entry});
        REQUIRE(s.run() == StopReason::Breakpoint);
        CHECK_FALSE(s.toggleBreakpoint(entry));
        CHECK(s.breakpoints().empty());
        CHECK(s.run() == StopReason::Halted);
        CHECK(measure(s) == plain);
        // Set again after the end: a finished run stays finished.
        s.setBreakpoints({entry});
        CHECK(s.run() == StopReason::Halted);
    }
}

TEST_CASE("a breakpoint that is never reached changes nothing", "[breakpoints]") {
    for (Mode mode : allModes()) {
        INFO(mode);
        const Measured plain = runToEnd(mode);
        Session s(imagesFor(mode), optionsFor(mode));
        // A clean run never panics; and an address outside any code.
        s.setBreakpoints({kernelLabel(mode, "kernel_panic"), 0xFFFFFFF0u});
        CHECK(s.run() == StopReason::Halted);
        CHECK(measure(s) == plain);
    }
}

TEST_CASE("with several VMs or containers, any guest reaching the pc stops the run", "[breakpoints][vms]") {
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::HwAssist, Mode::Container}) {
        INFO(mode);
        const Measured plain = runToEnd(mode, 2);
        Session s(imagesFor(mode), optionsFor(mode, 2));
        // Containers share one kernel: a user program's entry tells them apart.
        const bool containers = mode == Mode::Container;
        const uint32_t pc = containers ? imagesFor(mode).programs.front().labels.at("_start")
                                       : kernelLabel(mode, "do_syscall");
        s.setBreakpoints({pc});
        const Stops stops = resumeAtEveryStop(s);
        CHECK(stops.guests == std::set<uint16_t>{uint16_t(containers ? 1 : 0), uint16_t(containers ? 2 : 1)});
        for (uint32_t at : stops.pcs) CHECK(at == pc);
        CHECK(measure(s) == plain);
    }
}
