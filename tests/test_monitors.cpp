// The monitors, checked against the claims of the lecture and the literature:
// correct modes are equivalent to native, trap-and-emulate fails on a
// non-strict CPU, the paravirtual kernel needs its monitor, and the costs
// have the shapes measured on real machines (DESIGN.md sections 4 and 8).
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <numeric>

#include "monitors/container.h"
#include "monitors/expected_console.h"
#include "bundled_guest.h"
#include "machine/errors.h"
#include "monitors/paravirt.h"
#include "run/run.h"

using namespace ringsim;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

const GuestImages& images(const std::string& program, bool paravirt) {
    return testing::bundledGuest(program, paravirt);
}

RunResult run(const std::string& program, Mode mode, const std::string& preset = "modern",
              bool strict = false, const std::string& paging = "auto") {
    RunOptions options;
    options.mode = mode;
    options.preset = preset;
    options.strict = strict;
    options.paging = paging;
    options.maxCycles = 400'000'000;
    return runGuest(images(program, mode == Mode::Paravirt), options);
}

uint64_t user(const RunResult& r) { return r.cycles[size_t(CycleCategory::GuestUser)]; }

const char* kPrograms[] = {"compute", "syscalls", "console", "pagetables", "hello", "privileged"};
const Mode kCorrectModes[] = {Mode::BinaryTranslation, Mode::Emulation, Mode::Paravirt, Mode::HwAssist};

}  // namespace

TEST_CASE("every correct mode gives the console output and user work of native", "[monitors][equivalence]") {
    for (const char* program : kPrograms) {
        const RunResult native = run(program, Mode::Native);
        REQUIRE(native.stopReason == StopReason::Halted);
        for (Mode mode : kCorrectModes) {
            INFO(program << " under " << mode);
            const RunResult r = run(program, mode);
            CHECK(r.stopReason == StopReason::Halted);
            CHECK(r.console == consoleExpectedIn(mode, native.console));
            CHECK(user(r) == user(native));  // the same user instructions ran, preempted at the same points
            CHECK(r.events[size_t(EventKind::Interrupt)] == native.events[size_t(EventKind::Interrupt)]);
        }
        INFO(program << " under hw-assist with shadow paging");
        CHECK(run(program, Mode::HwAssist, "modern", false, "shadow").console == native.console);
        // A container sees its own stream: native's output but the kernel's
        // lines, which are the host's. (The machine's final registers are the
        // host kernel's, not the container's, so they are not compared.)
        INFO(program << " in a container");
        const RunResult c = run(program, Mode::Container);
        CHECK(c.stopReason == StopReason::Halted);
        CHECK(c.console == withoutKernelLines(native.console));
        CHECK(c.console == consoleExpectedIn(Mode::Container, native.console));
        CHECK(withoutKernelLines(c.hostConsole).empty());
        CHECK(std::count(c.hostConsole.begin(), c.hostConsole.end(), '\n') ==
              std::count(native.console.begin(), native.console.end(), '\n') -
                  std::count(c.console.begin(), c.console.end(), '\n'));
        CHECK(user(c) == user(native));
        CHECK(c.events[size_t(EventKind::Interrupt)] == native.events[size_t(EventKind::Interrupt)]);
        CHECK(c.events[size_t(EventKind::Syscall)] == native.events[size_t(EventKind::Syscall)]);
        CHECK(c.events[size_t(EventKind::Fault)] == native.events[size_t(EventKind::Fault)]);
    }
}

TEST_CASE("trap-and-emulate diverges on a non-strict CPU and is correct on a strict one", "[monitors][popek-goldberg]") {
    const RunResult native = run("compute", Mode::Native);
    const RunResult flawed = run("compute", Mode::TrapEmulate);
    CHECK(flawed.console != native.console);
    CHECK_THAT(flawed.console, Catch::Contains("running in ring 1"));  // getcpl leaked the real ring
    CHECK(flawed.events[size_t(EventKind::SensitiveSilent)] > 0);
    const RunResult strict = run("compute", Mode::TrapEmulate, "modern", /*strict=*/true);
    CHECK(strict.console == native.console);
    CHECK(strict.events[size_t(EventKind::SensitiveSilent)] == 0);
    CHECK(strict.events[size_t(EventKind::SensitiveTrapped)] > flawed.events[size_t(EventKind::SensitiveTrapped)]);
}

TEST_CASE("the paravirtual kernel faults on bare hardware, the unmodified one is refused by paravirt",
          "[monitors][paravirt]") {
    RunOptions options;
    const RunResult bare = runGuest(images("hello", /*paravirt=*/true), options);
    CHECK(bare.stopReason == StopReason::GuestFault);
    CHECK_THAT(bare.stopMessage, Catch::Contains("invalid-opcode"));
    options.mode = Mode::Paravirt;
    CHECK_THROWS_WITH(runGuest(images("hello", false), options), Catch::Contains("PARAVIRT=1"));
}

TEST_CASE("hw-assist needs a CPU with hardware virtualisation extensions", "[monitors][hw-assist]") {
    RunOptions options;
    options.mode = Mode::HwAssist;
    options.hardwareAssist = false;
    CHECK_THROWS_WITH(runGuest(images("hello", false), options),
                      Catch::Contains("no hardware virtualisation extensions"));
    options.hardwareAssist = true;
    options.preset = "vtx-2006";
    options.paging = "nested";
    CHECK_THROWS_WITH(runGuest(images("hello", false), options), Catch::Contains("nested paging"));
}

TEST_CASE("compute-bound code runs near native except under full emulation", "[monitors][shapes]") {
    for (const char* preset : {"modern", "vtx-2006"}) {
        const double native = double(run("compute", Mode::Native, preset).totalCycles);
        for (Mode mode : {Mode::BinaryTranslation, Mode::Paravirt, Mode::HwAssist, Mode::Container}) {
            INFO(mode << " on " << preset);
            CHECK(double(run("compute", mode, preset).totalCycles) / native == Approx(1.0).margin(0.10));
        }
        INFO("emulation on " << preset);
        CHECK(double(run("compute", Mode::Emulation, preset).totalCycles) >= 5 * native);
    }
}

TEST_CASE("syscalls: hardware assistance stays near native, binary translation pays on every one",
          "[monitors][shapes]") {
    const RunResult native = run("syscalls", Mode::Native);
    const RunResult hw = run("syscalls", Mode::HwAssist);
    const RunResult bt = run("syscalls", Mode::BinaryTranslation);
    CHECK(double(hw.totalCycles) / double(native.totalCycles) == Approx(1.0).margin(0.10));
    // A guest syscall does not exit: the exits come from the timer and the console, far fewer than the syscalls.
    CHECK(hw.monitor.totalExits() * 10 < native.events[size_t(EventKind::Syscall)]);
    CHECK(bt.totalCycles > 2 * native.totalCycles);
}

TEST_CASE("on a 2006 CPU binary translation beats hardware assistance on page-table and port-I/O work",
          "[monitors][shapes][adams-agesen]") {
    for (const char* program : {"pagetables", "console"}) {
        INFO(program);
        CHECK(run(program, Mode::BinaryTranslation, "vtx-2006").totalCycles <
              run(program, Mode::HwAssist, "vtx-2006").totalCycles);
    }
}

TEST_CASE("on a modern CPU nested paging beats shadow paging on page-table work", "[monitors][shapes]") {
    const RunResult nested = run("pagetables", Mode::HwAssist, "modern", false, "nested");
    const RunResult shadow = run("pagetables", Mode::HwAssist, "modern", false, "shadow");
    CHECK(nested.totalCycles < shadow.totalCycles);
    CHECK(nested.pageWalkRefs > shadow.pageWalkRefs / shadow.tlbMisses * nested.tlbMisses);  // 2-D walks
    CHECK(shadow.monitor.exits[size_t(VmExitReason::PageTableBaseLoad)] > 0);
    CHECK(nested.monitor.exits[size_t(VmExitReason::PageTableBaseLoad)] == 0);
}

TEST_CASE("paravirtual I/O beats trap-and-emulate and hardware assistance", "[monitors][shapes]") {
    const RunResult pv = run("console", Mode::Paravirt);
    CHECK(pv.totalCycles < run("console", Mode::TrapEmulate, "modern", true).totalCycles);
    CHECK(pv.totalCycles < run("console", Mode::HwAssist).totalCycles);
    CHECK(pv.monitor.totalHypercalls() > 0);
}

TEST_CASE("in every mode the categories sum to the total and runs repeat exactly", "[monitors][determinism]") {
    for (const auto& info : modeTable()) {
        const Mode mode = info.mode;
        INFO(mode);
        const RunResult a = run("pagetables", mode);
        const RunResult b = run("pagetables", mode);
        CHECK(std::accumulate(a.cycles.begin(), a.cycles.end(), uint64_t(0)) == a.totalCycles);
        CHECK(a.cycles == b.cycles);
        CHECK(a.events == b.events);
        CHECK(a.console == b.console);
    }
}

TEST_CASE("a container: its processes number from pid 1, its output is its own stream, the kernel's the host's",
          "[monitors][container]") {
    GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    sources.programs = {kGuests + "hello.s", kGuests + "hello.s"};
    const GuestImages twoHellos = assembleGuest(sources);
    RunOptions options;
    options.mode = Mode::Container;
    const RunResult r = runGuest(twoHellos, options);
    CHECK(r.stopReason == StopReason::Halted);
    CHECK(r.console == "hello from pid 1 in ring 3\nhello from pid 2 in ring 3\n");
    CHECK(r.hostConsole ==
          "kernel: running in ring 0\n"
          "kernel: trap table at 0x00000040\n"
          "kernel: starting 2 programs\n"
          "kernel: all 2 processes exited after 0 timer ticks\n");
    // Natively it is the same programs, and the same host kernel, on one console.
    options.mode = Mode::Native;
    CHECK(withoutKernelLines(runGuest(twoHellos, options).console) == r.console);
}

TEST_CASE("containers side by side: each its own pids and stream, beside a host process", "[monitors][container]") {
    GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    sources.programs = {kGuests + "hello.s", kGuests + "hello.s", kGuests + "hello.s", kGuests + "hello.s"};
    const GuestImages hellos = assembleGuest(sources);
    RunOptions options;
    options.mode = Mode::Container;
    Machine machine(machineConfigFor(options));
    ContainerMonitor host(machine);
    machine.cpu.setHooks(&host);
    host.setContainers({{2}, {0}, {2}, {3}});
    host.start(hellos);
    CHECK(host.run(100'000'000) == StopReason::Halted);
    CHECK(host.shownContainer() == 2);
    CHECK(host.consoleText() == "hello from pid 1 in ring 3\nhello from pid 2 in ring 3\n");
    const auto& console = machine.devices.console;
    CHECK(console.streamText(3) == "hello from pid 1 in ring 3\n");
    CHECK_THAT(std::string(host.hostConsoleText()), Catch::Contains("\nhello from pid 2 in ring 3\n"));  // host pid
    CHECK(machine.cpu.stats().portAccesses > 0);
}

TEST_CASE("containers run on the host's native kernel: the paravirtual build is refused", "[monitors][container]") {
    RunOptions options;
    options.mode = Mode::Container;
    CHECK_THROWS_WITH(runGuest(images("hello", /*paravirt=*/true), options),
                      Catch::Contains("container") && Catch::Contains("without -D PARAVIRT=1"));
}

TEST_CASE("the console_write hypercall writes to the stream in r3", "[monitors][paravirt]") {
    // A minimal paravirtual "kernel": one hypercall, then halt.
    auto assembled = assembler::assembleText(R"(
        .equ    PARAVIRT, 1
        .include "include/hypercalls.inc"
_start: li      r1, text
        li      r2, 3
        li      r3, 4
        hcall   HC_CONSOLE_WRITE
        hcall   HC_HALT
text:   .ascii  "abc"
)", kGuests + "pv_stream.s");
    INFO(assembled.errorText());
    REQUIRE(assembled.ok());
    GuestImages guest;
    guest.kernel = *assembled.program;
    RunOptions options;
    options.mode = Mode::Paravirt;
    Machine machine(machineConfigFor(options));
    ParavirtMonitor monitor(machine);
    machine.cpu.setHooks(&monitor);
    monitor.start(guest);
    CHECK(monitor.run(1'000'000) == StopReason::Halted);
    const Console& console = monitor.virtualDevices().console;
    CHECK(console.text() == "abc");
    CHECK(console.streamText(4) == "abc");
    CHECK(console.selected() == 0);  // only that buffer was the stream's
    CHECK(machine.cpu.state.r[0] == 3);
}

TEST_CASE("the paravirtual kernel says it runs deprivileged in ring 1, the native one, ring 0", "[monitors][paravirt]") {
    // It was written for the monitor: it knows where it runs without asking the CPU.
    const RunResult pv = run("hello", Mode::Paravirt);
    CHECK_THAT(pv.console, Catch::StartsWith("kernel: paravirtual, running deprivileged in ring 1\n"));
    // No getcpl, nor any other sensitive instruction, in the kernel: the
    // silent ones are the user program's (hello asks for its ring), as natively.
    const RunResult native = run("hello", Mode::Native);
    CHECK(pv.events[size_t(EventKind::SensitiveSilent)] == native.events[size_t(EventKind::SensitiveSilent)]);
    CHECK_THAT(native.console, Catch::StartsWith("kernel: running in ring 0\n"));
    // The unmodified kernel moved to ring 1 finds out through getcpl: that is the flaw, not a design.
    CHECK_THAT(run("hello", Mode::TrapEmulate).console, Catch::StartsWith("kernel: running in ring 1\n"));
}

TEST_CASE("full emulation pays QEMU's work for TLB refills, traps and sensitive instructions",
          "[monitors][emulation]") {
    // Each of the three costs, set to zero, removes exactly its own share of
    // the translation category: a refill per TLB miss, a delivery per trap or
    // interrupt, and a helper per sensitive instruction executed.
    const auto runWith = [](const std::vector<std::string>& overrides) {
        RunOptions options;
        options.mode = Mode::Emulation;
        options.costOverrides = overrides;
        options.maxCycles = 400'000'000;
        return runGuest(images("pagetables", false), options);
    };
    const RunResult all = runWith({});
    REQUIRE(all.stopReason == StopReason::Halted);
    const auto translation = [](const RunResult& r) { return r.cycles[size_t(CycleCategory::Translation)]; };
    const RunResult noFill = runWith({"emu_tlb_fill=0"});
    CHECK(all.tlbMisses > 0);
    CHECK(translation(all) - translation(noFill) == all.tlbMisses * all.costs.emuTlbFill);
    const RunResult noDelivery = runWith({"emu_exception=0"});
    const uint64_t deliveries = all.events[size_t(EventKind::Syscall)] + all.events[size_t(EventKind::Fault)] +
                                all.events[size_t(EventKind::Interrupt)];
    CHECK(deliveries > 0);
    CHECK(translation(all) - translation(noDelivery) == deliveries * all.costs.emuException);
    const RunResult noHelper = runWith({"emu_helper=0"});
    CHECK(translation(all) > translation(noHelper));
    CHECK((translation(all) - translation(noHelper)) % all.costs.emuHelper == 0);
    // Native and binary translation never pay them.
    RunOptions native;
    native.mode = Mode::Native;
    native.costOverrides = {"emu_tlb_fill=100000", "emu_exception=100000", "emu_helper=100000"};
    const RunResult n = runGuest(images("pagetables", false), native);
    CHECK(n.cycles[size_t(CycleCategory::Translation)] == 0);
    CHECK(n.cycles == run("pagetables", Mode::Native).cycles);
}
