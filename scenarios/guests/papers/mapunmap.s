; mapunmap: ITERS rounds of map a page, write its first word, unmap it -
; the closest this kernel has to lmbench's mmap latency (it maps one fresh
; zero-filled page at once; there is no file mapping and no demand paging).

        .include "workload.inc"
        .equ    PAGE, 0x00520000

_start:
        li      r9, 0
        li      r8, PAGE
round:
        mov     r1, r8
        SYS     SYS_MAP
        cmpi    r0, 0
        bne     failed
        st      [r8], r9
        mov     r1, r8
        SYS     SYS_UNMAP
        cmpi    r0, 0
        bne     failed
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     round
        li      r1, 0
        call    exit
