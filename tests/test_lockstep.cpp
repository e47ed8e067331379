// Two modes side by side, one retired guest instruction at a time: the same
// mode never parts from itself; trap-and-emulate parts where the kernel runs
// a privileged instruction, hardware assistance where it exits, binary
// translation where a block runs for the first time; the unmodified kernel
// follows the same path in every mode, the paravirtual one its own; and the
// rows are the same however the work is sliced.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <span>

#include "machine/errors.h"
#include "lesson/lockstep.h"
#include "run/session.h"
#include "cpu-model/disassembler.h"
#include "cpu-model/isa.h"

using namespace ringsim;

namespace {

Scenario bundled(const std::string& name) {
    return loadScenario(std::string(RINGSIM_DATA_DIR) + "/scenarios/" + name + ".yaml");
}

// Runs the comparison to its end (or `rows`), `slice` rows at a time.
void runAll(Lockstep& l, size_t slice = 4096) {
    while (l.advance(slice)) {
    }
}

const isa::InstructionInfo* infoOf(const LockstepStep& s) {
    REQUIRE(s.codeLength >= 4);
    const auto line = disassembler::disassembleOne(std::span(s.code.data(), s.codeLength), s.pc);
    REQUIRE(line.info);
    return line.info;
}

bool sameRows(const std::vector<LockstepRow>& x, const std::vector<LockstepRow>& y) {
    if (x.size() != y.size()) return false;
    auto same = [](const LockstepStep& p, const LockstepStep& q) {
        return p.pc == q.pc && p.cycleAfter == q.cycleAfter && p.cycles == q.cycles && p.retired == q.retired && p.firstEvent == q.firstEvent &&
               p.kinds == q.kinds && p.events == q.events && p.ring == q.ring && p.code == q.code;
    };
    for (size_t i = 0; i < x.size(); ++i)
        if (x[i].mark != y[i].mark || x[i].difference != y[i].difference || !same(x[i].a, y[i].a) ||
            !same(x[i].b, y[i].b))
            return false;
    return true;
}

}  // namespace

TEST_CASE("a mode beside itself never parts and costs the same", "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 30'000;
    Lockstep l(bundled("07-hw-assist"), Mode::Native, Mode::Native, limits);
    runAll(l);
    REQUIRE(l.rows().size() == 30'000);
    CHECK(l.partings().empty());
    CHECK_FALSE(l.firstDivergence());
    for (const auto& row : l.rows()) {
        REQUIRE(row.mark == LockstepMark::Together);
        REQUIRE(row.difference == 0);
        REQUIRE(row.a.pc == row.b.pc);
        REQUIRE(row.a.kinds == row.b.kinds);
        REQUIRE(row.a.cycles == row.b.cycles);
    }
    CHECK(l.ending() == "stopped at the limit of 30000 instructions");
}

TEST_CASE("trap-and-emulate parts where the kernel runs a privileged instruction: a trap into the monitor",
          "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 50'000;
    Lockstep l(bundled("02-trap-emulate-flaw"), Mode::Native, Mode::TrapEmulate, limits);
    runAll(l);
    REQUIRE_FALSE(l.partings().empty());
    size_t trapped = 0, silent = 0;
    const EventLog& log = l.session(true).machine().events;
    for (size_t p : l.partings()) {
        const LockstepRow& row = l.rows()[p];
        REQUIRE(row.mark == LockstepMark::Parted);
        REQUIRE(row.a.pc == row.b.pc);
        CHECK(mechanismKinds(row.a.kinds) == 0);  // natively nothing intervenes
        if (row.b.has(EventKind::SensitiveTrapped)) {
            ++trapped;
            // privileged, or sysret (kernel-only: it faults above ring 0 too)
            const isa::InstructionInfo* info = infoOf(row.b);
            CHECK((info->cls == isa::InsnClass::Privileged || info->mnemonic == "sysret"));
            // The row points at its own event in the trap-and-emulate run's log.
            CHECK(log.at(row.b.firstEvent).kind == EventKind::SensitiveTrapped);
            CHECK(log.at(row.b.firstEvent).pc == row.b.pc);
        }
        // The flaw: a sensitive instruction that is not privileged runs in ring 1 without a trap.
        if (row.b.has(EventKind::SensitiveSilent)) {
            ++silent;
            CHECK(infoOf(row.b)->cls == isa::InsnClass::SensitiveUnprivileged);
            CHECK(row.b.ring == 1);
        }
    }
    CHECK(trapped > 0);
    CHECK(silent > 0);
    // A trap costs the monitor's work: trap-and-emulate falls behind at every
    // instruction but a port access, where the monitor's virtual device is
    // cheaper than the physical one native drives.
    int64_t awayFromDevices = 0;
    for (size_t i = 1; i < l.rows().size(); ++i) {
        const LockstepRow& row = l.rows()[i];
        if (!row.a.has(EventKind::PortIo) && !row.b.has(EventKind::PortIo)) {
            REQUIRE(row.difference >= l.rows()[i - 1].difference);
            awayFromDevices += row.difference - l.rows()[i - 1].difference;
        }
        // Each instruction's cost on each side adds up to the difference.
        REQUIRE(row.difference - l.rows()[i - 1].difference == int64_t(row.b.cycles) - int64_t(row.a.cycles));
    }
    CHECK(awayFromDevices > 0);
}

TEST_CASE("hardware assistance parts at VM exits, and only there", "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 20'000;
    Lockstep l(bundled("07-hw-assist"), Mode::Native, Mode::HwAssist, limits);
    runAll(l);
    REQUIRE_FALSE(l.partings().empty());
    for (size_t p : l.partings()) {
        const LockstepRow& row = l.rows()[p];
        REQUIRE(row.mark == LockstepMark::Parted);
        CHECK(row.b.has(EventKind::VmExit));
        CHECK(row.b.has(EventKind::VmEntry));  // the guest is back before the next instruction
        CHECK(mechanismKinds(row.a.kinds) == 0);
    }
    // Rows without an exit cost the same natively and in the VM, unless a
    // page walk (nested: through two sets of tables) costs more.
    for (size_t i = 1; i < l.rows().size(); ++i) {
        const LockstepRow& row = l.rows()[i];
        if (row.mark == LockstepMark::Together && !row.b.has(EventKind::PageWalk))
            REQUIRE(row.difference == l.rows()[i - 1].difference);
    }
}

TEST_CASE("binary translation translates a block the first time it runs, not when it runs again", "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 100'000;
    Lockstep l(bundled("04-binary-translation"), Mode::Native, Mode::BinaryTranslation, limits);
    runAll(l);
    std::set<uint32_t> translated;
    size_t again = 0;
    for (const auto& row : l.rows()) {
        REQUIRE(row.a.pc == row.b.pc);
        REQUIRE_FALSE(row.b.has(EventKind::TranslationInvalidate));  // no self-modifying code here
        if (row.b.has(EventKind::Translation)) {
            REQUIRE(row.mark == LockstepMark::Parted);
            CHECK(translated.insert(row.b.pc).second);  // one translation per block start
        } else if (translated.count(row.b.pc)) {
            ++again;  // a translated block run again: from the cache
        }
    }
    CHECK(translated.size() > 10);
    CHECK(again > translated.size());
}

TEST_CASE("the unmodified kernel takes the same path in every mode", "[lockstep]") {
    // Trap-and-emulate's flaw changes what the kernel reads (getcpl says ring
    // 1), not which instructions it runs: the pcs agree there too.
    const std::pair<const char*, Mode> cases[] = {
        {"02-trap-emulate-flaw", Mode::TrapEmulate}, {"03-trap-emulate-strict", Mode::TrapEmulate},
        {"04-binary-translation", Mode::BinaryTranslation}, {"05-emulation-vs-translation", Mode::Emulation},
        {"07-hw-assist", Mode::HwAssist},          {"08-memory-shadow", Mode::TrapEmulate},
        {"09-memory-nested", Mode::HwAssist}};
    for (const auto& [scenario, mode] : cases) {
        INFO(scenario << " in " << mode);
        LockstepLimits limits;
        limits.maxRows = 40'000;
        Lockstep l(bundled(scenario), Mode::Native, mode, limits);
        runAll(l);
        CHECK(l.rows().size() == 40'000);
        CHECK_FALSE(l.firstDivergence());
        CHECK(l.realignments() == 0);
    }
}

TEST_CASE("the paravirtual kernel goes its own way, and the runs meet again further on", "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 160'000;
    Lockstep l(bundled("02-trap-emulate-flaw"), Mode::Native, Mode::Paravirt, limits);
    runAll(l);
    REQUIRE(l.firstDivergence());
    CHECK(l.realignments() >= 1);
    size_t onlyA = 0, onlyB = 0, togetherAfter = 0;
    for (size_t i = *l.firstDivergence(); i < l.rows().size(); ++i) {
        const LockstepRow& row = l.rows()[i];
        onlyA += row.mark == LockstepMark::OnlyA;
        onlyB += row.mark == LockstepMark::OnlyB;
        togetherAfter += row.mark == LockstepMark::Together;
        if (row.hasA() && row.hasB()) {
            // Together means the same instruction, not only the same address in two builds.
            REQUIRE(row.a.pc == row.b.pc);
            REQUIRE(std::equal(row.a.code.begin(), row.a.code.begin() + 4, row.b.code.begin()));
        }
    }
    CHECK(onlyA > 0);
    CHECK(onlyB > 0);
    CHECK(togetherAfter > 1000);
}

TEST_CASE("the rows are the same however the work is sliced, and on a second run", "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 12'000;
    Lockstep bySlices(bundled("04-binary-translation"), Mode::TrapEmulate, Mode::BinaryTranslation, limits);
    runAll(bySlices, 7);
    Lockstep atOnce(bundled("04-binary-translation"), Mode::TrapEmulate, Mode::BinaryTranslation, limits);
    runAll(atOnce, limits.maxRows + 1);
    CHECK(sameRows(bySlices.rows(), atOnce.rows()));
    CHECK(bySlices.partings() == atOnce.partings());
    // And with a detour to realign: the paravirtual kernel's.
    limits.maxRows = 3'000;
    Lockstep detourSlices(bundled("06-paravirt"), Mode::Native, Mode::Paravirt, limits);
    runAll(detourSlices, 1);
    Lockstep detourAtOnce(bundled("06-paravirt"), Mode::Native, Mode::Paravirt, limits);
    runAll(detourAtOnce, 100'000);
    CHECK(sameRows(detourSlices.rows(), detourAtOnce.rows()));
}

TEST_CASE("a comparison ends when both runs end, and says why", "[lockstep]") {
    LockstepLimits limits;
    limits.maxRows = 1'000'000;
    Lockstep l(bundled("01-rings"), Mode::Native, Mode::HwAssist, limits);
    runAll(l);
    CHECK(l.done());
    CHECK(l.rows().size() < limits.maxRows);
    CHECK(l.ending().find("both runs ended") == 0);
    CHECK_FALSE(l.advance(10));
}

TEST_CASE("a hlt that idles until the next tick is one instruction, in every mode", "[lockstep]") {
    // A kernel that sleeps three timer ticks away with hlt, then powers off.
    const std::string kernel = (std::filesystem::temp_directory_path() / "ringsim_lockstep_idle.s").string();
    std::ofstream(kernel) << R"(
        .org    0
_start: li      r9, table
        ltt     r9
        li      sp, 0x8000
        li      r1, 5000
        stimer  r1
        li      r5, 0
        sti
sleep:  hlt
        addi    r5, r5, 1
        cmpi    r5, 3
        blt     sleep
        cli
        hlt
tick:   iret
        .align  4
table:  .word   0, 0, 0, 0, 0, 0, 0, 0, 0, tick, 0, 0, 0, 0, 0, 0
)";
    const Scenario idle = parseScenario("title: idle\nguests:\n  kernel: " + kernel + "\n", "/tmp/idle.yaml");
    for (Mode mode : {Mode::Native, Mode::TrapEmulate, Mode::HwAssist}) {
        INFO(mode);
        Lockstep l(idle, Mode::Native, mode);
        runAll(l);
        CHECK(l.ending().find("both runs ended") == 0);
        CHECK_FALSE(l.firstDivergence());
        const uint32_t sleep = l.guest(false).kernel.labels.at("sleep");
        size_t sleeps = 0;
        for (size_t i = 1; i < l.rows().size(); ++i) {
            const LockstepRow& row = l.rows()[i];
            if (row.a.pc != sleep) continue;
            ++sleeps;
            CHECK(row.a.has(EventKind::Halt));
            // The idle time (a tick is 5000 cycles) counts with the hlt, on both sides.
            CHECK(row.a.cycleAfter - l.rows()[i - 1].a.cycleAfter > 2500);
            CHECK(row.b.cycleAfter - l.rows()[i - 1].b.cycleAfter > 2500);
        }
        CHECK(sleeps == 3);  // one row per sleep, however long it idles
        CHECK(l.rows().size() < 40);
    }
    std::filesystem::remove(kernel);
}

TEST_CASE("an unknown mode is a clear error", "[lockstep]") {
    CHECK_THROWS_AS(Lockstep(bundled("01-rings"), Mode::Native, parseMode("warp-drive")), InputError);
}
