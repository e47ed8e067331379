; forkwait: ITERS rounds of spawn and wait, the child exiting at once -
; Adams & Agesen's forkwait (fork, the child exits, the parent waits), and
; lmbench's fork+exit in Barham et al. The kernel has no fork: spawn builds
; a fresh address space from the program's image (an exec with no fork),
; with no copy-on-write and no demand paging.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .ifndef ITERS
        .equ    ITERS, 100
        .endif
        .equ    CHILD_ARG, 1

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
        .asciz  "forkwait: FAILED"
        .align  4
