; faultkill: ITERS rounds of spawning a child that touches an unmapped page
; and waiting for it. The kernel has no demand paging, so a user page fault
; ends the process: this is the closest it comes to lmbench's page-fault
; benchmark, and it measures spawn + fault + kill + wait, not a fault alone.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .ifndef ITERS
        .equ    ITERS, 100
        .endif
        .equ    CHILD_ARG, 1
        .equ    UNMAPPED_PAGE, 0x00600000

_start:
        cmpi    r1, CHILD_ARG
        beq     child
        mov     r8, r2
        li      r9, 0
round:
        mov     r1, r8
        li      r2, CHILD_ARG
        SYS     SYS_SPAWN
        cmpi    r0, 0
        bgt     round.wait
        jmp     failed
round.wait:
        mov     r1, r0
        SYS     SYS_WAIT
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     round
        li      r1, 0
        call    exit

child:
        li      r2, UNMAPPED_PAGE
        ld      r1, [r2]                ; page fault: the kernel kills us
        li      r1, 0
        call    exit

; failed: say so (`ringsim paper` reports the run as failed), exit code 1
failed:
        li      r1, msg_failed
        call    put_str
        call    end_line
        li      r1, 1
        call    exit
msg_failed:
        .asciz  "faultkill: FAILED"
        .align  4
