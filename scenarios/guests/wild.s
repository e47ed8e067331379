; wild.s: a guest "kernel" that tries to step outside what it was given, to
; show what a monitor does about it (scenarios/14-isolation.yaml).
;
; It reaches (1) for memory past the end of its machine's memory and (2) for
; an I/O port with no device behind it, catching what happens with its own
; trap handlers, and says so on the console. Natively the first is a bus
; error (there is no memory there) and the second goes unanswered; in a VM
; both are stopped by the monitor, logged as isolation violations, and the
; guest gets the fault inside its own VM. Nothing it does reaches another VM.

        .equ    CONSOLE, 0x10
        .equ    WILD_PORT, 0x77         ; no device answers here
        .equ    PAST_THE_END, 0x00800000 ; 8 MiB: past a 4 MiB machine or VM

        .org    0
_start: li      sp, stack_top
        li      r1, trap_table
        ltt     r1
        li      r1, msg_start
        call    print
reach_memory:
        li      r1, PAST_THE_END
        li      r2, 0x5EC2E7
        st      [r1], r2                ; faults: bus error
after_memory:
        li      r1, msg_port
        call    print
reach_port:
        li      r1, 1
        out     WILD_PORT, r1           ; in a VM: general protection
after_port:
        li      r1, msg_done
        call    print
        cli
        hlt

; Bus error: say so, and go on after the store.
on_bus_error:
        li      r1, msg_bus
        call    print
        li      r1, after_memory
        st      [sp], r1                ; the saved pc: resume after the store
        iret

; General protection: say so, and go on after the port access.
on_protection:
        li      r1, msg_gp
        call    print
        li      r1, after_port
        st      [sp], r1
        iret

; print: the zero-terminated string at r1. Keeps every register but r1, r2.
print:
        ldb     r2, [r1]
        cmpi    r2, 0
        beq     print.done
        out     CONSOLE, r2
        addi    r1, r1, 1
        jmp     print
print.done:
        ret

msg_start: .asciz "wild: reaching past the end of memory\n"
msg_bus:   .asciz "wild: bus error: there is nothing there for me\n"
msg_port:  .asciz "wild: reaching for I/O port 0x77\n"
msg_gp:    .asciz "wild: general protection: that port is not mine\n"
msg_done:  .asciz "wild: done\n"

        .align  64
trap_table:
        .word   0, 0, 0, on_protection, 0, 0, on_bus_error, 0, 0, 0
        .align  4
        .space  256
stack_top:
