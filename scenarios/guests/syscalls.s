; syscalls: a system-call-heavy program. It calls getpid CALLS times in a
; tight loop - the cheapest call there is: no device, no page tables, just
; the trip into ring 0 and back - and checks that every answer was the same.
; It prints
;       syscalls: 20000 getpid calls, pid 1
; On the way it also checks that an unknown system call number is refused
; with -1 (it prints a FAILED line if not).

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .ifndef CALLS                   ; a scenario may ask for more (defines: {CALLS: N})
        .equ    CALLS, 20000
        .endif

_start:
        ; an unknown call must come back as -1, and harmlessly
        li      r0, 999
        syscall
        cmpi    r0, -1
        beq     calls
        li      r1, msg_bad_number
        call    put_str
        call    end_line

calls:
        li      r9, 0                   ; calls made
        li      r10, 0                  ; answers that differed from the first
        SYS     SYS_GETPID              ; the first answer, to compare with
        mov     r8, r0
        addi    r9, r9, 1
loop:
        SYS     SYS_GETPID
        cmp     r0, r8
        beq     same
        addi    r10, r10, 1
same:
        addi    r9, r9, 1
        cmpi    r9, CALLS
        blt     loop

        li      r1, msg_done
        call    put_str
        mov     r1, r9
        call    put_dec
        li      r1, msg_pid
        call    put_str
        mov     r1, r8
        call    put_dec
        call    end_line
        cmpi    r10, 0
        beq     finish
        li      r1, msg_differed
        call    put_str
        mov     r1, r10
        call    put_dec
        call    end_line
finish:
        li      r1, 0
        call    exit

msg_done:
        .asciz  "syscalls: "
msg_pid:
        .asciz  " getpid calls, pid "
msg_differed:
        .asciz  "syscalls: FAILED: getpid answers that differed: "
msg_bad_number:
        .asciz  "syscalls: FAILED: an unknown system call number was not refused"
        .align  4
