        .include "a.inc"
        .include "c.inc"
_start: PUTC    'x'
        .if COUNT > 1
        nop
        .elif COUNT == 1
        li r2, COUNT << 3 | 1
        .else
        .error "no count"
        .endif
@@
        .ifndef A_INC
        .equ A_INC, 1
        .macro  PUTC ch
        li      r0, \ch
        out     0x10, r0
.Lx\@:  bne     .Lx\@
        .endm
        .include "b.inc"
        .endif
@@
COUNT = 1
COUNT = COUNT + 1
@@
        .include "../a.inc"
        .equ    C_INC, 0x20
