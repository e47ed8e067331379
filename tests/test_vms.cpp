// Several VMs under one monitor: the scheduler's shares, counters that add
// up, VMs that stop alone, the memory limits, and VMs against containers
// (footprint, start-up, the shared-kernel hazard).
#include <catch2/catch.hpp>
#include <map>
#include <numeric>

#include "bundled_guest.h"
#include "machine/errors.h"
#include "run/run.h"
#include "run/session.h"

using namespace ringsim;

namespace {


const GuestImages& images(const std::vector<std::string>& programs, bool paravirt = false) {
    return testing::bundledGuest(programs, paravirt);
}

RunOptions optionsFor(Mode mode, uint32_t instances, uint64_t maxCycles = 2'000'000'000) {
    RunOptions options;
    options.mode = mode;
    options.instances = instances;
    options.maxCycles = maxCycles;
    return options;
}

uint64_t sum(const std::array<uint64_t, kCycleCategoryCount>& a) { return std::accumulate(a.begin(), a.end(), uint64_t(0)); }

const Mode kVmModes[] = {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::Paravirt, Mode::HwAssist};

}  // namespace

TEST_CASE("every VM mode runs several VMs, each with the console it has alone", "[vms]") {
    for (Mode mode : kVmModes) {
        INFO(mode);
        const bool pv = mode == Mode::Paravirt;
        const RunResult alone = runGuest(images({"syscalls"}, pv), optionsFor(mode, 1));
        REQUIRE(alone.stopReason == StopReason::Halted);
        const RunResult three = runGuest(images({"syscalls"}, pv), optionsFor(mode, 3));
        CHECK(three.stopReason == StopReason::Halted);
        REQUIRE(three.guests.size() == 3);
        for (const auto& g : three.guests) {
            INFO(g.name);
            CHECK(g.console == alone.console);
            CHECK(g.stopReason == StopReason::Halted);
        }
        CHECK(three.guestSwitches > 3);
        CHECK(three.events[size_t(EventKind::ContextSwitch)] >= three.guestSwitches);
    }
}

TEST_CASE("the VMs' counters and the monitor's own add up to the machine's", "[vms]") {
    for (Mode mode : {Mode::BinaryTranslation, Mode::HwAssist}) {
        INFO(mode);
        const RunResult r = runGuest(images({"compute"}), optionsFor(mode, 4));
        REQUIRE(r.guests.size() == 4);
        std::array<uint64_t, kCycleCategoryCount> cycles = r.hostCycles;
        EventCounts events{};
        uint64_t instructions = 0;
        for (const auto& g : r.guests) {
            for (size_t i = 0; i < cycles.size(); ++i) cycles[i] += g.cycles[i];
            for (size_t i = 0; i < events.size(); ++i) events[i] += g.events[i];
            instructions += g.instructions;
        }
        CHECK(cycles == r.cycles);
        CHECK(sum(cycles) == r.totalCycles);
        CHECK(instructions == r.instructions);
        // The monitor's own events are its switches between VMs.
        for (size_t i = 0; i < events.size(); ++i) {
            INFO(eventKindName(EventKind(i)));
            const uint64_t host = EventKind(i) == EventKind::ContextSwitch ? r.guestSwitches : 0;
            CHECK(events[i] + host == r.events[i]);
        }
        // Switching is the monitor's only work of its own, charged as world switches.
        CHECK(r.hostCycles[size_t(CycleCategory::WorldSwitch)] == r.guestSwitches * r.costs.vmSwitch);
        CHECK(sum(r.hostCycles) == r.hostCycles[size_t(CycleCategory::WorldSwitch)]);
    }
}

TEST_CASE("the scheduler gives busy VMs CPU in proportion to their weights", "[vms][fairness]") {
    for (Mode mode : {Mode::TrapEmulate, Mode::HwAssist, Mode::Paravirt}) {
        INFO(mode);
        // Stop while all three are still busy, then compare their shares. Long enough that
        // the boot lines (a paravirtual console write is not preemptible) weigh little.
        RunOptions options = optionsFor(mode, 3, 12'000'000);
        options.weights = {256, 512, 768};
        const RunResult r = runGuest(images({"compute"}, mode == Mode::Paravirt), options);
        REQUIRE(r.stopReason == StopReason::CycleBudget);
        uint64_t all = 0;
        for (const auto& g : r.guests) {
            REQUIRE(g.stopReason != StopReason::Halted);  // still busy
            all += g.totalCycles();
        }
        for (size_t i = 0; i < 3; ++i) {
            const double share = double(r.guests[i].totalCycles()) / double(all);
            const double expected = double(options.weights[i]) / (256.0 + 512.0 + 768.0);
            INFO("vm" << i << " share " << share << ", weight share " << expected);
            CHECK(std::abs(share - expected) <= 0.05 * expected);
        }
    }
}

TEST_CASE("equal weights share the CPU equally, and a lone VM is never switched", "[vms][fairness]") {
    const RunResult r = runGuest(images({"compute"}), optionsFor(Mode::HwAssist, 4, 20'000'000));
    uint64_t all = 0;
    for (const auto& g : r.guests) all += g.totalCycles();
    for (const auto& g : r.guests) CHECK(std::abs(double(g.totalCycles()) / double(all) - 0.25) <= 0.25 * 0.05);
    const RunResult one = runGuest(images({"compute"}), optionsFor(Mode::HwAssist, 1));
    CHECK(one.guestSwitches == 0);
    CHECK(sum(one.hostCycles) == 0);
}

TEST_CASE("a VM that faults or halts stops alone, the others go on", "[vms][isolation]") {
    // vm0's kernel is given a program that does not exist in its boot info...
    // simpler: one VM runs a guest that dies at once (a kernel with no trap
    // table that divides by zero), the other the usual kernel.
    auto broken = assembler::assembleText("_start: li r1, 0\n div r2, r2, r1\n hlt\n", "broken.s");
    REQUIRE(broken.ok());
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        GuestImages dying;
        dying.kernel = *broken.program;
        std::vector<VmSpec> vms = {{dying, 256}, {images({"hello"}), 256}};
        const RunResult r = runVms(vms, optionsFor(mode, 2));
        REQUIRE(r.guests.size() == 2);
        CHECK(r.guests[0].stopReason == StopReason::GuestFault);
        CHECK(r.guests[1].stopReason == StopReason::Halted);
        CHECK(r.guests[1].console == runGuest(images({"hello"}), optionsFor(mode, 1)).console);
        CHECK(r.stopReason == StopReason::GuestFault);
        CHECK(r.stopMessage.find("vm0") != std::string::npos);
    }
}

TEST_CASE("a VM that reaches outside its partition faults inside itself, logged as an isolation event", "[vms][isolation]") {
    // A wild store to "physical" memory past the VM's end, with paging off;
    // the guest's own bus-error handler takes it and powers off.
    auto wild = assembler::assembleText(R"(
_start: li      sp, 0x8000
        li      r1, table
        ltt     r1
        li      r1, 0x00500000
        li      r2, 0x5EC2E7
        st      [r1], r2
        li      r3, 1               ; not reached
bus:    cli
        hlt
        .align  64
table:  .word   0, 0, 0, bus, 0, 0, bus, 0, 0, 0
)",
                                        "wild.s");
    REQUIRE(wild.ok());
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        GuestImages guest;
        guest.kernel = *wild.program;
        std::vector<VmSpec> vms = {{guest, 256}, {images({"hello"}), 256}};
        const RunResult r = runVms(vms, optionsFor(mode, 2));
        CHECK(r.guests[0].stopReason == StopReason::Halted);
        CHECK(r.guests[0].events[size_t(EventKind::IsolationViolation)] == 1);
        CHECK(r.guests[0].events[size_t(EventKind::Fault)] == 1);
        CHECK(r.guests[1].events[size_t(EventKind::IsolationViolation)] == 0);
        CHECK(r.guests[1].stopReason == StopReason::Halted);
        CHECK(r.guests[1].console == runGuest(images({"hello"}), optionsFor(mode, 1)).console);
    }
}

TEST_CASE("a VM's port I/O with no device behind it faults inside the VM, logged as an isolation event", "[vms][isolation]") {
    auto port = assembler::assembleText(R"(
_start: li      sp, 0x8000
        li      r1, table
        ltt     r1
        out     0x77, r1
        li      r3, 1               ; not reached
gp:     cli
        hlt
        .align  64
table:  .word   0, 0, 0, gp, 0, 0, 0, 0, 0, 0
)",
                                        "port.s");
    REQUIRE(port.ok());
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        GuestImages guest;
        guest.kernel = *port.program;
        const RunResult r = runVms({{guest, 256}, {images({"hello"}), 256}}, optionsFor(mode, 2));
        CHECK(r.guests[0].stopReason == StopReason::Halted);
        CHECK(r.guests[0].events[size_t(EventKind::IsolationViolation)] == 1);
        CHECK(r.guests[1].stopReason == StopReason::Halted);
    }
    // Natively nothing answers such a port, and nothing faults either.
    GuestImages guest;
    guest.kernel = *port.program;
    const RunResult native = runGuest(guest, optionsFor(Mode::Native, 1));
    CHECK(native.events[size_t(EventKind::IsolationViolation)] == 0);
    CHECK(native.events[size_t(EventKind::Fault)] == 0);
}

TEST_CASE("bad VM set-ups are refused with the limit named", "[vms][errors]") {
    auto message = [](const RunOptions& options) {
        try {
            runGuest(images({"hello"}), options);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    RunOptions tooMany = optionsFor(Mode::HwAssist, 300);
    CHECK_THAT(message(tooMany), Catch::Contains("limit is 256 VMs"));
    RunOptions tooBig = optionsFor(Mode::HwAssist, 200);
    tooBig.memoryBytes = 16u << 20;
    CHECK_THAT(message(tooBig), Catch::Contains("more than the machine's limit"));
    RunOptions zero = optionsFor(Mode::HwAssist, 2);
    zero.weights = {256, 0};
    CHECK_THAT(message(zero), Catch::Contains("vm1: weight 0 is out of range"));
    RunOptions count = optionsFor(Mode::HwAssist, 2);
    count.weights = {256};
    CHECK_THAT(message(count), Catch::Contains("1 weights for 2 instances"));
    RunOptions small = optionsFor(Mode::TrapEmulate, 2);
    small.memoryBytes = 16384;
    CHECK_THAT(message(small), Catch::Contains("too small"));
    RunOptions native = optionsFor(Mode::Native, 2);
    native.weights = {1, 2};
    CHECK_THAT(message(native), Catch::Contains("CPU weights need VMs"));
}

TEST_CASE("several VMs give the same counters on every run", "[vms][determinism]") {
    RunOptions options = optionsFor(Mode::BinaryTranslation, 3);
    options.weights = {100, 200, 300};
    const RunResult a = runGuest(images({"compute", "syscalls"}), options);
    const RunResult b = runGuest(images({"compute", "syscalls"}), options);
    CHECK(a.cycles == b.cycles);
    CHECK(a.events == b.events);
    for (size_t i = 0; i < a.guests.size(); ++i) {
        CHECK(a.guests[i].cycles == b.guests[i].cycles);
        CHECK(a.guests[i].console == b.guests[i].console);
    }
}

TEST_CASE("the kernel's unchecked klog offset reaches only the VM's own memory", "[vms][isolation][hazard]") {
    // Beside each other in containers the snoop finds the secret (tests/test_containers_many.cpp);
    // in two VMs each kernel maps only its own partition.
    for (Mode mode : kVmModes) {
        INFO(mode);
        const bool pv = mode == Mode::Paravirt;
        std::vector<VmSpec> vms = {{images({"secret"}, pv), 256}, {images({"snoop"}, pv), 256}};
        const RunResult r = runVms(vms, optionsFor(mode, 2));
        REQUIRE(r.guests.size() == 2);
        CHECK(r.guests[0].stopReason == StopReason::Halted);
        CHECK(r.guests[1].stopReason == StopReason::Halted);
        CHECK_THAT(r.guests[1].console, Catch::Contains("snoop: no secret found"));
        CHECK_THAT(r.guests[1].console, !Catch::Contains("vault code"));
        // Inside one VM the two share a kernel again, and the hazard is back.
        const RunResult shared = runGuest(images({"secret", "snoop"}, pv), optionsFor(mode, 1));
        CHECK_THAT(shared.console, Catch::Contains("snoop: found \"the vault code is 7341\""));
    }
}

TEST_CASE("containers use fewer pages and start sooner than VMs, and the gap grows with N", "[vms][footprint]") {
    int64_t lastPageGap = -1, lastStartGap = -1;
    for (uint32_t n : {1u, 4u, 16u}) {
        INFO(n << " instances");
        const RunResult vms = runGuest(images({"hello"}), optionsFor(Mode::HwAssist, n));
        const RunResult containers = runGuest(images({"hello"}), optionsFor(Mode::Container, n));
        REQUIRE(vms.guests.size() == n);
        REQUIRE(containers.guests.size() == n);
        REQUIRE(vms.footprint.startupCycles);
        REQUIRE(containers.footprint.startupCycles);
        for (size_t i = 0; i < n; ++i) {
            CHECK(containers.guests[i].footprint.pages < vms.guests[i].footprint.pages);
            REQUIRE(vms.guests[i].footprint.startupCycles);
            REQUIRE(containers.guests[i].footprint.startupCycles);
        }
        CHECK(containers.footprint.pages < vms.footprint.pages);
        CHECK(*containers.footprint.startupCycles < *vms.footprint.startupCycles);
        const int64_t pageGap = int64_t(vms.footprint.pages) - int64_t(containers.footprint.pages);
        const int64_t startGap = int64_t(*vms.footprint.startupCycles) - int64_t(*containers.footprint.startupCycles);
        CHECK(pageGap > lastPageGap);
        CHECK(startGap > lastStartGap);
        lastPageGap = pageGap;
        lastStartGap = startGap;
    }
}

TEST_CASE("each instance can run its own programs: a snoop container finds its neighbour's secret", "[vms][hazard]") {
    RunOptions options = optionsFor(Mode::Container, 2);
    options.programsPerInstance = {{0}, {1}};
    const RunResult containers = runGuest(images({"secret", "snoop"}), options);
    REQUIRE(containers.guests.size() == 2);
    CHECK_THAT(containers.guests[0].console, Catch::Contains("keeps a secret"));
    CHECK_THAT(containers.guests[1].console, Catch::Contains("snoop: found \"the vault code is 7341\""));
    // The same two tenants as VMs: the snoop's kernel reaches only its own VM.
    options.mode = Mode::HwAssist;
    const RunResult vms = runGuest(images({"secret", "snoop"}), options);
    REQUIRE(vms.guests.size() == 2);
    CHECK_THAT(vms.guests[0].console, Catch::Contains("keeps a secret"));
    CHECK_THAT(vms.guests[1].console, Catch::Contains("snoop: no secret found"));
    options.programsPerInstance = {{0}};
    CHECK_THROWS_WITH(runGuest(images({"secret", "snoop"}), options), Catch::Contains("for 1 instances, but there are 2"));
}

TEST_CASE("an instruction that overwrites its own encoding runs on in translated modes", "[monitors][regression]") {
    // The call pushes its return address over itself (found by the isolation property test, seed 28224).
    auto self = assembler::assembleText("_start: li sp, 16\n call done\ndone: cli\n hlt\n", "self.s");
    REQUIRE(self.ok());
    GuestImages guest;
    guest.kernel = *self.program;
    for (Mode mode : {Mode::Native, Mode::BinaryTranslation, Mode::Emulation, Mode::TrapEmulate, Mode::HwAssist}) {
        INFO(mode);
        CHECK(runGuest(guest, optionsFor(mode, 1, 100'000)).stopReason == StopReason::Halted);
    }
}

TEST_CASE("a paravirtual batch too large for one call is refused, so no VM holds the CPU for long", "[vms][regression]") {
    // console_write of 4 GiB and mmu_update of 2^31 entries: each returns -1 at once.
    auto greedy = assembler::assembleText(R"(
        .equ    PARAVIRT, 1
_start: li      r1, 0
        li      r2, 0xFFFFFFFF
        li      r3, 0
        hcall   7               ; console_write
        mov     r5, r0
        li      r2, 0x80000000
        hcall   2               ; mmu_update
        mov     r6, r0
        li      r1, 1
        li      r2, 0
        li      r3, 0
        li      r4, 0xFFFF0000
        hcall   8               ; block_io
        mov     r7, r0
        hcall   10              ; halt
)",
                                          "greedy.s");
    REQUIRE(greedy.ok());
    GuestImages guest;
    guest.kernel = *greedy.program;
    const RunResult r = runVms({{guest, 256}, {images({"hello"}, true), 256}}, optionsFor(Mode::Paravirt, 2, 50'000'000));
    CHECK(r.guests[0].stopReason == StopReason::Halted);
    CHECK(r.guests[1].stopReason == StopReason::Halted);
    CHECK(r.totalCycles < 5'000'000);
    CHECK(r.guests[0].console.empty());
}

TEST_CASE("pausing a run and going on changes nothing it measures", "[vms][determinism]") {
    // A front end runs in steps (to a cycle, to a tour stop); the result must be the straight run's.
    for (Mode mode : {Mode::Native, Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::Paravirt, Mode::HwAssist,
                             Mode::Container}) {
        for (uint32_t instances : {1u, 3u}) {
            INFO(mode << " x" << instances);
            const bool pv = mode == Mode::Paravirt;
            RunOptions options = optionsFor(mode, instances, 400'000'000);
            const RunResult straight = runGuest(images({"syscalls"}, pv), options);
            Session session(images({"syscalls"}, pv), options);
            uint64_t pauses = 0;
            while (!session.finished()) {
                session.run(session.machine().cpu.account.now + 7'777);
                ++pauses;
            }
            const RunResult paused = session.result();
            CHECK(pauses > 10);
            CHECK(paused.totalCycles == straight.totalCycles);
            CHECK(paused.cycles == straight.cycles);
            CHECK(paused.events == straight.events);
            CHECK(paused.instructions == straight.instructions);
            CHECK(paused.console == straight.console);
        }
    }
}
