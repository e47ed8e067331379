; tlbwalk: a TLB-miss-heavy program. It maps PAGES pages whose virtual page
; numbers all fall in the same slot of the direct-mapped TLB, then loads one
; word from each, ITERS times round: every load misses the TLB and walks
; the page tables, and nothing else happens (no system call, no page-table
; write). One operation is one load.

        .include "workload.inc"
        .equ    PAGES, 8
        .equ    BASE, 0x00510000            ; TLB slot 16: clear of the code (slot 0) and stack (63)
        .equ    STRIDE, 64 * 4096           ; 64 pages apart: one TLB slot

_start:
        li      r8, 0
        li      r10, BASE
map:
        mov     r1, r10
        SYS     SYS_MAP
        cmpi    r0, 0
        bne     failed
        li      r1, STRIDE
        add     r10, r10, r1
        addi    r8, r8, 1
        cmpi    r8, PAGES
        blt     map

        li      r9, 0
round:
        li      r10, BASE
        li      r8, 0
touch:
        ld      r1, [r10]
        li      r1, STRIDE
        add     r10, r10, r1
        addi    r8, r8, 1
        cmpi    r8, PAGES
        blt     touch
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     round
        li      r1, 0
        call    exit
