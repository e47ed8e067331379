; Helper routines behind the bulkier macros of kernel/arch.inc, one version
; per build. Each takes its arguments on the stack (pushed by the macro) and
; keeps every register except r0 where r0 is its result.

        .if PARAVIRT == 0
; =========================== native versions ==============================

; arch_console_write: [sp + 12] = buffer (virtual), [sp + 8] = length,
; [sp + 4] = console stream. One `out` per byte: on real hardware (and under
; trap-and-emulate or hardware assistance) each of these is a separate device
; access. The console stays on the stream last selected, so the stream port
; is written only when the stream changes: a run of writes from one
; container costs one selection, and a kernel without containers (always
; stream 0, the console's own start) never touches that port.
arch_console_write:
        push    r1
        push    r2
        push    r3
        ld      r3, [sp + 16]           ; stream
        li      r1, console_stream
        ld      r2, [r1]
        cmp     r3, r2
        beq     acw.bytes
        st      [r1], r3
        out     PORT_CONSOLE_STREAM, r3
acw.bytes:
        ld      r1, [sp + 24]           ; buffer
        ld      r2, [sp + 20]           ; length
        add     r2, r1, r2              ; end of the buffer
acw.loop:
        cmp     r1, r2
        bgeu    acw.done
        ldb     r3, [r1]
        out     PORT_CONSOLE, r3
        addi    r1, r1, 1
        jmp     acw.loop
acw.done:
        pop     r3
        pop     r2
        pop     r1
        ret

console_stream:
        .word   0                       ; the stream the console is on

; arch_block_read / arch_block_write: [sp + 8] = sector, [sp + 4] = physical
; buffer. The device copies the sector by DMA as soon as the command port is
; written; the status port then says whether it worked.
arch_block_read:
        push    r0
        li      r0, BLOCK_CMD_READ
        jmp     abd.go
arch_block_write:
        push    r0
        li      r0, BLOCK_CMD_WRITE
abd.go:
        ; [sp] = caller's r0 (dropped below), [sp + 4] = return, [sp + 8] = buffer, [sp + 12] = sector
        push    r1
        ld      r1, [sp + 16]
        out     PORT_BLOCK_SECTOR, r1
        ld      r1, [sp + 12]
        out     PORT_BLOCK_ADDRESS, r1
        out     PORT_BLOCK_COMMAND, r0
        in      r0, PORT_BLOCK_STATUS   ; 0 = done, 1 = bad sector or address
        pop     r1
        addi    sp, sp, 4               ; r0 is the result, not restored
        cmpi    r0, 0
        beq     abd.ok
        li      r0, -1
abd.ok:
        ret

        .else
; ========================= paravirtual versions ===========================

; arch_console_write: the whole buffer, and its stream, in one hypercall;
; the monitor reads the buffer through our page tables.
arch_console_write:
        push    r0
        push    r1
        push    r2
        push    r3
        ld      r1, [sp + 28]           ; buffer
        ld      r2, [sp + 24]           ; length
        ld      r3, [sp + 20]           ; stream
        hcall   HC_CONSOLE_WRITE
        pop     r3
        pop     r2
        pop     r1
        pop     r0
        ret

; arch_block_read / arch_block_write: one hypercall moves the sector.
arch_block_read:
        push    r0
        li      r0, BLOCK_CMD_READ
        jmp     abd.go
arch_block_write:
        push    r0
        li      r0, BLOCK_CMD_WRITE
abd.go:
        push    r1
        push    r2
        push    r3
        push    r4
        ; [sp + 16] = caller's r0, [sp + 20] = return, [sp + 24] = buffer, [sp + 28] = sector
        mov     r1, r0                  ; 1 = read, 2 = write
        ld      r2, [sp + 28]
        ld      r3, [sp + 24]           ; guest-physical, as the DMA address would be
        li      r4, 1                   ; one sector
        hcall   HC_BLOCK_IO
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        addi    sp, sp, 4
        cmpi    r0, 0                   ; negative = the monitor refused
        bge     abd.ok
        li      r0, -1
        ret
abd.ok:
        li      r0, 0
        ret

; The page-table update queue: (PTE physical address, value) pairs waiting
; for the next PTE_COMMIT. A full queue is flushed early, so any number of
; PTE_WRITEs works; only the batching gets coarser.
        .equ    PTE_QUEUE_MAX, 64

; pv_pte_queue: [sp + 4] = PTE address, [sp + 8] = value.
pv_pte_queue:
        push    r1
        push    r2
        push    r3
        li      r1, pte_queue_count
        ld      r2, [r1]
        cmpi    r2, PTE_QUEUE_MAX
        blt     pq.room
        call    pv_pte_flush
        li      r2, 0
pq.room:
        shli    r3, r2, 3               ; 8 bytes per pair
        addi    r3, r3, pte_queue
        ld      r1, [sp + 16]
        st      [r3], r1                ; where
        ld      r1, [sp + 20]
        st      [r3 + 4], r1            ; what
        addi    r2, r2, 1
        li      r1, pte_queue_count
        st      [r1], r2
        pop     r3
        pop     r2
        pop     r1
        ret

; pv_pte_flush: one mmu_update hypercall for everything queued.
pv_pte_flush:
        push    r0
        push    r1
        push    r2
        li      r1, pte_queue_count
        ld      r2, [r1]
        cmpi    r2, 0
        beq     pf.done
        li      r0, 0
        st      [r1], r0
        li      r1, pte_queue           ; r1 = the pairs, r2 = how many
        hcall   HC_MMU_UPDATE
        cmpi    r0, 0
        blt     pf.refused
pf.done:
        pop     r2
        pop     r1
        pop     r0
        ret
pf.refused:
        ; The monitor checks every entry (a guest may only map its own
        ; memory). A refusal means a kernel bug: stop rather than run on
        ; with page tables that are not what the kernel believes.
        li      r1, msg_mmu_refused
        call    kput_str
        call    kflush_line
        POWER_OFF

pte_queue_count:
        .word   0
pte_queue:
        .space  PTE_QUEUE_MAX * 8
pv_trap_table:
        .word   0                       ; what SET_TRAP_TABLE registered

; pv_take_pending: virtual interrupts were just unmasked; if the monitor
; left a tick waiting meanwhile, ask it to deliver it now (Xen's
; force_evtchn_callback). Otherwise no hypercall at all.
pv_take_pending:
        push    r0
        push    r1
        li      r0, pv_shared_info
        ld      r1, [r0]                ; masked again already? then later
        cmpi    r1, 0
        bne     ptp.done
        ld      r1, [r0 + 4]
        cmpi    r1, 0
        beq     ptp.done
        hcall   HC_IRQ_ENABLE           ; delivers the waiting tick
ptp.done:
        pop     r1
        pop     r0
        ret

; pv_iret: [sp] = pc, [sp + 4] = FLAGS, [sp + 8] = sp, every register the
; interrupted code's (Xen's xen_iret). The frame's IF becomes the shared
; page's mask; the iret itself, from ring 1 to ring 1 or 3, needs no monitor.
pv_iret:
        push    r0
        push    r1
        li      r0, pv_shared_info
        ld      r1, [sp + 12]           ; the FLAGS to return with
        andi    r1, r1, FLAGS_IF
        cmpi    r1, 0
        beq     pi.masked
        li      r1, 0
        st      [r0], r1                ; unmasked
        ld      r1, [r0 + 4]
        cmpi    r1, 0
        bne     pi.pending
        pop     r1
        pop     r0
        iret
pi.masked:
        li      r1, 1
        st      [r0], r1
        pop     r1
        pop     r0
        iret
pi.pending:
        ; a tick waited while interrupts were off: the monitor returns for
        ; us and delivers it on the way
        pop     r1
        pop     r0
        hcall   HC_IRET

; The page shared with the monitor (ParavirtMonitor::kSharedInfoLabel):
; +0 the interrupt mask, written by the kernel (1 = off; the kernel boots
; with interrupts off); +4 1 while a tick waits, written by the monitor.
        .align  4
pv_shared_info:
        .word   1
        .word   0
msg_mmu_refused:
        .asciz  "kernel: panic: the monitor refused a page-table update"
        .align  4

        .endif
