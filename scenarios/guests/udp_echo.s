; udp_echo: a UDP echo client. It binds port 40000, sends three datagrams to
; the outside peer's echo port (10.0.0.1:7) and prints what comes back:
;       echo 1: hello 1 from the guest (from 10.0.0.1 port 7)
; The kernel must be built with -D NET=1 and the run given a NIC (--nic
; e1000): the first datagram waits for ARP to find the peer.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    PEER, 0x0A000001        ; 10.0.0.1
        .equ    ECHO_PORT, 7
        .equ    MY_PORT, 40000

_start:
        li      r1, MY_PORT
        SYS     SYS_NET_BIND
        li      r8, 1                   ; the datagram's number
ue.loop:
        li      r1, message_digit       ; "hello N from the guest"
        addi    r0, r8, '0'
        stb     [r1], r0
        li      r1, message
        li      r2, message_end - message
        li      r3, peer_address
        SYS     SYS_NET_SEND
        cmpi    r0, 0
        blt     ue.send_failed
        li      r1, reply
        li      r2, 63
        li      r3, sender
        SYS     SYS_NET_RECV
        cmpi    r0, 0
        blt     ue.no_reply
        li      r1, reply
        add     r1, r1, r0
        li      r0, 0
        stb     [r1], r0                ; the reply as a string
        li      r1, msg_echo
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_colon
        call    put_str
        li      r1, reply
        call    put_str
        li      r1, msg_from
        call    put_str
        li      r9, sender
        ld      r9, [r9]
        call    put_ip
        li      r1, msg_port
        call    put_str
        li      r1, sender
        ld      r1, [r1 + 4]
        call    put_dec
        li      r1, msg_close
        call    put_str
        call    end_line
        jmp     ue.next
ue.send_failed:
        li      r1, msg_send_failed
        call    put_str
        call    end_line
        jmp     ue.next
ue.no_reply:
        li      r1, msg_no_reply
        call    put_str
        call    end_line
ue.next:
        addi    r8, r8, 1
        cmpi    r8, 3
        ble     ue.loop
        li      r1, 0
        call    exit

; put_ip: append the IPv4 address in r9 as a dotted quad.
put_ip:
        shri    r1, r9, 24
        call    put_dec
        li      r1, '.'
        call    put_char
        shri    r1, r9, 16
        andi    r1, r1, 255
        call    put_dec
        li      r1, '.'
        call    put_char
        shri    r1, r9, 8
        andi    r1, r1, 255
        call    put_dec
        li      r1, '.'
        call    put_char
        andi    r1, r9, 255
        call    put_dec
        ret

peer_address:
        .word   PEER, ECHO_PORT
sender:
        .word   0, 0
message:
        .ascii  "hello "
message_digit:
        .ascii  "? from the guest"
message_end:
msg_echo:
        .asciz  "echo "
msg_colon:
        .asciz  ": "
msg_from:
        .asciz  " (from "
msg_port:
        .asciz  " port "
msg_close:
        .asciz  ")"
msg_send_failed:
        .asciz  "send failed"
msg_no_reply:
        .asciz  "no reply"
        .align  4
reply:
        .space  64
