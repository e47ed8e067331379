; forkwait: ITERS rounds of spawn and wait, the child exiting at once -
; Adams & Agesen's forkwait (fork, the child exits, the parent waits), and
; lmbench's fork+exit in Barham et al. The kernel has no fork: spawn builds
; a fresh address space from the program's image (an exec with no fork),
; with no copy-on-write and no demand paging.
;
; With CHILD_FAULTS defined the child touches an unmapped page instead of
; exiting. The kernel has no demand paging, so a user page fault ends the
; process: the closest it comes to lmbench's page-fault benchmark, which
; then measures spawn + fault + kill + wait, not a fault alone.

        .include "workload.inc"
        .equ    CHILD_ARG, 1
        .equ    UNMAPPED_PAGE, 0x00600000

_start:
        cmpi    r1, CHILD_ARG
        beq     child
        mov     r8, r2                  ; our program index, to spawn ourselves
        li      r9, 0
round:
        mov     r1, r8
        li      r2, CHILD_ARG
        SYS     SYS_SPAWN
        cmpi    r0, 0
        bgt     round.wait
        jmp     failed                  ; spawn refused
round.wait:
        mov     r1, r0
        SYS     SYS_WAIT
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     round
        li      r1, 0
        call    exit

child:
        .ifdef  CHILD_FAULTS
        li      r2, UNMAPPED_PAGE
        ld      r1, [r2]                ; page fault: the kernel kills us
        .endif
        li      r1, 0
        call    exit
