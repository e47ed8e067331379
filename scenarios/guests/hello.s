; hello: the smallest well-behaved program. It asks the kernel for its pid
; and asks the CPU for its ring, and prints
;       hello from pid 1 in ring 3
; getcpl is one of the sensitive-but-unprivileged instructions: legal in any
; ring, it simply reports the truth, and for a user program that is ring 3.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

_start:
        SYS     SYS_GETPID
        mov     r8, r0
        getcpl  r9
        li      r1, msg_hello
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_ring
        call    put_str
        mov     r1, r9
        call    put_dec
        call    end_line
        li      r1, 0
        call    exit

msg_hello:
        .asciz  "hello from pid "
msg_ring:
        .asciz  " in ring "
        .align  4
