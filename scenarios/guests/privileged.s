; privileged: what ring 3 may not do. Run as the only program it prints
;       privileged: pid 1 starts a child that reads kernel memory
;       kernel: pid 2 killed: page fault at 0x00000000 (pc 0x...)
;       privileged: child pid 2 ended with code 132
;       privileged: pid 1 now tries cli in ring 3
;       kernel: pid 1 killed: general protection fault (pc 0x...)
; First a child (the same program, argument 1) loads a word from address 0.
; That address is mapped - it is the kernel's own code - but without the
; user bit, so the MMU refuses a ring-3 access and the kernel kills the
; child. Its exit code, 128 + 4 (the page-fault vector), comes back through
; wait. Then the program itself executes cli, a privileged instruction: in
; ring 3 the CPU raises general protection instead, and the kernel kills it.
; The kernel carries on either way, and the last line it prints says that
; all processes have exited.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    CHILD_ARG, 1

_start:
        cmpi    r1, CHILD_ARG
        beq     child
        mov     r10, r2                 ; our program index
        SYS     SYS_GETPID
        mov     r8, r0

        li      r1, msg_pid
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_starts_child
        call    put_str
        call    end_line
        mov     r1, r10
        li      r2, CHILD_ARG
        SYS     SYS_SPAWN
        mov     r9, r0
        mov     r1, r9
        SYS     SYS_WAIT
        mov     r11, r0
        li      r1, msg_child
        call    put_str
        mov     r1, r9
        call    put_dec
        li      r1, msg_ended
        call    put_str
        mov     r1, r11
        call    put_dec
        call    end_line

        li      r1, msg_pid
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_tries_cli
        call    put_str
        call    end_line
        cli                             ; privileged: general protection in ring 3
        ; not reached: the kernel has killed us
        li      r1, msg_survived
        call    put_str
        call    end_line
        li      r1, 1
        call    exit

child:
        li      r1, 0
        ld      r2, [r1]                ; kernel memory: page fault
        li      r1, msg_survived        ; not reached
        call    put_str
        call    end_line
        li      r1, 1
        call    exit

msg_pid:
        .asciz  "privileged: pid "
msg_starts_child:
        .asciz  " starts a child that reads kernel memory"
msg_child:
        .asciz  "privileged: child pid "
msg_ended:
        .asciz  " ended with code "
msg_tries_cli:
        .asciz  " now tries cli in ring 3"
msg_survived:
        .asciz  "privileged: FAILED: ring 3 got away with it"
        .align  4
