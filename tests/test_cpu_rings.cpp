// Instruction classes at every ring: the claims of the protection-rings part
// of the lecture, checked against the CPU.
#include <fmt/format.h>

#include "cpu_harness.h"

using namespace ringsim;
using namespace ringsim::test;

namespace {

// An example operand list for each format, so every instruction can be written.
std::string operandsFor(isa::Format f) {
    switch (f) {
    case isa::Format::None: return "";
    case isa::Format::R: return "r1";
    case isa::Format::RR: return "r1, r2";
    case isa::Format::RRR: return "r1, r2, r3";
    case isa::Format::RI: return "r1, 4";
    case isa::Format::RRI: return "r1, r2, 4";
    case isa::Format::Target: return "after";
    case isa::Format::Imm: return "1";
    case isa::Format::Load: return "r1, [r4]";
    case isa::Format::Store: return "[r4], r1";
    case isa::Format::PortIn: return "r1, 0x11";
    case isa::Format::PortOut: return "0x7F, r1";
    case isa::Format::Cr: return "r1, fault";
    }
    return "";
}

// Runs `instruction` at `ring` with safe register values, then reaches `after`.
Run runAtRing(int ring, const std::string& instruction, bool strict = false) {
    MachineConfig config;
    config.cpu.strict = strict;
    std::string body = fmt::format(R"(
        ENTER_RING {}, at_ring
at_ring:
        li      r1, 0
        li      r2, 1
        li      r3, 1
        li      r4, data_page
        st      [r4], r1          ; a harmless FLAGS/stack word for popf/iret
        {}
after:
        li      r13, 100         ; marker: got past the instruction
        brk
)", ring, instruction);
    return runSnippet(body, config);
}

}  // namespace

TEST_CASE("privileged instructions run in ring 0 and fault in rings 1-3", "[cpu][rings]") {
    for (const auto& info : isa::instructionTable()) {
        if (info.cls != isa::InsnClass::Privileged) continue;
        const std::string text = fmt::format("{} {}", info.mnemonic, operandsFor(info.format));
        for (int ring = 1; ring <= 3; ++ring) {
            INFO(text << " at ring " << ring);
            auto run = runAtRing(ring, text);
            CHECK(run.stop == StopReason::Halted);
            CHECK(run.reg(13) == uint32_t(isa::Vector::GeneralProtection));
            CHECK(run.reg(11) == run.label("after") - isa::lengthOf(info.format));  // the faulting instruction
            CHECK(((run.reg(10) >> isa::kSavedRingShift) & 3) == uint32_t(ring));
        }
    }
}

TEST_CASE("privileged instructions execute in ring 0 without faulting", "[cpu][rings]") {
    // Those that do not end the run or jump elsewhere by design.
    for (const char* text : {"cli", "sti", "in r1, 0x11", "out 0x7F, r1", "ltt r9", "invlpg r1", "tlbflush",
                             "lksp r9", "stimer r1", "rdcr r1, fault"}) {
        INFO(text);
        auto run = runSnippet(fmt::format("li r9, trap_table\n{}\nli r13, 100\nbrk\n", text));
        CHECK(run.reg(13) == uint32_t(isa::Vector::Breakpoint));
    }
}

TEST_CASE("hlt with interrupts off stops the machine cleanly", "[cpu][rings]") {
    auto run = runSnippet("li r5, 7\ncli\nhlt\nli r5, 8\n");
    CHECK(run.stop == StopReason::Halted);
    CHECK(run.reg(5) == 7);
}

TEST_CASE("sensitive-unprivileged instructions do not trap above ring 0", "[cpu][rings][popek-goldberg]") {
    for (const auto& info : isa::instructionTable()) {
        if (info.cls != isa::InsnClass::SensitiveUnprivileged) continue;
        const std::string text = fmt::format("{} {}", info.mnemonic, operandsFor(info.format));
        for (int ring = 1; ring <= 3; ++ring) {
            INFO(text << " at ring " << ring);
            auto run = runAtRing(ring, text);
            CHECK(run.reg(13) == uint32_t(isa::Vector::Breakpoint));  // reached brk after the marker
            CHECK(run.machine->events.count(EventKind::SensitiveSilent) == 1);
        }
    }
}

TEST_CASE("on a strict CPU every sensitive instruction traps above ring 0", "[cpu][rings][popek-goldberg]") {
    for (const auto& info : isa::instructionTable()) {
        if (info.cls != isa::InsnClass::SensitiveUnprivileged) continue;
        const std::string text = fmt::format("{} {}", info.mnemonic, operandsFor(info.format));
        INFO(text);
        auto run = runAtRing(1, text, /*strict=*/true);
        CHECK(run.reg(13) == uint32_t(isa::Vector::GeneralProtection));
        CHECK(run.machine->events.count(EventKind::SensitiveSilent) == 0);
    }
}

TEST_CASE("popf outside ring 0 silently keeps the interrupt flag", "[cpu][rings][popek-goldberg]") {
    // In ring 1 with IF on, pop a FLAGS word with IF off: IF stays on, the condition flags change.
    auto run = runSnippet(R"(
        li      r9, kstack_top
        mov     sp, r9
        addi    sp, sp, -12
        li      r9, ring1
        st      [sp], r9
        li      r9, (1 << 12) | 0x200
        st      [sp + 4], r9
        li      r9, ustack_top
        st      [sp + 8], r9
        iret
ring1:
        li      r1, 1              ; Z flag set, IF clear
        push    r1
        popf
        pushf
        pop     r6                 ; what FLAGS really are now
        li      r13, 100
        brk
)");
    CHECK(run.reg(6) == (isa::flag::InterruptEnable | isa::flag::Zero));
}

TEST_CASE("popf in ring 0 changes the interrupt flag", "[cpu][rings]") {
    auto run = runSnippet(R"(
        sti
        li      r1, 0
        push    r1
        popf
        pushf
        pop     r6
        brk
)");
    CHECK(run.reg(6) == 0);
}

TEST_CASE("getcpl reads the real ring, stt reads the real trap table base", "[cpu][rings][popek-goldberg]") {
    for (int ring = 0; ring <= 3; ++ring) {
        auto run = runAtRing(ring, "getcpl r6\nstt r7");
        CHECK(run.reg(6) == uint32_t(ring));
        CHECK(run.reg(7) == run.label("trap_table"));
    }
}

TEST_CASE("a hypercall on bare hardware is an invalid opcode at every ring", "[cpu][rings][paravirt]") {
    for (int ring = 0; ring <= 3; ++ring) {
        INFO("ring " << ring);
        auto run = runAtRing(ring, "hcall 3");
        CHECK(run.reg(13) == uint32_t(isa::Vector::InvalidOpcode));
        CHECK(run.reg(11) == run.label("after") - 8);
    }
}

TEST_CASE("syscall enters ring 0 through vector 8 and sysret returns to ring 3", "[cpu][rings][traps]") {
    auto run = runSnippet(R"(
        li      r9, trap_table
        li      r8, syscall_entry
        st      [r9 + 32], r8      ; vector 8
        ENTER_RING 3, user
user:
        li      r0, 42
        syscall
back_in_user:
        getcpl  r6
        mov     r7, sp
        li      r13, 100
        brk
syscall_entry:
        getcpl  r5                 ; 0 inside the kernel
        mov     r4, sp             ; the kernel stack (ksp minus the frame)
        ld      r3, [sp]           ; saved pc
        ld      r2, [sp + 4]       ; saved FLAGS with ring 3
        sysret
)");
    CHECK(run.reg(5) == 0);
    CHECK(run.reg(4) == run.label("kstack_top") - 12);
    CHECK(run.reg(3) == run.label("back_in_user"));
    CHECK(((run.reg(2) >> isa::kSavedRingShift) & 3) == 3);
    CHECK(run.reg(6) == 3);
    CHECK(run.reg(7) == run.label("ustack_top"));
    CHECK(run.machine->events.count(EventKind::Syscall) == 1);
    CHECK(run.machine->events.count(EventKind::SyscallReturn) == 1);
}

TEST_CASE("iret may not return to a more privileged ring", "[cpu][rings][traps]") {
    // From ring 3 a forged frame cannot be used: iret is privileged. From ring 0
    // returning to ring 0 is fine; the frame's ring is honoured.
    auto run = runAtRing(3, "iret");
    CHECK(run.reg(13) == uint32_t(isa::Vector::GeneralProtection));
}

TEST_CASE("sysret is privileged like iret", "[cpu][rings][traps]") {
    auto run = runAtRing(3, "sysret");
    CHECK(run.reg(13) == uint32_t(isa::Vector::GeneralProtection));
}
