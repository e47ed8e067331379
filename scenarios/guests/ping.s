; ping: three ICMP echo requests to the outside peer (10.0.0.1), one line
; each:
;       reply from 10.0.0.1: seq 1
; The kernel must be built with -D NET=1 and the run given a NIC (--nic e1000).

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    PEER, 0x0A000001        ; 10.0.0.1

_start:
        li      r8, 1                   ; the sequence number
ping.loop:
        li      r1, PEER
        mov     r2, r8
        SYS     SYS_NET_PING
        cmpi    r0, 0
        bne     ping.lost
        li      r1, msg_reply
        jmp     ping.print
ping.lost:
        li      r1, msg_lost
ping.print:
        call    put_str
        mov     r1, r8
        call    put_dec
        call    end_line
        addi    r8, r8, 1
        cmpi    r8, 3
        ble     ping.loop
        li      r1, 0
        call    exit

msg_reply:
        .asciz  "reply from 10.0.0.1: seq "
msg_lost:
        .asciz  "no reply from 10.0.0.1: seq "
        .align  4
