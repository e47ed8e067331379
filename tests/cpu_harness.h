// Runs a snippet of toy assembly as the whole guest, natively, so CPU tests
// read as small programs. The snippet is the body of `_start`; a prelude sets
// up a stack and a trap table whose handlers record what happened:
//   r13 = vector taken, r11 = pc saved in the frame, r10 = saved FLAGS, r12 = fault address
// and then stop the machine (cli; hlt). ENTER_RING ring, label drops to `ring`
// at `label` through an iret frame (paging off: every ring can reach memory).
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "machine/errors.h"
#include "machine/machine.h"
#include "monitors/native.h"
#include "cpu-model/assembler.h"

namespace ringsim::test {

inline const char* kPrelude = R"(
        .macro ENTER_RING ring, target
        li      r9, kstack_top
        mov     sp, r9
        addi    sp, sp, -12
        li      r9, \target
        st      [sp], r9
        li      r9, (\ring << 12)
        st      [sp + 4], r9
        li      r9, ustack_top
        st      [sp + 8], r9
        iret
        .endm
        ; identity-map the first 4 MiB with the given PTE flags and turn paging on
        .macro IDENTITY_MAP flags
        li      r9, page_table
        li      r8, 0
.Lmap\@:
        shli    r7, r8, 12
        ori     r7, r7, \flags
        shli    r6, r8, 2
        add     r6, r6, r9
        st      [r6], r7
        addi    r8, r8, 1
        cmpi    r8, 1024
        bne     .Lmap\@
        li      r8, page_directory
        ori     r7, r9, 7
        st      [r8], r7
        ori     r8, r8, 1
        lptb    r8
        .endm
        ; the address of the PTE that maps `label` (with IDENTITY_MAP)
        .macro PTE_OF reg, label
        li      \reg, page_table + ((\label >> 12) << 2)
        .endm
_start:
        li      sp, kstack_top
        lksp    sp
        li      r9, trap_table
        ltt     r9
        jmp     body
)";

inline const char* kPostlude = R"(
        .macro STUB n
stub_\n:
        li      r13, \n
        jmp     record
        .endm
        STUB 0
        STUB 1
        STUB 2
        STUB 3
        STUB 4
        STUB 5
        STUB 6
        STUB 8
        STUB 9
record:
        ld      r11, [sp]
        ld      r10, [sp + 4]
        rdcr    r12, fault
        rdcr    r8, cause
        cli
        hlt
        .align 4
trap_table:
        .word stub_0, stub_1, stub_2, stub_3, stub_4, stub_5, stub_6, 0, stub_8, stub_9, 0, 0, 0, 0, 0, 0
        .align 4096
        .space 4096
kstack_top:
        .space 4096
ustack_top:
        .space 4096
data_page:
        .space 4096
page_directory:
        .space 4096
page_table:
        .space 4096
)";

struct Run {
    std::unique_ptr<Machine> machine;
    std::unique_ptr<NativeMonitor> platform;
    assembler::Program program;
    StopReason stop = StopReason::Running;

    Cpu& cpu() { return machine->cpu; }
    uint32_t reg(int i) { return machine->cpu.state.r[size_t(i)]; }
    uint32_t label(const std::string& name) { return program.labels.at(name); }
};

inline assembler::Program assembleOrFail(const std::string& source) {
    auto result = assembler::assembleText(source, "test.s");
    INFO(result.errorText());
    REQUIRE(result.ok());
    return *result.program;
}

// Assembles prelude + body + postlude, boots it, runs up to `budget` cycles.
inline Run runSnippet(const std::string& body, MachineConfig config = {}, uint64_t budget = 1'000'000) {
    if (config.costs.trapEntry == 0) config.costs = presetNamed("modern")->costs;
    Run run;
    run.program = assembleOrFail(std::string(kPrelude) + "body:\n" + body + "\n" + kPostlude);
    run.machine = std::make_unique<Machine>(config);
    run.platform = std::make_unique<NativeMonitor>(*run.machine);
    run.machine->cpu.setHooks(run.platform.get());
    GuestImages images;
    images.kernel = run.program;
    run.machine->boot(images);
    run.stop = run.machine->cpu.run(budget);
    return run;
}

}  // namespace ringsim::test
