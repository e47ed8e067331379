; nanokernel: a kernel that does one privileged operation ITERS times in
; ring 0 and powers off - the kernel-mode nanobenchmarks of Adams & Agesen
; (ASPLOS 2006), which ran their operations inside the guest kernel. It
; starts no programs and prints nothing, so a run is the boot, the loop
; and the power-off; `ringsim paper` runs it with ITERS = N and 2N and
; takes the difference, which leaves the loop alone.
;
; Choose the operation with one define:
;   OP_IN=1        `in` from the console's status port (a device access)
;   OP_TIMER=1     `stimer`: programming the interrupt timer, a privileged
;                  control-register write (as x86 writes CR8, the task
;                  priority of the local APIC)
;   OP_PAGE_FAULT=1  a load from an unmapped address; the handler skips it
;   OP_DIVIDE=1    `div` by zero; the handler skips it
;   OP_PTE_WRITE=1 a store into the active page table (the same value)
;   OP_CALL_RET=1  a call of an empty routine (a translator pays for the
;                  indirect jump of `ret`)

        .ifndef ITERS
        .equ    ITERS, 1000
        .endif

        .equ    IDENTITY_PTE, 3             ; present | writable, supervisor only
        .equ    UNMAPPED, 0x00800000        ; directory entry 2: never present
        .equ    CONSOLE_STATUS, 0x11
        .equ    PTE_INDEX, 512              ; the entry for 0x00200000: nothing uses it

        .org    0
_start:
        jmp     boot

        .align  64
trap_table:
        .word   skip_div                ; 0 divide error
        .word   0, 0, 0
        .word   skip_load               ; 4 page fault
        .word   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

        .align  4096
page_dir:
        .space  4096
page_table:
        .space  4096
        .space  1024
stack_top:

boot:
        li      sp, stack_top
        li      r2, trap_table
        ltt     r2
        ; identity map of the first 4 MiB, then paging on
        li      r3, page_table
        li      r4, 0
        li      r5, IDENTITY_PTE
boot.fill:
        st      [r3], r5
        addi    r3, r3, 4
        addi    r5, r5, 4096
        addi    r4, r4, 1
        cmpi    r4, 1024
        blt     boot.fill
        li      r3, page_dir
        li      r5, page_table
        ori     r5, r5, IDENTITY_PTE
        st      [r3], r5
        li      r2, page_dir
        ori     r2, r2, 1
        lptb    r2

        li      r0, 0                   ; the divisor of OP_DIVIDE
        li      r6, UNMAPPED
        li      r7, page_table + PTE_INDEX * 4
        ld      r8, [r7]                ; the entry OP_PTE_WRITE writes back
        li      r9, 0
loop:
        .ifdef  OP_IN
        in      r1, CONSOLE_STATUS
        .endif
        .ifdef  OP_TIMER
        stimer  r0                      ; 0: the timer stays off
        .endif
        .ifdef  OP_PAGE_FAULT
        ld      r1, [r6]                ; 8 bytes: skip_load steps over it
        .endif
        .ifdef  OP_DIVIDE
        div     r1, r1, r0              ; 4 bytes: skip_div steps over it
        .endif
        .ifdef  OP_PTE_WRITE
        st      [r7], r8
        .endif
        .ifdef  OP_CALL_RET
        call    empty
        .endif
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     loop
        cli
        hlt                             ; power off

empty:
        ret

; The handlers step over the faulting instruction (the saved pc is at [sp]):
; the fault's delivery and return are what is measured.
skip_load:
        ld      r13, [sp]
        addi    r13, r13, 8
        st      [sp], r13
        iret
skip_div:
        ld      r13, [sp]
        addi    r13, r13, 4
        st      [sp], r13
        iret
