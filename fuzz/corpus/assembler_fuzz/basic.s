; a first program: labels, constants, data
        .equ    PORT, 0x10
        .org    0x1000
_start: li      sp, stack_top
        li      r1, msg
loop:   ldb     r0, [r1]
        cmpi    r0, 0
        beq     done
        out     PORT, r0
        addi    r1, r1, 1
        jmp     loop
done:   cli
        hlt
msg:    .asciz  "hi\n"
        .align  16
        .space  64, 0xAA
stack_top:
        .word   _start, done - _start, .
        .byte   1, 2, -1
