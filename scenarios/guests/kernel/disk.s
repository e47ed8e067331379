; The disk driver interface of the file store, and its two drivers.
;
;   disk_probe  -> r0 = sectors on the disk, or 0 if there is no front end;
;                  finds which one the machine has and sets it up
;   disk_io     r1 = DISK_READ or DISK_WRITE, r2 = first sector,
;               r3 = buffer (physical), r4 = sectors (1..DISK_MAX_BATCH)
;               -> r0 = 0, or -1 if the device reported an error
;
; Both drivers move the same sectors; what differs is how often they touch a
; device register, which a monitor must emulate each time:
;   IDE-like     one request per sector: sector, count, command and status
;                registers, then the sector's 128 words through the data port;
;   virtio-like  all the sectors as one batch of requests on a shared ring in
;                this kernel's memory, one notification, one interrupt.
; The kernel runs system calls with interrupts on, but the driver waits for
; its interrupt with them off, reading the device's interrupt status (the
; device has finished by the time it is read).

        .equ    DISK_READ, 0
        .equ    DISK_WRITE, 1
        .equ    DISK_NONE, 0
        .equ    DISK_IDE, 1
        .equ    DISK_VIRTIO, 2
        .equ    DISK_MAX_BATCH, 8
        .equ    NO_DEVICE, 0xFFFFFFFF       ; what a port nobody answers reads

        .equ    IDE_CMD_READ, 0x20
        .equ    IDE_CMD_WRITE, 0x30
        .equ    IDE_ST_ERROR, 0x01
        .equ    IDE_ST_DATA_REQUEST, 0x08

        ; the shared ring (cpu-model/shared_ring.h): descriptors of 16 bytes
        ; { address, length, flags, next }, then the available ring { flags,
        ; index, entries }, then the used ring { flags, index, { head, written } }
        .equ    VQ_SIZE, 32
        .equ    VQ_AVAIL, VQ_SIZE * 16
        .equ    VQ_USED, VQ_AVAIL + 8 + 4 * VQ_SIZE
        .equ    VQ_BYTES, VQ_USED + 8 + 8 * VQ_SIZE
        .equ    VQ_NEXT, 1
        .equ    VQ_DEVICE_WRITES, 2
        .equ    VQ_NO_NOTIFY, 1
        .equ    VIRTIO_INT_USED, 1
        .equ    VIRTIO_INT_BROKEN, 2

disk_probe:
        in      r0, PORT_VIRTIO_SECTORS
        cmpi    r0, NO_DEVICE
        beq     dp.ide
        li      r1, VQ_SIZE
        out     PORT_VIRTIO_QUEUE_SIZE, r1
        li      r1, vq_ring
        out     PORT_VIRTIO_QUEUE_ADDRESS, r1
        li      r1, DISK_VIRTIO
        jmp     dp.found
dp.ide:
        in      r0, PORT_IDE_SECTORS
        cmpi    r0, NO_DEVICE
        beq     dp.none
        li      r1, DISK_IDE
dp.found:
        li      r2, disk_kind
        st      [r2], r1
        ret
dp.none:
        li      r0, 0
        ret

disk_io:
        push    r8
        IRQ_SAVE                        ; the device's registers and ring are one shared resource
        li      r8, disk_kind
        ld      r8, [r8]
        cmpi    r8, DISK_VIRTIO
        bne     dio.ide
        call    virtio_io
        jmp     dio.out
dio.ide:
        call    ide_io
dio.out:
        IRQ_RESTORE
        pop     r8
        ret

; ide_io: one request per sector, every word through the data port.
ide_io:
        cmpi    r4, 0
        beq     ide.ok
        out     PORT_IDE_SECTOR, r2
        li      r5, 1
        out     PORT_IDE_COUNT, r5
        cmpi    r1, DISK_READ
        bne     ide.write
        li      r5, IDE_CMD_READ
        out     PORT_IDE_COMMAND, r5
        in      r5, PORT_IDE_STATUS     ; the data is ready; reading acknowledges the interrupt
        andi    r6, r5, IDE_ST_ERROR
        cmpi    r6, 0
        bne     ide.fail
        addi    r6, r3, SECTOR_SIZE
ide.rloop:
        in      r5, PORT_IDE_DATA
        st      [r3], r5
        addi    r3, r3, 4
        cmp     r3, r6
        bne     ide.rloop
        jmp     ide.next
ide.write:
        li      r5, IDE_CMD_WRITE
        out     PORT_IDE_COMMAND, r5
        in      r5, PORT_IDE_STATUS     ; it wants the data
        andi    r6, r5, IDE_ST_DATA_REQUEST
        cmpi    r6, 0
        beq     ide.fail
        addi    r6, r3, SECTOR_SIZE
ide.wloop:
        ld      r5, [r3]
        out     PORT_IDE_DATA, r5
        addi    r3, r3, 4
        cmp     r3, r6
        bne     ide.wloop
        in      r5, PORT_IDE_STATUS     ; written; reading acknowledges the interrupt
        andi    r6, r5, IDE_ST_ERROR
        cmpi    r6, 0
        bne     ide.fail
ide.next:
        addi    r2, r2, 1
        addi    r4, r4, -1
        jmp     ide_io
ide.ok:
        li      r0, 0
        ret
ide.fail:
        li      r0, -1
        ret

; virtio_io: request i of the batch is descriptors 3i (header), 3i + 1
; (the sector) and 3i + 2 (its status word).
virtio_io:
        li      r5, 0                   ; i
vio.fill:
        cmp     r5, r4
        beq     vio.publish
        muli    r6, r5, 48              ; the request's three descriptors
        addi    r6, r6, vq_ring
        shli    r7, r5, 3               ; its header { type, sector }
        addi    r7, r7, vq_headers
        st      [r7], r1
        add     r0, r2, r5
        st      [r7 + 4], r0
        st      [r6], r7
        li      r0, 8
        st      [r6 + 4], r0
        li      r0, VQ_NEXT
        st      [r6 + 8], r0
        muli    r0, r5, 3
        addi    r0, r0, 1
        st      [r6 + 12], r0
        shli    r0, r5, 9               ; the sector's place in the buffer
        add     r0, r0, r3
        st      [r6 + 16], r0
        li      r0, SECTOR_SIZE
        st      [r6 + 20], r0
        li      r0, VQ_NEXT | VQ_DEVICE_WRITES
        cmpi    r1, DISK_READ
        beq     vio.flags
        li      r0, VQ_NEXT
vio.flags:
        st      [r6 + 24], r0
        muli    r0, r5, 3
        addi    r0, r0, 2
        st      [r6 + 28], r0
        shli    r0, r5, 2               ; its status word, set to "not done"
        addi    r0, r0, vq_status
        li      r7, -1
        st      [r0], r7
        st      [r6 + 32], r0
        li      r0, 4
        st      [r6 + 36], r0
        li      r0, VQ_DEVICE_WRITES
        st      [r6 + 40], r0
        li      r0, 0
        st      [r6 + 44], r0
        li      r0, vq_avail_index      ; the available entry (index + i) mod size names descriptor 3i
        ld      r0, [r0]
        add     r0, r0, r5
        andi    r0, r0, VQ_SIZE - 1
        shli    r0, r0, 2
        addi    r0, r0, vq_ring + VQ_AVAIL + 8
        muli    r7, r5, 3
        st      [r0], r7
        addi    r5, r5, 1
        jmp     vio.fill
vio.publish:
        li      r6, vq_avail_index      ; the whole batch becomes visible at once
        ld      r0, [r6]
        add     r0, r0, r4
        st      [r6], r0
        li      r6, vq_ring + VQ_AVAIL + 4
        st      [r6], r0
        li      r6, vq_ring + VQ_USED   ; a busy device sees them without a kick
        ld      r6, [r6]
        andi    r6, r6, VQ_NO_NOTIFY
        cmpi    r6, 0
        bne     vio.wait
        out     PORT_VIRTIO_NOTIFY, r0
vio.wait:
        in      r6, PORT_VIRTIO_INTERRUPT_STATUS
        andi    r7, r6, VIRTIO_INT_BROKEN
        cmpi    r7, 0
        bne     vio.fail
        andi    r7, r6, VIRTIO_INT_USED
        cmpi    r7, 0
        beq     vio.wait
        out     PORT_VIRTIO_INTERRUPT_ACK, r6
        li      r6, vq_ring + VQ_USED + 4
        ld      r6, [r6]
        cmp     r6, r0
        bne     vio.fail                ; not every request came back
        li      r5, 0
vio.check:
        cmp     r5, r4
        beq     vio.ok
        shli    r6, r5, 2
        addi    r6, r6, vq_status
        ld      r6, [r6]
        cmpi    r6, 0
        bne     vio.fail
        addi    r5, r5, 1
        jmp     vio.check
vio.ok:
        li      r0, 0
        ret
vio.fail:
        li      r0, -1
        ret

disk_kind:
        .word   DISK_NONE
vq_avail_index:
        .word   0                       ; the driver's own copy of the available index
vq_headers:
        .space  8 * DISK_MAX_BATCH
vq_status:
        .space  4 * DISK_MAX_BATCH
        .align  16
vq_ring:
        .space  VQ_BYTES
