; forkwait: ITERS rounds of fork and wait, the child exiting at once -
; Adams & Agesen's forkwait (fork, the child exits, the parent waits), and
; lmbench's fork+exit. Written as its C original runs: fork, wait and exit
; are calls of library wrappers, so each pushes a return address on the
; stack. fork shares every page of the parent copy-on-write (kernel/fork.s):
; what a round costs is the child's directory and table, the parent's
; writable entries made read-only, a TLB flush, the parent's copy-on-write
; fault on its stack (the call of wait, while the child still shares the
; page), the child's (the call of exit: by then the page is its own, so it
; is only made writable), two address-space switches and the teardown.
;
; With EXEC defined the child execs this program anew instead (argument
; CHILD_ARG), which exits at once: lmbench's fork+exec in Barham et al.
; The exec'd program's pages come on first touch: its code page and its
; stack page are demand faults.

        .include "workload.inc"
        .equ    CHILD_ARG, 1

_start:
        cmpi    r1, CHILD_ARG
        beq     child                   ; exec'd as the child
        mov     r8, r2                  ; our program index, to exec ourselves
        li      r9, 0
round:
        call    fork
        cmpi    r0, 0
        beq     forked
        blt     failed                  ; fork refused
        mov     r1, r0
        call    wait
        cmpi    r0, 0
        bne     failed                  ; the child did not exit cleanly
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     round
        li      r1, 0
        call    exit

forked:
        .ifdef  EXEC
        mov     r1, r8
        li      r2, CHILD_ARG
        SYS     SYS_EXEC
        jmp     failed                  ; exec returned: it was refused
        .endif
child:
        li      r1, 0
        call    exit

; the library wrappers, as libc's fork() and waitpid()
fork:
        SYS     SYS_FORK
        ret
wait:
        SYS     SYS_WAIT
        ret
