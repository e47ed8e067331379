// Shadow page tables filled on first use (core/monitors/shadow_paging.*):
// each page's first use in an address space is a hidden fault into the
// monitor; the shadows of recent address spaces are kept across switches;
// a traced page-table write drops the entry made from it.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "bundled_guest.h"
#include "cpu-model/disassembler.h"
#include "run/run.h"

using namespace ringsim;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

RunResult run(const std::vector<std::string>& programs, Mode mode, const std::string& paging, int64_t iterations,
              const EventListener& listener = {}, const std::string& preset = "vtx-2006") {
    GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    for (const auto& p : programs) sources.programs.push_back(kGuests + p);
    sources.includeDirs = {kGuests, kGuests + "papers"};
    sources.defines["ITERS"] = iterations;
    if (mode == Mode::Paravirt) sources.defines["PARAVIRT"] = 1;
    RunOptions options;
    options.mode = mode;
    options.preset = preset;
    options.paging = paging;
    options.maxCycles = 400'000'000;
    RunResult r = runGuest(assembleGuest(sources), options, listener);
    INFO(r.console << r.stopMessage);
    REQUIRE(r.succeeded());
    return r;
}

struct ShadowMode {
    Mode mode;
    std::string paging;
};
const ShadowMode kShadowModes[] = {
    {Mode::TrapEmulate, "auto"}, {Mode::BinaryTranslation, "auto"}, {Mode::HwAssist, "shadow"}};

}  // namespace

TEST_CASE("shadow paging: switching back to a recent address space refills nothing", "[shadow]") {
    for (const auto& m : kShadowModes) {
        INFO(modeName(m.mode) << " " << m.paging);
        // Two processes yield to each other: every yield switches address
        // spaces, but both stay cached, so more yields cost no more hidden faults.
        const RunResult shorter = run({"papers/yield.s", "papers/yield.s"}, m.mode, m.paging, 40);
        const RunResult longer = run({"papers/yield.s", "papers/yield.s"}, m.mode, m.paging, 80);
        CHECK(shorter.monitor.hiddenFaults > 10);
        CHECK(longer.monitor.hiddenFaults == shorter.monitor.hiddenFaults);
        CHECK(longer.monitor.shadowUpdates > shorter.monitor.shadowUpdates);  // the switches themselves
    }
}

TEST_CASE("shadow paging: every fork's new address space fills its shadow on first use", "[shadow]") {
    for (const auto& m : kShadowModes) {
        INFO(modeName(m.mode) << " " << m.paging);
        const RunResult once = run({"papers/forkwait.s"}, m.mode, m.paging, 10);
        const RunResult twice = run({"papers/forkwait.s"}, m.mode, m.paging, 20);
        // Each child touches at least its code, its stack and the kernel's
        // pages in an address space of its own; the parent's copy-on-write
        // pages, written again, refill too.
        CHECK(twice.monitor.hiddenFaults - once.monitor.hiddenFaults >= 10 * 4);
        CHECK(twice.totalCycles > once.totalCycles);
    }
}

TEST_CASE("shadow paging: no hidden faults where nothing is shadowed", "[shadow]") {
    const ShadowMode unshadowed[] = {{Mode::Native, "auto"},
                                     {Mode::Paravirt, "auto"},
                                     {Mode::Emulation, "auto"},
                                     {Mode::HwAssist, "nested"},
                                     {Mode::Container, "auto"}};
    for (const auto& m : unshadowed) {
        INFO(modeName(m.mode) << " " << m.paging);
        CHECK(run({"papers/forkwait.s"}, m.mode, m.paging, 5, {}, "modern").monitor.hiddenFaults == 0);
    }
}

TEST_CASE("shadow paging: a hidden fault names the instruction whose access missed", "[shadow]") {
    GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    sources.programs = {kGuests + "papers/forkwait.s"};
    sources.includeDirs = {kGuests, kGuests + "papers"};
    sources.defines["ITERS"] = 3;
    const GuestImages guest = assembleGuest(sources);
    const auto& kernel = guest.kernel;
    for (const auto& m : kShadowModes) {
        INFO(modeName(m.mode) << " " << m.paging);
        RunOptions options;
        options.mode = m.mode;
        options.preset = "vtx-2006";
        options.paging = m.paging;
        options.maxCycles = 400'000'000;
        uint64_t dataMisses = 0;
        runGuest(guest, options, [&](const Event& e) {
            if (e.receipt.mechanism != Mechanism::HiddenFault) return true;
            const bool fetch = (e.pc >> 12) == (e.detail >> 12);
            if (fetch || e.pc < kernel.origin || e.pc >= kernel.origin + kernel.image.size()) return true;
            // A data access: the instruction at the event's pc reads or writes memory.
            const auto line = disassembler::disassembleOne(
                std::span<const uint8_t>(kernel.image).subspan(e.pc - kernel.origin), e.pc);
            INFO(line.text << " at " << e.pc << " reached " << e.detail);
            REQUIRE(line.info);
            const std::string mnemonic(line.info->mnemonic);
            for (const char* alu : {"li", "mov", "add", "addi", "sub", "and", "andi", "or", "ori", "cmp", "cmpi", "shli",
                                    "shri"})
                CHECK(mnemonic != alu);
            ++dataMisses;
            return true;
        });
        CHECK(dataMisses > 0);
    }
}

TEST_CASE("shadow paging: a hidden fault is the monitor's, with its receipt", "[shadow]") {
    for (const auto& m : kShadowModes) {
        INFO(modeName(m.mode) << " " << m.paging);
        uint64_t hidden = 0, exitsBefore = 0;
        bool lastWasPageFaultExit = false;
        Costs costs = resolveCosts("vtx-2006", {});
        const RunResult r = run({"papers/forkwait.s"}, m.mode, m.paging, 3, [&](const Event& e) {
            if (e.receipt.mechanism == Mechanism::HiddenFault) {
                ++hidden;
                CHECK(e.kind == EventKind::ShadowUpdate);
                CHECK(e.cost == e.receipt.inEventCycles());
                if (m.mode == Mode::HwAssist) {
                    // Filled inside a page-fault exit, in root mode.
                    CHECK(lastWasPageFaultExit);
                    CHECK(e.ringBefore == -1);
                    CHECK(e.cost == costs.guestTableWalk + costs.shadowPteUpdate);
                    ++exitsBefore;
                } else {
                    CHECK(e.cost == costs.monitorTrap + costs.guestTableWalk + costs.shadowPteUpdate);
                }
            }
            lastWasPageFaultExit = e.kind == EventKind::VmExit && e.detail == uint32_t(VmExitReason::PageFault);
            return true;
        });
        CHECK(hidden == r.monitor.hiddenFaults);
        CHECK(hidden > 0);
        if (m.mode == Mode::HwAssist) CHECK(exitsBefore == hidden);
    }
}
