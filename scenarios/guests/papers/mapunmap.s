; mapunmap: ITERS rounds of map a page, write its first word, unmap it -
; the closest this kernel has to lmbench's mmap latency (it maps one fresh
; zero-filled page at once; there is no file mapping and no demand paging).

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .ifndef ITERS
        .equ    ITERS, 100
        .endif
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

; failed: say so (`ringsim paper` reports the run as failed), exit code 1
failed:
        li      r1, msg_failed
        call    put_str
        call    end_line
        li      r1, 1
        call    exit
msg_failed:
        .asciz  "mapunmap: FAILED"
        .align  4
