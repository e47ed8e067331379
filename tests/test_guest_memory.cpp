// A VM's memory as the monitor holds it (guest_memory.h): guest frames backed
// on first touch, each first touch one memory-backing exit, and the monitor's
// own structures counted as the VM's pages. And a container's start-up,
// which begins in the running host kernel.
#include <catch2/catch.hpp>
#include <set>

#include "bundled_guest.h"
#include "monitors/guest_memory.h"
#include "run/run.h"
#include "run/session.h"

using namespace ringsim;

namespace {

RunOptions optionsFor(Mode mode, uint32_t instances, const std::string& paging = "auto") {
    RunOptions options;
    options.mode = mode;
    options.instances = instances;
    options.paging = paging;
    options.preset = "modern";
    options.maxCycles = 2'000'000'000;
    return options;
}

struct BackingRun {
    RunResult result;
    std::vector<std::multiset<uint32_t>> framesBacked;  // per VM: the guest frame of each memory-backing exit
};

BackingRun runRecordingBacking(const std::vector<std::string>& programs, const RunOptions& options) {
    Session session(testing::bundledGuest(programs, false), options);
    BackingRun run;
    run.framesBacked.resize(options.instances);
    session.setListener([&](const Event& e) {
        if (e.kind == EventKind::VmExit && e.detail == uint32_t(VmExitReason::MemoryBacking))
            run.framesBacked.at(e.vm).insert(e.extra);
        return true;
    });
    session.run();
    run.result = session.result();
    return run;
}

}  // namespace

TEST_CASE("under hardware assistance a guest frame's first touch exits once, and never again", "[guest-memory]") {
    for (const std::string paging : {"nested", "shadow"}) {
        INFO(paging);
        const BackingRun run = runRecordingBacking({"hello", "syscalls"}, optionsFor(Mode::HwAssist, 2, paging));
        REQUIRE(run.result.stopReason == StopReason::Halted);
        for (size_t vm = 0; vm < 2; ++vm) {
            INFO("vm" << vm);
            const auto& frames = run.framesBacked[vm];
            CHECK(frames.size() >= 4);  // the kernel's tables and the processes' frames
            CHECK(frames.size() == run.result.guests[vm].monitor.exits[size_t(VmExitReason::MemoryBacking)]);
            for (uint32_t frame : frames) {
                CHECK(frames.count(frame) == 1);
                CHECK(frame % isa::kPageSize == 0);
                CHECK(frame < run.result.memoryBytes);
            }
        }
    }
}

TEST_CASE("a VM's pages are the frames it touched plus the monitor's structures for it", "[guest-memory]") {
    const BackingRun nested = runRecordingBacking({"hello"}, optionsFor(Mode::HwAssist, 1, "nested"));
    const BackingRun shadow = runRecordingBacking({"hello"}, optionsFor(Mode::HwAssist, 1, "shadow"));
    REQUIRE(nested.result.stopReason == StopReason::Halted);
    REQUIRE(shadow.result.stopReason == StopReason::Halted);
    const uint32_t bytes = nested.result.memoryBytes;
    const uint64_t structures = GuestMemory::monitorPages(bytes, true);
    // A VMCS, two I/O bitmaps, an MSR bitmap; with nested paging a directory and a table for 4 MiB.
    CHECK(structures == 4 + 2);
    CHECK(GuestMemory::monitorPages(bytes, false) == 4);
    const uint64_t pages = nested.result.guests[0].footprint.pages;
    CHECK(pages >= structures + nested.framesBacked[0].size());
    // The same guest touches the same frames either way: only the nested tables differ.
    CHECK(nested.framesBacked[0].size() == shadow.framesBacked[0].size());
    CHECK(pages - shadow.result.guests[0].footprint.pages == 2);
    // The frames touched, zero or not, count: at least the pages holding anything.
    const RunResult binary = runGuest(testing::bundledGuest("hello", false), optionsFor(Mode::BinaryTranslation, 1));
    CHECK(pages - structures >= binary.guests[0].footprint.pages);
}

TEST_CASE("a memory-backing exit bills the exit, the monitor's backing work and the entry", "[guest-memory]") {
    const BackingRun run = runRecordingBacking({"hello"}, optionsFor(Mode::HwAssist, 1, "nested"));
    const Costs costs = resolveCosts("modern", {});
    const uint64_t exits = run.framesBacked[0].size();
    REQUIRE(exits > 0);
    // Without lazy backing (the exit switched off), the same run pays none of it.
    RunOptions eager = optionsFor(Mode::HwAssist, 1, "nested");
    VmControls controls = VmControls::defaults();
    controls.exitOn[size_t(VmExitReason::MemoryBacking)] = false;
    // An override replaces the controls whole: keep nested paging's (no page-table intercepts).
    controls.exitOn[size_t(VmExitReason::PageTableBaseLoad)] = false;
    controls.exitOn[size_t(VmExitReason::GuestPageTableWrite)] = false;
    eager.exitControls = controls;
    const RunResult without = runGuest(testing::bundledGuest("hello", false), eager);
    REQUIRE(without.stopReason == StopReason::Halted);
    CHECK(without.guests[0].monitor.exits[size_t(VmExitReason::MemoryBacking)] == 0);
    // The monitor's and the world switches' cycles differ by exactly the backing exits' bills.
    auto category = [](const RunResult& r, CycleCategory c) { return r.cycles[size_t(c)]; };
    CHECK(category(run.result, CycleCategory::Monitor) - category(without, CycleCategory::Monitor) ==
          exits * (costs.exitHandling + costs.memoryBacking));
    CHECK(category(run.result, CycleCategory::WorldSwitch) - category(without, CycleCategory::WorldSwitch) ==
          exits * (costs.vmExit + costs.vmEntry));
    // Eagerly backed, the whole partition is the VM's.
    CHECK(without.guests[0].footprint.pages == run.result.memoryBytes / isa::kPageSize + GuestMemory::monitorPages(run.result.memoryBytes, true));
}

TEST_CASE("a container and a native process start in the running kernel: start-up leaves out its boot",
          "[guest-memory][containers]") {
    const RunResult native = runGuest(testing::bundledGuest("hello", false), optionsFor(Mode::Native, 1));
    const RunResult container = runGuest(testing::bundledGuest("hello", false), optionsFor(Mode::Container, 1));
    const RunResult vm = runGuest(testing::bundledGuest("hello", false), optionsFor(Mode::HwAssist, 1));
    REQUIRE(native.footprint.startupCycles);
    REQUIRE(container.footprint.startupCycles);
    REQUIRE(vm.footprint.startupCycles);
    CHECK(*native.footprint.startupCycles > 0);
    // The same kernel work, plus the container's bookkeeping (namespaces, cgroups).
    CHECK(*container.footprint.startupCycles >= *native.footprint.startupCycles);
    CHECK(*container.footprint.startupCycles < *native.footprint.startupCycles * 11 / 10);
    // A VM boots its own kernel first.
    CHECK(*vm.footprint.startupCycles > 2 * *container.footprint.startupCycles);
}
