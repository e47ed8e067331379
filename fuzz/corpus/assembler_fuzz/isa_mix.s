.org 0x400000
_start:
        li sp, 0x401000
        call work
        ld r1, [r2 - 4]
        st [r3 + 0x2000], r4
        .word 0x17000000
work:   ltt r1
        lptb r2
        rdcr r3, ttb
        stimer r4
        invlpg r2
        tlbflush
        syscall
        sysret
        iret
        hcall 7
        in r1, 0x12
        popf
        pushf
        getcpl r5
        stt r6
        callr r7
        jmpr r8
        div r1, r2, r3
        brk
        ret
        .byte 0x41, 0x42
