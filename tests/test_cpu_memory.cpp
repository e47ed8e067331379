// Paging, the TLB, faults, the timer, devices and cycle accounting.
#include <fmt/format.h>
#include <numeric>

#include "cpu_harness.h"

using namespace ringsim;
using namespace ringsim::test;

namespace {
uint64_t sum(const std::array<uint64_t, kCycleCategoryCount>& a) { return std::accumulate(a.begin(), a.end(), uint64_t(0)); }
}  // namespace

TEST_CASE("a not-present page faults with its address and cause", "[cpu][paging]") {
    auto run = runSnippet(R"(
        IDENTITY_MAP 7
        PTE_OF  r1, data_page
        li      r2, 0
        st      [r1], r2
        invlpg  r1
        li      r3, data_page + 8
        invlpg  r3
probe:  ld      r4, [r3]
        brk
)");
    CHECK(run.reg(13) == uint32_t(isa::Vector::PageFault));
    CHECK(run.reg(12) == run.label("data_page") + 8);
    CHECK(run.reg(8) == 0);  // not present, read, ring 0
    CHECK(run.reg(11) == run.label("probe"));
}

TEST_CASE("ring 3 cannot touch a supervisor page, nobody writes a read-only page", "[cpu][paging]") {
    SECTION("user access to a supervisor page") {
        auto run = runSnippet(R"(
        IDENTITY_MAP 7
        PTE_OF  r1, data_page
        li      r2, data_page | 3      ; present, writable, not user
        st      [r1], r2
        ENTER_RING 3, user
user:   li      r3, data_page
        ld      r4, [r3]
        brk
)");
        CHECK(run.reg(13) == uint32_t(isa::Vector::PageFault));
        CHECK(run.reg(8) == (isa::fault_cause::Present | isa::fault_cause::User));
    }
    SECTION("write to a read-only page from ring 0") {
        auto run = runSnippet(R"(
        IDENTITY_MAP 7
        PTE_OF  r1, data_page
        li      r2, data_page | 5      ; present, user, not writable
        st      [r1], r2
        li      r3, data_page
        invlpg  r3
        ld      r4, [r3]               ; reading is fine
        st      [r3], r4               ; writing is not
        brk
)");
        CHECK(run.reg(13) == uint32_t(isa::Vector::PageFault));
        CHECK(run.reg(8) == (isa::fault_cause::Present | isa::fault_cause::Write));
    }
}

TEST_CASE("the TLB caches translations, misses cost page-walk cycles", "[cpu][paging][tlb]") {
    auto twice = runSnippet("IDENTITY_MAP 7\nli r3, data_page\nld r4, [r3]\nld r4, [r3]\nbrk\n");
    auto flushed = runSnippet("IDENTITY_MAP 7\nli r3, data_page\nld r4, [r3]\ninvlpg r3\nld r4, [r3]\nbrk\n");
    const auto& costs = twice.machine->costs;
    CHECK(flushed.cpu().stats().tlbMisses == twice.cpu().stats().tlbMisses + 1);
    for (auto* run : {&twice, &flushed}) {
        const auto& stats = run->cpu().stats();
        CHECK(stats.tlbMisses > 0);
        CHECK(stats.pageWalkRefs == 2 * stats.tlbMisses);
        CHECK(run->cpu().account.total(CycleCategory::PageWalk) == stats.tlbMisses * 2 * costs.pageWalkRef);
        CHECK(run->machine->events.count(EventKind::PageWalk) == stats.tlbMisses);
    }
}

TEST_CASE("lptb flushes the TLB", "[cpu][paging][tlb]") {
    auto once = runSnippet("IDENTITY_MAP 7\nli r3, data_page\nld r4, [r3]\nld r4, [r3]\nbrk\n");
    auto reload = runSnippet(
        "IDENTITY_MAP 7\nli r3, data_page\nld r4, [r3]\nli r5, page_directory | 1\nlptb r5\nld r4, [r3]\nbrk\n");
    // After the reload the data page, the code page and the stack page miss again.
    CHECK(reload.cpu().stats().tlbMisses > once.cpu().stats().tlbMisses);
    CHECK(reload.cpu().stats().tlbFlushes == once.cpu().stats().tlbFlushes + 1);
}

TEST_CASE("the timer interrupts ring 3 after its period of virtual time", "[cpu][timer]") {
    auto run = runSnippet(R"(
        li      r1, 1000
        stimer  r1
        li      r9, kstack_top
        mov     sp, r9
        addi    sp, sp, -12
        li      r9, spin
        st      [sp], r9
        li      r9, (3 << 12) | 0x200
        st      [sp + 4], r9
        li      r9, ustack_top
        st      [sp + 8], r9
        iret
spin:   addi    r2, r2, 1
        jmp     spin
)");
    CHECK(run.reg(13) == uint32_t(isa::Vector::Timer));
    const uint64_t user = run.cpu().account.total(CycleCategory::GuestUser);
    CHECK(user >= 1000);
    CHECK(user < 1010);
    CHECK(run.machine->events.count(EventKind::Interrupt) == 1);
}

TEST_CASE("hlt with interrupts on idles until the timer fires", "[cpu][timer]") {
    auto run = runSnippet("li r1, 500\nstimer r1\nsti\nhlt\nli r13, 100\nbrk\n");
    CHECK(run.reg(13) == uint32_t(isa::Vector::Timer));
    CHECK(run.cpu().account.total(CycleCategory::Idle) == 500);
    CHECK(run.machine->events.count(EventKind::Halt) == 2);  // the idle wait, then the final cli; hlt
}

TEST_CASE("hlt with nothing to wake the CPU ends the run", "[cpu][timer]") {
    auto run = runSnippet("sti\nhlt\n");
    CHECK(run.stop == StopReason::Halted);
    CHECK_THAT(run.cpu().stopMessage(), Catch::Contains("nothing can wake"));
}

TEST_CASE("faults: divide error, alignment, bus error", "[cpu][faults]") {
    auto div = runSnippet("li r1, 5\nli r2, 0\nat: div r3, r1, r2\nbrk\n");
    CHECK(div.reg(13) == uint32_t(isa::Vector::DivideError));
    CHECK(div.reg(11) == div.label("at"));

    auto misaligned = runSnippet("li r1, data_page + 2\nld r2, [r1]\nbrk\n");
    CHECK(misaligned.reg(13) == uint32_t(isa::Vector::Alignment));

    auto outside = runSnippet("li r1, 0x10000000\njmpr r1\n");
    CHECK(outside.reg(13) == uint32_t(isa::Vector::BusError));
    CHECK(outside.reg(11) == 0x10000000u);
}

TEST_CASE("a fault with no handler stops the machine with cycle and pc", "[cpu][faults]") {
    auto run = runSnippet("li r9, data_page\nltt r9\nfaulting: brk\n");
    CHECK(run.stop == StopReason::GuestFault);
    const std::string message = run.cpu().stopMessage();
    CHECK_THAT(message, Catch::Contains("breakpoint"));
    CHECK_THAT(message, Catch::Contains(fmt::format("{:#010x}", run.label("faulting"))));
    CHECK_THAT(message, Catch::Contains("cycle"));
}

TEST_CASE("a fault while pushing the trap frame is a double fault", "[cpu][faults]") {
    // The kernel stack points outside memory: entering the handler cannot push.
    auto run = runSnippet("li r1, 0x7FFF0000\nlksp r1\nENTER_RING 3, user\nuser: brk\n");
    CHECK(run.stop == StopReason::GuestFault);
    CHECK_THAT(run.cpu().stopMessage(), Catch::Contains("double fault"));
}

TEST_CASE("code that rewrites itself runs the new instruction", "[cpu][decode-cache]") {
    auto run = runSnippet(R"(
        li      r6, 0
again:
target: li      r5, 1
        addi    r6, r6, 1
        cmpi    r6, 2
        beq     done
        li      r1, target
        li      r2, 99
        st      [r1 + 4], r2       ; the immediate of `li r5, 1`
        jmp     again
done:   brk
)");
    CHECK(run.reg(5) == 99);
}

TEST_CASE("an instruction straddling two pages", "[cpu][paging]") {
    const std::string tail = R"(
        .align 4096
        .space 4092
straddle:
        li      r5, 1234           ; opcode word on one page, immediate on the next
        li      r13, 100
        brk
        .align 4096                ; keep the trap handlers off the page that gets unmapped
)";
    auto plain = runSnippet("jmp straddle\n" + tail);
    CHECK(plain.reg(5) == 1234);
    // With the second page not present, fetching the immediate page-faults at that page.
    auto faulting = runSnippet(R"(
        IDENTITY_MAP 7
        li      r1, page_table + (((straddle + 4) >> 12) << 2)
        li      r2, 0
        st      [r1], r2
        jmp     straddle
)" + tail);
    CHECK(faulting.reg(13) == uint32_t(isa::Vector::PageFault));
    CHECK(faulting.reg(12) == faulting.label("straddle") + 4);
    CHECK(faulting.reg(11) == faulting.label("straddle"));
}

TEST_CASE("every cycle is charged to exactly one category", "[cpu][accounting]") {
    for (const char* body : {"li r1, 5\nbrk\n", "IDENTITY_MAP 7\nli r3, data_page\nld r4, [r3]\nbrk\n",
                             "li r1, 300\nstimer r1\nsti\nhlt\nbrk\n", "out 0x10, r1\nin r2, 0x20\nbrk\n",
                             "spin: jmp spin\n"}) {
        INFO(body);
        auto run = runSnippet(body, {}, 50'000);
        CHECK(sum(run.cpu().account.totals()) == run.cpu().account.now);
    }
}

TEST_CASE("a guest that never halts is stopped by the cycle budget", "[cpu][budget]") {
    auto run = runSnippet("spin: jmp spin\n", {}, 10'000);
    CHECK(run.stop == StopReason::CycleBudget);
    CHECK(run.cpu().account.now >= 10'000);
    CHECK(run.cpu().account.now < 10'000 + 64);
}

TEST_CASE("a run can stop after any number of cycles and continue", "[cpu][budget]") {
    auto run = runSnippet("spin: addi r1, r1, 1\njmp spin\n", {}, 1000);
    auto& cpu = run.cpu();
    for (uint64_t stopAt = 1001; stopAt < 1020; ++stopAt) {
        CHECK(cpu.run(UINT64_MAX, stopAt) == StopReason::StopRequested);
        CHECK(cpu.account.now == stopAt);  // every instruction here takes one cycle
    }
    const uint64_t before = cpu.stats().instructions;
    cpu.step(UINT64_MAX);
    CHECK(cpu.stats().instructions == before + 1);
}

TEST_CASE("cost overrides change what an instruction costs", "[cpu][costs]") {
    MachineConfig slow;
    slow.costs = presetNamed("modern")->costs;
    REQUIRE_FALSE(applyCostOverride(slow.costs, "insn.div=40"));
    auto normal = runSnippet("li r1, 6\nli r2, 3\ndiv r3, r1, r2\ndiv r3, r1, r2\ncli\nhlt\n");
    auto costly = runSnippet("li r1, 6\nli r2, 3\ndiv r3, r1, r2\ndiv r3, r1, r2\ncli\nhlt\n", slow);
    CHECK(costly.cpu().account.now - normal.cpu().account.now == 2 * (40 - 12));
    Costs c;
    CHECK(applyCostOverride(c, "insn.nosuch=3").value_or("").find("no instruction") != std::string::npos);
    CHECK(applyCostOverride(c, "warp_drive=3").value_or("").find("unknown cost") != std::string::npos);
    CHECK(applyCostOverride(c, "trap_entry=-5").value_or("").find("not a non-negative") != std::string::npos);
    CHECK(applyCostOverride(c, "trap_entry").value_or("").find("name=value") != std::string::npos);
}

TEST_CASE("the console and the block device on their ports", "[cpu][devices]") {
    auto run = runSnippet(R"(
        li      r1, 'h'
        out     0x10, r1
        li      r1, 'i'
        out     0x10, r1
        ; write sector 3 by programmed I/O: 128 words of 0xA5A5A5A5
        li      r1, 3
        out     0x30, r1
        li      r2, 0xA5A5A5A5
        li      r3, 128
pio:    out     0x34, r2
        addi    r3, r3, -1
        cmpi    r3, 0
        bne     pio
        ; read it back into data_page by DMA
        li      r1, 3
        out     0x30, r1
        li      r1, data_page
        out     0x31, r1
        li      r1, 1
        out     0x32, r1
        in      r6, 0x33           ; status
        li      r1, data_page
        ld      r7, [r1 + 508]
        cli
        hlt
)");
    CHECK(run.machine->devices.console.text() == "hi");
    CHECK(run.reg(6) == 0);
    CHECK(run.reg(7) == 0xA5A5A5A5u);
    CHECK(run.cpu().account.total(CycleCategory::Device) ==
          uint64_t(run.cpu().stats().portAccesses) * run.machine->costs.ioPort + run.machine->costs.blockSector);
}

TEST_CASE("console streams: the whole text interleaved, and each stream apart", "[cpu][devices]") {
    auto run = runSnippet(R"(
        li      r1, 'a'
        out     0x10, r1
        li      r2, 2
        out     0x12, r2           ; the following bytes are stream 2's
        li      r1, 'b'
        out     0x10, r1
        li      r2, 0
        out     0x12, r2           ; back to the host's
        li      r1, 'c'
        out     0x10, r1
        cli
        hlt
)");
    const auto& console = run.machine->devices.console;
    CHECK(console.text() == "abc");
    CHECK(console.streamText(0) == "ac");
    CHECK(console.streamText(2) == "b");
    CHECK(console.streamText(1).empty());
    CHECK(console.streams().size() == 2);
    CHECK(portName(isa::port::ConsoleStream) == "console.stream");
}

TEST_CASE("the same program gives the same counters on every run", "[cpu][determinism]") {
    const char* body = R"(
        IDENTITY_MAP 7
        li      r1, 700
        stimer  r1
        ENTER_RING 3, user
user:   li      r2, 0
loop:   addi    r2, r2, 1
        shli    r4, r2, 2
        andi    r4, r4, 4092
        ld      r3, [r4 + data_page]
        cmpi    r2, 3000
        bne     loop
        brk
)";
    auto a = runSnippet(body);
    auto b = runSnippet(body);
    CHECK(a.cpu().account.totals() == b.cpu().account.totals());
    CHECK(a.machine->events.counts() == b.machine->events.counts());
    CHECK(a.cpu().stats().instructions == b.cpu().stats().instructions);
}
