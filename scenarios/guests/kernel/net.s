; The network (built with -D NET=1 only): a driver for the e1000-like NIC
; (cpu-model/nic.h, ports 0x50-0x5F) and a small IPv4 stack over it: ARP for
; one neighbour, IPv4 with its header checksum, UDP with its checksum (one
; bound port, one datagram waiting) and ICMP echo for ping.
;
; The driver works as e1000's does: descriptor rings in kernel memory, the
; transmit tail written for every packet, a receive buffer handed back by
; writing the receive tail, and the cause register read (which clears it)
; whenever the kernel looks for what arrived. It looks by polling, inside
; the system calls that wait: interrupts from the NIC are not wired yet.
;
; Frames are built byte by byte in network order (big-endian); the CPU is
; little-endian, so get16/put16 and friends do the swapping.

        .equ    NIC_TX_RING, 0x50
        .equ    NIC_TX_COUNT, 0x51
        .equ    NIC_TX_TAIL, 0x53
        .equ    NIC_RX_RING, 0x54
        .equ    NIC_RX_COUNT, 0x55
        .equ    NIC_RX_TAIL, 0x57
        .equ    NIC_CAUSE, 0x58
        .equ    NIC_MAC_LOW, 0x5A
        .equ    NIC_MAC_HIGH, 0x5B
        .equ    NET_RING, 4                 ; descriptors per ring
        .equ    NET_BUFFER, 2048            ; a receive buffer (the NIC's contract)
        .equ    DESC_ADDRESS, 0
        .equ    DESC_LENGTH, 4
        .equ    DESC_STATUS, 8
        .equ    NET_MY_IP, 0x0A000002       ; 10.0.0.2 (core/run/nic_network.h gives the peer 10.0.0.1)
        .equ    NET_POLLS, 64               ; looks for an answer before a call gives up
        .equ    NET_UDP_MAX, 1472           ; a datagram's data in one 1500-byte IPv4 packet
        .equ    NET_DEFAULT_PORT, 40000     ; the source port of an unbound sender

; net_init: the rings programmed, every receive buffer but one handed to
; the NIC (head == tail means none free), the MAC address read.
net_init:
        li      r1, net_rx_ring
        li      r2, net_rx_buffers
        li      r3, 0
ni.loop:
        st      [r1 + DESC_ADDRESS], r2
        st      [r1 + DESC_STATUS], r3
        addi    r1, r1, 16
        addi    r2, r2, NET_BUFFER
        li      r4, net_rx_ring + NET_RING * 16
        cmp     r1, r4
        bne     ni.loop
        li      r1, net_tx_ring
        out     NIC_TX_RING, r1
        li      r1, NET_RING
        out     NIC_TX_COUNT, r1
        li      r1, net_rx_ring
        out     NIC_RX_RING, r1
        li      r1, NET_RING
        out     NIC_RX_COUNT, r1
        li      r1, NET_RING - 1
        li      r2, net_rx_tail
        st      [r2], r1
        out     NIC_RX_TAIL, r1
        in      r1, NIC_MAC_LOW
        li      r2, net_mac
        st      [r2], r1
        in      r1, NIC_MAC_HIGH
        st      [r2 + 4], r1
        ret

; ---- bytes in network order ---------------------------------------------

; get16: r1 = address -> r0 = the big-endian 16-bit value there. Keeps r1.
get16:
        ldb     r0, [r1]
        shli    r0, r0, 8
        ldb     r7, [r1 + 1]
        or      r0, r0, r7
        ret

; get32: r1 = address -> r0.
get32:
        push    r1
        call    get16
        shli    r6, r0, 16
        addi    r1, r1, 2
        call    get16
        or      r0, r0, r6
        pop     r1
        ret

; put16: r1 = address, r2 = value. Keeps r1, r2.
put16:
        shri    r7, r2, 8
        stb     [r1], r7
        stb     [r1 + 1], r2
        ret

; put32: r1 = address, r2 = value. Keeps r1, r2.
put32:
        push    r2
        shri    r2, r2, 16
        call    put16
        pop     r2
        addi    r1, r1, 2
        call    put16
        addi    r1, r1, -2
        ret

; csum_add: r1 = address, r2 = length, r3 = running sum -> r0 = the sum with
; the bytes added as big-endian 16-bit words (an odd last byte padded with
; zero), as the Internet checksum (RFC 1071) adds them.
csum_add:
        mov     r0, r3
        add     r5, r1, r2
ca.loop:
        addi    r6, r1, 1
        cmp     r6, r5
        bgeu    ca.tail
        ldb     r6, [r1]
        shli    r6, r6, 8
        add     r0, r0, r6
        ldb     r6, [r1 + 1]
        add     r0, r0, r6
        addi    r1, r1, 2
        jmp     ca.loop
ca.tail:
        cmp     r1, r5
        bgeu    ca.done
        ldb     r6, [r1]
        shli    r6, r6, 8
        add     r0, r0, r6
ca.done:
        ret

; csum_fold: r1 = a sum from csum_add -> r0 = the checksum to store (the
; ones' complement of the folded sum).
csum_fold:
        shri    r0, r1, 16
        andi    r1, r1, 0xFFFF
        add     r1, r1, r0
        shri    r0, r1, 16
        andi    r1, r1, 0xFFFF
        add     r1, r1, r0
        xori    r0, r1, 0xFFFF
        ret

; ---- the driver -----------------------------------------------------------

; net_send: r1 = frame (in kernel memory), r2 = length. Fills the next
; transmit descriptor and writes the tail register: one packet, one write.
net_send:
        li      r3, net_tx_tail
        ld      r4, [r3]
        shli    r5, r4, 4
        addi    r5, r5, net_tx_ring
        st      [r5 + DESC_ADDRESS], r1
        st      [r5 + DESC_LENGTH], r2
        li      r6, 0
        st      [r5 + DESC_STATUS], r6
        addi    r4, r4, 1
        andi    r4, r4, NET_RING - 1
        st      [r3], r4
        out     NIC_TX_TAIL, r4
        ret

; net_poll: reads the cause register (which acknowledges it), then takes
; every frame the NIC has put in the receive ring, handing each buffer back.
net_poll:
        push    r8
        push    r9
        push    r10
        in      r0, NIC_CAUSE
np.loop:
        li      r8, net_rx_next
        ld      r9, [r8]
        shli    r10, r9, 4
        addi    r10, r10, net_rx_ring
        ld      r0, [r10 + DESC_STATUS]
        andi    r0, r0, 1
        cmpi    r0, 0
        beq     np.done
        ld      r1, [r10 + DESC_ADDRESS]
        ld      r2, [r10 + DESC_LENGTH]
        call    net_input
        li      r0, 0
        st      [r10 + DESC_STATUS], r0
        addi    r9, r9, 1
        andi    r9, r9, NET_RING - 1
        st      [r8], r9
        li      r1, net_rx_tail         ; the buffer goes back to the NIC
        ld      r0, [r1]
        addi    r0, r0, 1
        andi    r0, r0, NET_RING - 1
        st      [r1], r0
        out     NIC_RX_TAIL, r0
        jmp     np.loop
np.done:
        pop     r10
        pop     r9
        pop     r8
        ret

; ---- receiving --------------------------------------------------------------

; net_input: r1 = frame, r2 = length. Keeps r8..r14.
net_input:
        push    r8
        push    r9
        mov     r8, r1
        mov     r9, r2
        cmpi    r9, 42                  ; Ethernet + ARP, the shortest we take
        blt     nin.done
        addi    r1, r8, 12
        call    get16
        cmpi    r0, 0x0806
        beq     nin.arp
        cmpi    r0, 0x0800
        bne     nin.done
        mov     r1, r8
        mov     r2, r9
        call    ip_input
        jmp     nin.done
nin.arp:
        ; A reply from the neighbour we asked for: its MAC is at +22.
        addi    r1, r8, 20
        call    get16
        cmpi    r0, 2
        bne     nin.done
        addi    r1, r8, 28
        call    get32
        li      r1, net_peer_ip
        ld      r1, [r1]
        cmp     r0, r1
        bne     nin.done
        li      r1, net_peer_mac
        addi    r2, r8, 22
        li      r3, 6
        call    copy_bytes
        li      r1, net_peer_known
        li      r0, 1
        st      [r1], r0
nin.done:
        pop     r9
        pop     r8
        ret

; ip_input: r8 = frame, r9 = length (the caller's). An IPv4 packet for us
; with a good header checksum: an echo reply is noted, a UDP datagram to the
; bound port is kept (if none is waiting already).
ip_input:
        cmpi    r9, 34
        blt     ii.done
        addi    r1, r8, 30
        call    get32
        li      r1, NET_MY_IP
        cmp     r0, r1
        bne     ii.done
        addi    r1, r8, 14              ; the header must sum to 0xFFFF: its checksum folds to 0
        li      r2, 20
        li      r3, 0
        call    csum_add
        mov     r1, r0
        call    csum_fold
        cmpi    r0, 0
        bne     ii.done
        ldb     r0, [r8 + 23]           ; protocol
        cmpi    r0, 1
        beq     ii.icmp
        cmpi    r0, 17
        bne     ii.done
        addi    r1, r8, 36              ; destination port
        call    get16
        li      r1, net_bound_port
        ld      r1, [r1]
        cmp     r0, r1
        bne     ii.done
        li      r1, net_dgram_len
        ld      r1, [r1]
        cmpi    r1, 0
        bne     ii.done                 ; one datagram waits already: this one is dropped
        addi    r1, r8, 38
        call    get16
        addi    r3, r0, -8              ; the data's length
        cmpi    r3, 0
        ble     ii.done
        cmpi    r3, NET_UDP_MAX
        bgt     ii.done
        addi    r4, r3, 42              ; the frame must hold all of it
        cmp     r9, r4
        blt     ii.done
        li      r1, net_dgram_len
        st      [r1], r3
        addi    r1, r8, 26
        call    get32
        li      r1, net_dgram_from
        st      [r1], r0
        addi    r1, r8, 34
        call    get16
        li      r1, net_dgram_from
        st      [r1 + 4], r0
        li      r1, net_dgram_len
        ld      r3, [r1]
        li      r1, net_dgram
        addi    r2, r8, 42
        call    copy_bytes
        jmp     ii.done
ii.icmp:
        ldb     r0, [r8 + 34]
        cmpi    r0, 0                   ; echo reply
        bne     ii.done
        addi    r1, r8, 40
        call    get16
        li      r1, net_ping_seen
        st      [r1], r0
ii.done:
        ret

; ---- sending ----------------------------------------------------------------

; net_resolve: r1 = IPv4 address. r0 = 1 once its MAC is known (after an
; ARP request and its answer, if need be), else 0.
net_resolve:
        push    r8
        push    r9
        mov     r8, r1
        li      r1, net_peer_ip
        ld      r0, [r1]
        cmp     r0, r8
        bne     nr.ask
        li      r1, net_peer_known
        ld      r0, [r1]
        cmpi    r0, 1
        beq     nr.out
nr.ask:
        li      r1, net_peer_ip
        st      [r1], r8
        li      r1, net_peer_known
        li      r0, 0
        st      [r1], r0
        li      r1, net_frame           ; ARP request, broadcast
        li      r2, -1
        call    put16
        addi    r1, r1, 2
        call    put32
        li      r1, net_frame + 6
        li      r2, net_mac
        li      r3, 6
        call    copy_bytes
        li      r1, net_frame + 12
        li      r2, 0x0806
        call    put16
        li      r1, net_frame + 14      ; Ethernet, IPv4, lengths 6 and 4, request
        li      r2, 0x00010800
        call    put32
        li      r1, net_frame + 18
        li      r2, 0x06040001
        call    put32
        li      r1, net_frame + 22      ; sender: us
        li      r2, net_mac
        li      r3, 6
        call    copy_bytes
        li      r1, net_frame + 28
        li      r2, NET_MY_IP
        call    put32
        li      r1, net_frame + 32      ; target: MAC unknown, the address asked for
        li      r2, 0
        call    put32
        addi    r1, r1, 4
        call    put16
        li      r1, net_frame + 38
        mov     r2, r8
        call    put32
        li      r1, net_frame + 42      ; padded to the 60-byte minimum
        li      r2, 18
        call    net_zero
        li      r1, net_frame
        li      r2, 60
        call    net_send
        li      r9, NET_POLLS
nr.wait:
        call    net_poll
        li      r1, net_peer_known
        ld      r0, [r1]
        cmpi    r0, 1
        beq     nr.out
        addi    r9, r9, -1
        cmpi    r9, 0
        bgt     nr.wait
        li      r0, 0
nr.out:
        pop     r9
        pop     r8
        ret

; net_zero: r1 = address, r2 = bytes to clear.
net_zero:
        add     r2, r2, r1
        li      r3, 0
nz.loop:
        cmp     r1, r2
        bgeu    nz.done
        stb     [r1], r3
        addi    r1, r1, 1
        jmp     nz.loop
nz.done:
        ret

; ip_header: r1 = destination IPv4, r2 = protocol, r3 = payload length.
; Writes the Ethernet header (to the resolved neighbour) and the IPv4 header
; with its checksum into net_frame. The payload goes at net_frame + 34.
ip_header:
        push    r8
        push    r9
        push    r10
        mov     r8, r1
        mov     r9, r2
        mov     r10, r3
        li      r1, net_frame
        li      r2, net_peer_mac
        li      r3, 6
        call    copy_bytes
        li      r1, net_frame + 6
        li      r2, net_mac
        li      r3, 6
        call    copy_bytes
        li      r1, net_frame + 12
        li      r2, 0x0800
        call    put16
        addi    r1, r1, 2               ; version 4, 5 words, no DSCP; total length
        addi    r2, r10, 20
        ori     r2, r2, 0x45000000
        call    put32
        li      r1, net_ip_id           ; identification, don't fragment
        ld      r2, [r1]
        addi    r0, r2, 1
        st      [r1], r0
        shli    r2, r2, 16
        ori     r2, r2, 0x4000
        li      r1, net_frame + 18
        call    put32
        shli    r2, r9, 16              ; TTL 64, protocol, checksum 0 for now
        li      r0, 0x40000000
        or      r2, r2, r0
        li      r1, net_frame + 22
        call    put32
        li      r1, net_frame + 26
        li      r2, NET_MY_IP
        call    put32
        li      r1, net_frame + 30
        mov     r2, r8
        call    put32
        li      r1, net_frame + 14
        li      r2, 20
        li      r3, 0
        call    csum_add
        mov     r1, r0
        call    csum_fold
        mov     r2, r0
        li      r1, net_frame + 24
        call    put16
        pop     r10
        pop     r9
        pop     r8
        ret

; net_transmit_ip: r1 = payload length. Sends net_frame (headers from
; ip_header, the payload after them), padded to the 60-byte minimum.
net_transmit_ip:
        push    r8
        addi    r8, r1, 34
        cmpi    r8, 60
        bge     nt.send
        li      r1, net_frame
        add     r1, r1, r8
        li      r2, 60
        sub     r2, r2, r8
        call    net_zero
        li      r8, 60
nt.send:
        li      r1, net_frame
        mov     r2, r8
        call    net_send
        pop     r8
        ret

; ---- system calls (numbers 20-23, include/syscalls.inc) --------------------

; net_bind(port) -> 0: datagrams to this UDP port are kept for net_recv.
sys_net_bind:
        li      r0, net_bound_port
        andi    r1, r1, 0xFFFF
        st      [r0], r1
        li      r0, net_dgram_len
        li      r1, 0
        st      [r0], r1
        li      r0, 0
        ret

; net_send(buffer, length, address) -> length, or -1. `address` points at
; two words: the IPv4 address and the UDP port to send to.
sys_net_send:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        mov     r8, r1
        mov     r9, r2
        mov     r10, r3
        mov     r12, r4
        li      r0, NET_UDP_MAX
        cmp     r0, r9
        bltu    sns.fail                ; unsigned: a negative length too
        mov     r1, r8
        mov     r2, r9
        li      r3, 0
        call    user_range_ok
        cmpi    r0, 0
        beq     sns.fail
        mov     r1, r10
        li      r2, 8
        li      r3, 0
        mov     r4, r12
        call    user_range_ok
        cmpi    r0, 0
        beq     sns.fail
        ld      r11, [r10]              ; destination address
        mov     r1, r11
        call    net_resolve
        cmpi    r0, 0
        beq     sns.fail
        mov     r1, r11
        li      r2, 17
        addi    r3, r9, 8
        call    ip_header
        li      r1, net_frame + 34      ; UDP header: ports, length, checksum 0 for now
        li      r2, net_bound_port
        ld      r2, [r2]
        cmpi    r2, 0
        bne     sns.port
        li      r2, NET_DEFAULT_PORT
sns.port:
        shli    r2, r2, 16
        ld      r0, [r10 + 4]
        andi    r0, r0, 0xFFFF
        or      r2, r2, r0
        call    put32
        li      r1, net_frame + 38
        addi    r2, r9, 8
        shli    r2, r2, 16
        call    put32
        li      r1, net_frame + 42
        mov     r2, r8
        mov     r3, r9
        call    copy_bytes
        ; The checksum covers a pseudo-header (source and destination
        ; address, protocol, UDP length) and the whole datagram.
        li      r1, net_frame + 26
        li      r2, 8
        addi    r3, r9, 8 + 17
        call    csum_add
        mov     r3, r0
        li      r1, net_frame + 34
        addi    r2, r9, 8
        call    csum_add
        mov     r1, r0
        call    csum_fold
        cmpi    r0, 0
        bne     sns.sum
        li      r0, 0xFFFF              ; 0 would mean "no checksum"
sns.sum:
        mov     r2, r0
        li      r1, net_frame + 40
        call    put16
        addi    r1, r9, 8
        call    net_transmit_ip
        mov     r0, r9
        jmp     sns.out
sns.fail:
        li      r0, -1
sns.out:
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; net_recv(buffer, length, address) -> bytes received (at most `length`),
; or -1 if nothing came. If `address` is not 0, the sender's IPv4 address
; and port are written there.
sys_net_recv:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        mov     r8, r1
        mov     r9, r2
        mov     r10, r3
        mov     r12, r4
        mov     r1, r8
        mov     r2, r9
        li      r3, 1
        call    user_range_ok
        cmpi    r0, 0
        beq     snr.fail
        cmpi    r10, 0
        beq     snr.wait_start
        mov     r1, r10
        li      r2, 8
        li      r3, 1
        mov     r4, r12
        call    user_range_ok
        cmpi    r0, 0
        beq     snr.fail
snr.wait_start:
        li      r11, NET_POLLS
snr.wait:
        call    net_poll
        li      r1, net_dgram_len
        ld      r0, [r1]
        cmpi    r0, 0
        bne     snr.got
        addi    r11, r11, -1
        cmpi    r11, 0
        bgt     snr.wait
        jmp     snr.fail
snr.got:
        cmp     r9, r0
        bgeu    snr.fits
        mov     r0, r9
snr.fits:
        mov     r11, r0
        mov     r1, r8
        li      r2, net_dgram
        mov     r3, r11
        call    copy_bytes
        cmpi    r10, 0
        beq     snr.done
        li      r1, net_dgram_from
        ld      r0, [r1]
        st      [r10], r0
        ld      r0, [r1 + 4]
        st      [r10 + 4], r0
snr.done:
        li      r1, net_dgram_len
        li      r0, 0
        st      [r1], r0
        mov     r0, r11
        jmp     snr.out
snr.fail:
        li      r0, -1
snr.out:
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; net_ping(address, sequence) -> 0 when the echo reply came back, else -1.
sys_net_ping:
        push    r8
        push    r9
        mov     r8, r1
        andi    r9, r2, 0xFFFF
        call    net_resolve
        cmpi    r0, 0
        beq     snp.fail
        mov     r1, r8
        li      r2, 1
        li      r3, 16                  ; 8 bytes of header, 8 of data
        call    ip_header
        li      r1, net_frame + 34      ; echo request, code 0, checksum 0 for now
        li      r2, 0x08000000
        call    put32
        li      r1, net_frame + 38      ; identifier, sequence
        li      r2, 0x52490000
        or      r2, r2, r9
        call    put32
        li      r1, net_frame + 42
        li      r2, net_ping_data
        li      r3, 8
        call    copy_bytes
        li      r1, net_frame + 34
        li      r2, 16
        li      r3, 0
        call    csum_add
        mov     r1, r0
        call    csum_fold
        mov     r2, r0
        li      r1, net_frame + 36
        call    put16
        li      r1, net_ping_seen
        li      r0, 0
        st      [r1], r0
        li      r1, 16
        call    net_transmit_ip
        li      r8, NET_POLLS
snp.wait:
        call    net_poll
        li      r1, net_ping_seen
        ld      r0, [r1]
        cmp     r0, r9
        beq     snp.ok
        addi    r8, r8, -1
        cmpi    r8, 0
        bgt     snp.wait
snp.fail:
        li      r0, -1
        jmp     snp.out
snp.ok:
        li      r0, 0
snp.out:
        pop     r9
        pop     r8
        ret

; The numbers between the kernel's own calls and the network's (14-19)
; belong to no call in this build.
sys_unassigned:
        li      r0, -1
        ret

; ---- the driver's memory ----------------------------------------------------
; On pages of its own: the NIC writes here by DMA, and a page with code on it
; would make a translating monitor drop its translations at every frame.
        .align  4096
net_tx_ring:
        .space  NET_RING * 16
net_rx_ring:
        .space  NET_RING * 16
net_tx_tail:
        .word   0
net_rx_next:
        .word   0                       ; the receive descriptor the driver looks at next
net_rx_tail:
        .word   0
net_mac:
        .space  8
net_peer_ip:
        .word   0                       ; the one neighbour ARP knows
net_peer_mac:
        .space  8
net_peer_known:
        .word   0
net_bound_port:
        .word   0
net_dgram_len:
        .word   0                       ; the waiting datagram's length; 0: none
net_dgram_from:
        .word   0, 0                    ; its sender's address and port
net_ping_seen:
        .word   0                       ; the sequence of the last echo reply
net_ip_id:
        .word   1
net_ping_data:
        .ascii  "ringsim!"
        .align  4
net_frame:
        .space  1536                    ; the frame being built; sent from here
net_dgram:
        .space  NET_UDP_MAX
        .align  16
net_rx_buffers:
        .space  NET_RING * NET_BUFFER
