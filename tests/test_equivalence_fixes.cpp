// Divergences from native that random guests found (tests/test_equivalence.cpp),
// each pinned down by the smallest guest that showed it, run natively and in
// the modes that got it wrong.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "machine/guest.h"
#include "monitors/expected_console.h"
#include "run/run.h"
#include "cpu-model/assembler.h"

using namespace ringsim;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

// A bare-metal guest: `body` runs in ring 0 after a stack and a trap table are set up.
// The table's handlers are the labels on_fault, on_syscall, on_timer, which `body` defines.
GuestImages bareMetal(const std::string& body) {
    const std::string source = R"(
_start: li      sp, kstack_top
        lksp    sp
        li      r1, trap_table
        ltt     r1
)" + body + R"(
        .align  4
trap_table:
        .word   on_fault, on_fault, on_fault, on_fault, on_fault, on_fault, on_fault, 0
        .word   on_syscall, on_timer, 0, 0, 0, 0, 0, 0
        .space  1024
ustack_top:
        .space  1024
kstack_top:
)";
    auto result = assembler::assembleText(source, "fix.s");
    INFO(result.errorText());
    REQUIRE(result.ok());
    GuestImages images;
    images.kernel = *result.program;
    return images;
}

RunResult run(const GuestImages& images, const std::string& mode, const std::string& paging = "auto",
              bool strict = false) {
    RunOptions options;
    options.mode = parseMode(mode);
    options.paging = paging;
    options.strict = strict;
    options.memoryBytes = 64 * 1024;
    options.maxCycles = 10'000'000;
    return runGuest(images, options);
}

struct ModeUnderTest {
    const char* mode;
    const char* paging;
    bool strict;
};
const ModeUnderTest kModes[] = {{"binary-translation", "auto", false}, {"emulation", "auto", false},
                       {"hw-assist", "nested", false},        {"hw-assist", "shadow", false},
                       {"trap-emulate", "auto", true}};

// Runs the guest natively (strict like the mode) and in every mode of kModes: the same console and registers.
void checkEveryMode(const GuestImages& images, const std::string& expected) {
    for (const ModeUnderTest& m : kModes) {
        const RunResult native = run(images, "native", "auto", m.strict);
        REQUIRE(native.stopReason == StopReason::Halted);
        if (!m.strict) CHECK(native.console == expected);  // a strict CPU faults on sensitive instructions above ring 0
        INFO(m.mode << " (" << m.paging << (m.strict ? ", strict" : "") << ")");
        const RunResult r = run(images, m.mode, m.paging, m.strict);
        CHECK(r.stopReason == StopReason::Halted);
        CHECK(r.console == native.console);
        CHECK(r.finalState.r == native.finalState.r);
    }
}

// Into ring `ring` at `label` with interrupts on or off, through an iret frame.
std::string enterRing(int ring, bool interrupts, const std::string& label) {
    return fmt::format("        addi    sp, sp, -12\n        li      r1, {}\n        st      [sp], r1\n"
                       "        li      r1, {}\n        st      [sp + 4], r1\n        li      r1, ustack_top\n"
                       "        st      [sp + 8], r1\n        iret\n",
                       label, (ring << 12) | (interrupts ? 0x200 : 0));
}

}  // namespace

TEST_CASE("stopping the timer drops a tick that became pending while interrupts were off", "[equivalence-fixes]") {
    // Natively `stimer 0` clears the pending tick, so `sti` afterwards takes
    // nothing. The monitors kept their own copy of it (the virtual CPU's
    // pending interrupt, hardware assistance's injection) and delivered it.
    std::string body = "        li      r1, 50\n        stimer  r1\n";
    body += enterRing(3, false, "user");
    body += R"(
user:   li      r2, 100
loop:   addi    r2, r2, -1
        cmpi    r2, 0
        bne     loop                    ; 300 cycles of ring 3: a tick is due, but interrupts are off
        syscall
on_syscall:
        li      r1, 0
        stimer  r1                      ; stops the timer: the pending tick goes with it
        sti
        nop
        li      r1, 'k'
        out     0x10, r1
        cli
        hlt
on_timer:
        li      r1, 'T'
        out     0x10, r1
        cli
        hlt
on_fault:
        li      r1, 'F'
        out     0x10, r1
        cli
        hlt
)";
    const GuestImages images = bareMetal(body);
    checkEveryMode(images, "k");
}

TEST_CASE("hcall in ring 3 costs its cycle of virtual time in every mode", "[equivalence-fixes]") {
    // Natively hcall spends its cycle in ring 3, then faults (invalid opcode).
    // Under hardware assistance it exited before its cycle was charged: ring-3
    // time ran slow and ticks landed on other instructions (fewer of them).
    std::string body = "        li      r10, 0\n        li      r1, 7\n        stimer  r1\n";
    body += enterRing(3, true, "user");
    body += R"(
user:   li      r2, 40
loop:   hcall   1
        addi    r2, r2, -1
        cmpi    r2, 0
        bne     loop
        syscall
on_syscall:
        addi    r10, r10, 'A'
        out     0x10, r10
        cli
        hlt
on_timer:
        addi    r10, r10, 1             ; count the ticks
        iret
on_fault:                               ; skip the hcall
        push    r1
        ld      r1, [sp + 4]
        addi    r1, r1, 8
        st      [sp + 4], r1
        pop     r1
        iret
)";
    const GuestImages images = bareMetal(body);
    const RunResult native = run(images, "native");
    REQUIRE(native.console.size() == 1);
    CHECK(native.console[0] > 'A' + 10);
    checkEveryMode(images, native.console);
}

TEST_CASE("the guest's own ring 1 is a real ring under binary translation and trap-and-emulate", "[equivalence-fixes]") {
    // Ring compression runs the guest's rings 0 and 1 both in real ring 1.
    // The monitor keeps the guest's virtual ring, so code the guest runs in
    // its ring 1 reads ring 1 and faults on privileged instructions, as natively.
    std::string body = enterRing(1, false, "ring1");
    body += R"(
ring1:  getcpl  r5                      ; 1
        stt     r6                      ; the guest's own table
        pushf
        pop     r7                      ; ring 1's FLAGS: interrupts off
        cli                             ; privileged: general protection
        syscall                         ; not reached
on_fault:
        addi    r5, r5, '0'
        out     0x10, r5
        li      r1, trap_table
        cmp     r6, r1
        li      r1, 'y'
        beq     same_table
        li      r1, 'n'
same_table:
        out     0x10, r1
        andi    r7, r7, 0x200
        shri    r7, r7, 9
        addi    r7, r7, '0'
        out     0x10, r7
        ld      r1, [sp + 4]            ; the saved FLAGS: the ring the fault came from
        shri    r1, r1, 12
        addi    r1, r1, '0'
        out     0x10, r1
        li      r1, 'G'
        out     0x10, r1
        cli
        hlt
on_syscall:
on_timer:
        li      r1, 'S'
        out     0x10, r1
        cli
        hlt
)";
    const GuestImages images = bareMetal(body);
    checkEveryMode(images, "1y01G");
}

TEST_CASE("the paravirtual monitor refuses hypercalls from user programs", "[equivalence-fixes]") {
    // Hypercalls are the guest kernel's. Natively a program's hcall is an
    // invalid opcode and the kernel kills it; the paravirtual monitor served
    // it instead (Xen refuses hypercalls from guest user mode, too).
    const std::string program = R"(
        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"
_start: li      r1, 0
        hcall   10                      ; would halt the VM if served
        li      r1, 0
        call    exit
)";
    assembler::Options options;
    options.includeDirs = {kGuests};
    auto user = assembler::assembleText(program, "hcall.s", options);
    INFO(user.errorText());
    REQUIRE(user.ok());
    auto images = [&](bool paravirt) {
        GuestSources sources;
        sources.kernel = kGuests + "kernel.s";
        if (paravirt) sources.defines["PARAVIRT"] = 1;
        GuestImages g = assembleGuest(sources);
        g.programs = {*user.program};
        g.programNames = {"hcall.s"};
        return g;
    };
    RunOptions options1;
    options1.maxCycles = 100'000'000;
    const RunResult native = runGuest(images(false), options1);
    CHECK_THAT(native.console, Catch::Contains("killed: invalid opcode"));
    options1.mode = ringsim::Mode::Paravirt;
    const RunResult pv = runGuest(images(true), options1);
    CHECK(pv.stopReason == native.stopReason);
    CHECK(pv.console == consoleExpectedIn(ringsim::Mode::Paravirt, native.console));
}

TEST_CASE("a tick that comes due while another waits merges with it under every monitor", "[equivalence-fixes]") {
    // Interrupts off in ring 3: the tick at virtual time 10 waits; the one at
    // 20 comes due in the syscall's own cycle and is noticed only when ring 3
    // runs again. Natively the two are one pending tick. The deprivileging
    // monitors delivered their kept tick on the way back to ring 3 and then
    // took the second as a new one.
    std::string body = "        li      r10, 0\n        li      r1, 10\n        stimer  r1\n";
    body += enterRing(3, false, "user");
    body += R"(
user:   nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop
        nop                             ; 18 cycles of ring 3
        li      r14, 0                  ; 19
        syscall                         ; the 20th: a tick due at 20 as well
on_syscall:
        cmpi    r14, 1
        beq     done
        li      r14, 1
)";
    body += enterRing(3, true, "back");
    body += R"(
back:   syscall
done:   addi    r10, r10, '0'
        out     0x10, r10
        cli
        hlt
on_timer:
        addi    r10, r10, 1             ; count the ticks
        iret
on_fault:
        li      r1, 'F'
        out     0x10, r1
        cli
        hlt
)";
    const GuestImages images = bareMetal(body);
    checkEveryMode(images, "1");
}
