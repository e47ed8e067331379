// Issue 15's mechanisms behind Adams & Agesen's nanobenchmarks: a VM's
// devices are emulated by its monitor (the physical device is paid only per
// request its backend sends on), page faults and page-table writes exit
// under VT-x with shadow paging and not with nested paging, and a fault
// reflected by a software monitor costs the parts the cost table names.
#include <algorithm>
#include <catch2/catch.hpp>

#include "bundled_guest.h"
#include "run/run.h"

using namespace ringsim;

namespace {

const std::string kNanokernel = testing::kGuestFolder + "papers/nanokernel.s";

// The nanokernel doing `op` `iterations` times.
GuestImages nanokernel(const std::string& op, int64_t iterations) {
    GuestSources sources;
    sources.kernel = kNanokernel;
    sources.defines[op] = 1;
    sources.defines["ITERS"] = iterations;
    return assembleGuest(sources);
}

RunResult runNano(const std::string& op, int64_t iterations, Mode mode, const std::string& preset,
                  const std::string& paging = "auto") {
    RunOptions options;
    options.mode = mode;
    options.preset = preset;
    options.paging = paging;
    options.maxCycles = 100'000'000;
    return runGuest(nanokernel(op, iterations), options);
}

// Cycles of one operation: the difference of 200 and 100 iterations, which
// leaves boot and power-off out.
uint64_t perOp(const std::string& op, Mode mode, const std::string& preset, const std::string& paging = "auto") {
    return (runNano(op, 200, mode, preset, paging).totalCycles - runNano(op, 100, mode, preset, paging).totalCycles) /
           100;
}

const Costs& costsOf(const std::string& preset) { return presetNamed(preset)->costs; }

RunResult runConsole(Mode mode) {
    RunOptions options;
    options.mode = mode;
    options.preset = "vtx-2006";
    options.strict = true;  // trap-and-emulate correct too
    options.maxCycles = 400'000'000;
    return runGuest(testing::bundledGuest("console", false), options);
}

}  // namespace

TEST_CASE("a VM's port access costs the monitor's emulation, never the physical device's",
          "[virtual-devices][adams-agesen]") {
    const Costs& c = costsOf("vtx-2006");
    const uint64_t native = perOp("OP_IN", Mode::Native, "vtx-2006");
    CHECK(native >= c.ioPort);
    // The translated `in` calls the device model from the translation cache.
    const uint64_t bt = perOp("OP_IN", Mode::BinaryTranslation, "vtx-2006");
    CHECK(bt >= c.btCallout + c.emulatedIo);
    CHECK(bt < c.ioPort);
    // VT-x: an exit, the trip to the device model and its work, the entry.
    const uint64_t hw = perOp("OP_IN", Mode::HwAssist, "vtx-2006");
    CHECK(hw >= c.vmExit + c.exitHandling + c.deviceModelTrip + c.emulatedIo + c.vmEntry);
    CHECK(hw < c.vmExit + c.exitHandling + c.deviceModelTrip + c.emulatedIo + c.vmEntry + c.ioPort);
}

TEST_CASE("a VM's backend pays the physical console once per line, and the text is native's",
          "[virtual-devices]") {
    const Costs& c = costsOf("vtx-2006");
    const RunResult native = runConsole(Mode::Native);
    CHECK(native.cycles[size_t(CycleCategory::Device)] >= native.portAccesses * c.ioPort);
    for (const Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::HwAssist}) {
        INFO(modeName(mode));
        const RunResult vm = runConsole(mode);
        REQUIRE(vm.console == native.console);
        const uint64_t lines = uint64_t(std::count(vm.console.begin(), vm.console.end(), '\n'));
        // Lines at the console's status, plus the one disk sector console.s writes.
        const uint64_t device = vm.cycles[size_t(CycleCategory::Device)];
        CHECK(device >= lines * c.ioPort);
        CHECK(device <= lines * c.ioPort + 4 * (c.ioPort + c.blockSector));
        CHECK(device < native.cycles[size_t(CycleCategory::Device)] / 10);
    }
}

TEST_CASE("under VT-x with shadow paging a guest page fault exits, with nested paging it does not",
          "[virtual-devices][hw-assist][shadow]") {
    // The guest's own 100, and a hidden fault for each page's first use (filling the shadow).
    const RunResult shadow = runNano("OP_PAGE_FAULT", 100, Mode::HwAssist, "vtx-2006");
    CHECK(shadow.monitor.exits[size_t(VmExitReason::PageFault)] == 100 + shadow.monitor.hiddenFaults);
    CHECK(shadow.monitor.hiddenFaults < 20);
    const RunResult modernShadow = runNano("OP_PAGE_FAULT", 100, Mode::HwAssist, "modern", "shadow");
    CHECK(modernShadow.monitor.exits[size_t(VmExitReason::PageFault)] == 100 + modernShadow.monitor.hiddenFaults);
    const RunResult nested = runNano("OP_PAGE_FAULT", 100, Mode::HwAssist, "modern", "nested");
    CHECK(nested.monitor.exits[size_t(VmExitReason::PageFault)] == 0);
    CHECK(nested.monitor.exits[size_t(VmExitReason::GuestPageTableWrite)] == 0);

    // The exit's parts: the world switch both ways, the handler, the walk of
    // the guest's tables; the delivery and the guest's handler are native's.
    // vtx-2006 has no VPID: the entry flushed the TLB, so the loop's code
    // page misses once more (a two-level walk).
    const Costs& c = costsOf("vtx-2006");
    const uint64_t native = perOp("OP_PAGE_FAULT", Mode::Native, "vtx-2006");
    CHECK(perOp("OP_PAGE_FAULT", Mode::HwAssist, "vtx-2006") ==
          native + c.vmExit + c.exitHandling + c.guestTableWalk + c.vmEntry + 2 * c.pageWalkRef);
    // Nested: no exit, only the dearer two-dimensional walk of the miss.
    CHECK(perOp("OP_PAGE_FAULT", Mode::HwAssist, "modern", "nested") <
          perOp("OP_PAGE_FAULT", Mode::Native, "modern") + costsOf("modern").vmExit);
}

TEST_CASE("under VT-x with shadow paging a page-table write is an exit, two walks, an emulated store",
          "[virtual-devices][hw-assist][shadow]") {
    const RunResult run = runNano("OP_PTE_WRITE", 100, Mode::HwAssist, "vtx-2006");
    CHECK(run.monitor.exits[size_t(VmExitReason::GuestPageTableWrite)] == 100);
    const Costs& c = costsOf("vtx-2006");
    const uint64_t native = perOp("OP_PTE_WRITE", Mode::Native, "vtx-2006");
    // After each entry (no VPID: a flushed TLB) the code page and the table's page miss again.
    CHECK(perOp("OP_PTE_WRITE", Mode::HwAssist, "vtx-2006") ==
          native + c.vmExit + c.exitHandling + 2 * c.guestTableWalk + c.emulatePrivileged + c.shadowPteUpdate +
              c.vmEntry + 2 * (2 * c.pageWalkRef));
    CHECK(runNano("OP_PTE_WRITE", 100, Mode::HwAssist, "modern", "nested")
              .monitor.exits[size_t(VmExitReason::GuestPageTableWrite)] == 0);
}

TEST_CASE("binary translation reflects a fault in parts: the trap, the gate, the frame, and a walk for a page fault",
          "[virtual-devices][binary-translation]") {
    const Costs& c = costsOf("vtx-2006");
    const uint64_t divide = perOp("OP_DIVIDE", Mode::BinaryTranslation, "vtx-2006");
    const uint64_t fault = perOp("OP_PAGE_FAULT", Mode::BinaryTranslation, "vtx-2006");
    const uint64_t nativeDivide = perOp("OP_DIVIDE", Mode::Native, "vtx-2006");
    const uint64_t nativeFault = perOp("OP_PAGE_FAULT", Mode::Native, "vtx-2006");
    // Over native: the monitor's trap, gate and frame in place of the CPU's delivery.
    CHECK(divide - nativeDivide >= c.monitorTrap + c.reflectGate + c.reflectTrap - c.trapEntry);
    // A page fault is the same reflection plus the walk of the guest's tables
    // (and a translation-cache lookup or so of its own handler).
    CHECK((fault - nativeFault) - (divide - nativeDivide) >= c.guestTableWalk);
    CHECK((fault - nativeFault) - (divide - nativeDivide) < c.guestTableWalk + 2 * c.btLookup);
}

TEST_CASE("without VPID every VM entry flushes the TLB, with VPID the guest's entries survive",
          "[virtual-devices][hw-assist][tlb]") {
    const RunResult untagged = runNano("OP_PTE_WRITE", 100, Mode::HwAssist, "vtx-2006");
    const RunResult tagged = runNano("OP_PTE_WRITE", 100, Mode::HwAssist, "modern", "shadow");
    uint64_t untaggedExits = 0, taggedExits = 0;
    for (auto n : untagged.monitor.exits) untaggedExits += n;
    for (auto n : tagged.monitor.exits) taggedExits += n;
    REQUIRE(untaggedExits >= 100);
    REQUIRE(taggedExits >= 100);
    const RunResult native = runNano("OP_PTE_WRITE", 100, Mode::Native, "vtx-2006");
    CHECK(untagged.tlbFlushes >= native.tlbFlushes + untaggedExits);
    CHECK(tagged.tlbFlushes < native.tlbFlushes + 20);
    // The refill shows as misses: two per round (code and table pages) without tags.
    CHECK(untagged.tlbMisses >= tagged.tlbMisses + 2 * 100);
}
