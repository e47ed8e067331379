; Kernel messages. A message is built piece by piece in a line buffer and
; sent to the console in one CONSOLE_WRITE when the line is complete: one
; hypercall per line in the paravirtual build, and never half a line.
; Every routine here keeps all registers (only the condition flags change),
; so messages can be dropped into any code path.

; kput_str: append the zero-terminated string at r1.
kput_str:
        push    r1
        push    r2
        push    r3
        push    r4
        li      r2, kline_len
        ld      r3, [r2]
kps.loop:
        ldb     r4, [r1]
        cmpi    r4, 0
        beq     kps.done
        cmpi    r3, KLINE_MAX           ; a full line drops the rest
        bgeu    kps.done
        stb     [r3 + kline], r4
        addi    r3, r3, 1
        addi    r1, r1, 1
        jmp     kps.loop
kps.done:
        st      [r2], r3
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        ret

; kput_char: append the byte in r1.
kput_char:
        push    r2
        push    r3
        li      r2, kline_len
        ld      r3, [r2]
        cmpi    r3, KLINE_MAX
        bgeu    kpc.done
        stb     [r3 + kline], r1
        addi    r3, r3, 1
        st      [r2], r3
kpc.done:
        pop     r3
        pop     r2
        ret

; kput_dec: append r1 as an unsigned decimal number.
kput_dec:
        push    r1
        push    r2
        push    r3
        push    r4
        li      r3, 10
        li      r4, 0                   ; digits on the stack
kpd.split:
        rem     r2, r1, r3              ; lowest digit first...
        addi    r2, r2, '0'
        push    r2
        addi    r4, r4, 1
        div     r1, r1, r3
        cmpi    r1, 0
        bne     kpd.split
kpd.emit:
        pop     r1                      ; ...so popping gives them highest first
        call    kput_char
        addi    r4, r4, -1
        cmpi    r4, 0
        bne     kpd.emit
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        ret

; kput_hex: append r1 as 0x and eight hex digits.
kput_hex:
        push    r1
        push    r2
        push    r3
        mov     r2, r1
        li      r1, '0'
        call    kput_char
        li      r1, 'x'
        call    kput_char
        li      r3, 28                  ; shift of the highest digit
kph.digit:
        shr     r1, r2, r3
        andi    r1, r1, 15
        cmpi    r1, 10
        blt     kph.decimal
        addi    r1, r1, 'a' - 10
        jmp     kph.put
kph.decimal:
        addi    r1, r1, '0'
kph.put:
        call    kput_char
        addi    r3, r3, -4
        cmpi    r3, 0
        bge     kph.digit
        pop     r3
        pop     r2
        pop     r1
        ret

; kflush_line: end the line with a newline and write it out, in the host's
; console stream (the kernel's own messages are the host's, whichever
; process they are about), and keep it in the kernel log.
kflush_line:
        push    r1
        push    r2
        push    r3
        li      r1, kline_len
        ld      r2, [r1]
        li      r1, '\n'
        stb     [r2 + kline], r1        ; the buffer has room for it past KLINE_MAX
        addi    r2, r2, 1
        li      r1, kline
        li      r3, 0
        CONSOLE_WRITE r1, r2, r3
        call    klog_append
        li      r1, kline_len
        li      r2, 0
        st      [r1], r2
        pop     r3
        pop     r2
        pop     r1
        ret

; klog_append: r1 = buffer, r2 = length; appends the bytes to the kernel
; log, a ring of the last KLOG_SIZE bytes the kernel wrote (read back with
; the klog system call). Keeps every register.
klog_append:
        push    r1
        push    r2
        push    r3
        push    r4
        push    r5
        push    r6
        li      r3, klog_total
        ld      r4, [r3]
        add     r5, r1, r2              ; end of the bytes
ka.byte:
        cmp     r1, r5
        bgeu    ka.done
        ldb     r6, [r1]
        andi    r2, r4, KLOG_SIZE - 1   ; where byte number r4 goes in the ring
        stb     [r2 + klog_buffer], r6
        addi    r4, r4, 1
        addi    r1, r1, 1
        jmp     ka.byte
ka.done:
        st      [r3], r4
        pop     r6
        pop     r5
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        ret

        .if (KLOG_SIZE & (KLOG_SIZE - 1)) != 0
        .error  "KLOG_SIZE must be a power of two (the log wraps with a mask)"
        .endif
klog_total:
        .word   0                       ; bytes logged since boot (the log itself, klog_buffer, is in kernel.s)
kline_len:
        .word   0
kline:
        .space  KLINE_MAX + 1
        .align  4
