; yield: ITERS calls of yield. Run as two processes, each yield switches
; to the other: lmbench's context switch between two processes (there it
; is a pipe ping-pong; here the kernel's yield, with its address-space
; switch).

        .include "workload.inc"

_start:
        li      r9, 0
loop:
        SYS     SYS_YIELD
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     loop
        li      r1, 0
        call    exit
