; The guest `ringsim bench` runs: a compute-bound loop in ring 3 with loads
; and stores through the MMU (paging on), and the timer interrupting it, so
; the measured speed includes address translation, cycle accounting and the
; interrupt path. It never halts; bench stops it by cycle budget.
; Assembled with -D PARAVIRT=1 its privileged instructions become hypercalls
; (ringsim bench defines the HC_ numbers from the hypercall table).

        .ifndef PARAVIRT
        .equ    PARAVIRT, 0
        .endif
        ; PRIV op, number, reg: the privileged instruction natively, its hypercall when paravirtual
        .macro  PRIV op, number, reg
        .if PARAVIRT
        mov     r1, \reg
        hcall   \number
        .else
        \op     \reg
        .endif
        .endm
        .macro  RETURN_FROM_TRAP
        .if PARAVIRT
        hcall   HC_IRET
        .else
        iret
        .endif
        .endm

        .equ PTE_PUW, 7                 ; present | writable | user
        .equ IF_BIT, 0x200
        .equ RING3, 0x3000              ; saved ring 3 in a trap frame's FLAGS

_start:
        li      sp, kernel_stack_top
        PRIV    lksp, HC_SET_KERNEL_STACK, sp
        li      r2, trap_table
        PRIV    ltt, HC_SET_TRAP_TABLE, r2
        ; identity-map the first 4 MiB: one page directory entry, one table
        li      r2, page_table
        ori     r3, r2, PTE_PUW
        li      r4, page_directory
        st      [r4], r3
        li      r5, 0                   ; page number
.map:
        shli    r6, r5, 12
        ori     r6, r6, PTE_PUW
        shli    r7, r5, 2
        add     r7, r7, r2
        st      [r7], r6
        addi    r5, r5, 1
        cmpi    r5, 1024
        bne     .map
        ori     r4, r4, 1               ; paging on
        PRIV    lptb, HC_SET_PAGE_TABLE_BASE, r4
        li      r2, 20000
        PRIV    stimer, HC_SET_TIMER, r2
        ; drop to ring 3 through a trap frame: pc, FLAGS (IF, ring 3), sp
        addi    sp, sp, -12
        li      r2, user_main
        st      [sp], r2
        li      r2, IF_BIT | RING3
        st      [sp + 4], r2
        li      r2, user_stack_top
        st      [sp + 8], r2
        RETURN_FROM_TRAP

timer_handler:
        push    r1
        ld      r1, [r0 + ticks]
        addi    r1, r1, 1
        st      [r0 + ticks], r1
        pop     r1
        RETURN_FROM_TRAP

any_fault:
        .if PARAVIRT
        hcall   HC_HALT
        .else
        cli
        hlt
        .endif

user_main:
        li      r0, 0
        li      r1, 0                   ; byte offset into the array
        li      r2, 0                   ; iteration counter
        li      r3, 1                   ; running value
.loop:
        ld      r4, [r1 + array]
        add     r3, r3, r4
        addi    r4, r4, 3
        st      [r1 + array], r4
        addi    r1, r1, 4
        andi    r1, r1, 4092
        muli    r5, r3, 7
        xor     r3, r3, r5
        addi    r2, r2, 1
        cmpi    r2, 1000
        bne     .loop
        li      r2, 0
        jmp     .loop

        .align  4
trap_table:
        .word   any_fault, any_fault, any_fault, any_fault, any_fault, any_fault, any_fault, any_fault
        .word   any_fault, timer_handler, any_fault, any_fault, any_fault, any_fault, any_fault, any_fault
ticks:  .word   0
        .align  4096
page_directory:
        .space  4096
page_table:
        .space  4096
array:  .space  4096
        .space  1024
kernel_stack_top:
        .space  1024
user_stack_top:
