; Scheduling: a first-in first-out run queue of ready processes, shared
; among containers in proportion to their CPU weights, with one timer tick
; as the time slice, and the single way back to ring 3.
;
; The kernel is not preemptive: a timer tick that arrives while it runs
; only sets need_resched, and the switch happens on the way out to ring 3.
; So the kernel keeps no per-process kernel stack; a process's whole state
; between two visits to the kernel is its saved registers in its PCB.
;
; CPU weights (cgroup v2's cpu.weight) by stride scheduling. Each namespace
; (container) has a *pass*; every timer tick that interrupts a process adds
; STRIDE / weight to the pass of its container (do_timer), and the next
; process to run is the first one in queue order whose container has the
; smallest pass. A container of weight 300 gains a third as much pass per
; tick as one of weight 100, so it is picked three times as often while
; both are busy. Within a container, and whenever every process is in one
; container (natively: all in the host's), the pick is the head of the
; queue: plain round robin. A container that had nothing to run must not
; come back with a low pass and hoard the CPU, so a process joining the
; queue lifts its container's pass to pass_floor, the pass of the last pick
; (the smallest of the ready containers then). A process that yields has
; not used its tick and pays nothing for it, so its container may still
; have the smallest pass; the next pick passes it over once (yielded), so
; that yield lets the others run, as it does in a round robin.

; enqueue: r1 = PCB, appended to the run queue, its container's pass lifted
; to the floor.
; The queue is the one structure an interrupt handler would touch (a device
; interrupt waking a process), so every change to it is a critical section
; with interrupts off, restored afterwards to whatever they were.
enqueue:
        IRQ_SAVE
        ld      r5, [r1 + P_NS]
        shli    r5, r5, 2
        ld      r6, [r5 + ns_pass]
        li      r7, pass_floor
        ld      r7, [r7]
        cmp     r6, r7
        bgeu    enq.link
        st      [r5 + ns_pass], r7      ; it was behind: it starts level with the others
enq.link:
        li      r5, 0
        st      [r1 + P_NEXT], r5
        li      r5, run_tail
        ld      r6, [r5]
        cmpi    r6, 0
        bne     enq.after
        li      r7, run_head            ; empty queue: it is also the head
        st      [r7], r1
        jmp     enq.tail
enq.after:
        st      [r6 + P_NEXT], r1
enq.tail:
        st      [r5], r1
        IRQ_RESTORE
        ret

; pick_next: r0 = the process to run next, taken off the run queue, or 0
; if the queue is empty: the first in queue order whose container has the
; smallest pass, passing over a process that has just yielded if anyone
; else is ready. Its container's pass becomes the floor.
pick_next:
        IRQ_SAVE
        li      r7, yielded
        ld      r5, [r7]                ; passed over, unless nobody else is ready
        li      r6, 0
        st      [r7], r6
pn.scan:
        li      r0, 0                   ; the best so far
        li      r1, 0                   ; the one before it in the queue (0: it is the head)
        li      r2, 0                   ; its container's pass
        li      r3, 0                   ; the one before the one looked at
        li      r4, run_head
        ld      r4, [r4]
pn.look:
        cmpi    r4, 0
        beq     pn.take
        cmp     r4, r5
        beq     pn.next                 ; it yielded
        ld      r6, [r4 + P_NS]
        shli    r6, r6, 2
        ld      r6, [r6 + ns_pass]
        cmpi    r0, 0
        beq     pn.best                 ; the first one
        cmp     r6, r2
        bgeu    pn.next                 ; not smaller: the earlier one keeps it (queue order)
pn.best:
        mov     r0, r4
        mov     r1, r3
        mov     r2, r6
pn.next:
        mov     r3, r4
        ld      r4, [r4 + P_NEXT]
        jmp     pn.look
pn.take:
        cmpi    r0, 0
        bne     pn.unlink
        cmpi    r5, 0
        beq     pn.out                  ; the queue is empty
        li      r5, 0                   ; only the one that yielded is ready: it runs after all
        jmp     pn.scan
pn.unlink:
        ld      r6, [r0 + P_NEXT]
        cmpi    r1, 0
        bne     pn.inner
        li      r7, run_head
        st      [r7], r6
        jmp     pn.last
pn.inner:
        st      [r1 + P_NEXT], r6
pn.last:
        cmpi    r6, 0
        bne     pn.floor
        li      r7, run_tail            ; it was the tail: the one before it is now
        st      [r7], r1
pn.floor:
        li      r7, pass_floor
        st      [r7], r2
        li      r7, PASS_RENORM
        cmp     r2, r7
        bltu    pn.out
        call    renormalize_passes
pn.out:
        IRQ_RESTORE
        ret

; renormalize_passes: passes only grow, so before they could wrap around,
; move them all down by PASS_RENORM (every ready container's is at least
; the floor, which has reached it; an idle container's may stop at 0, which
; the floor lifts anyway when it runs again). Keeps r0.
renormalize_passes:
        li      r7, PASS_RENORM
        li      r5, pass_floor
        ld      r6, [r5]
        sub     r6, r6, r7
        st      [r5], r6
        li      r5, 0
rp.loop:
        ld      r6, [r5 + ns_pass]
        cmp     r6, r7
        bgeu    rp.down
        li      r6, 0
        jmp     rp.store
rp.down:
        sub     r6, r6, r7
rp.store:
        st      [r5 + ns_pass], r6
        addi    r5, r5, 4
        cmpi    r5, NNS * 4
        bne     rp.loop
        ret

; schedule: puts the current process (if it can still run) at the back of
; the queue and makes the next one (pick_next) current, switching to its
; address space, and telling the platform when it crosses into another
; container. Idles while nobody is ready; when no process is left at all,
; shuts down.
schedule:
        li      r5, need_resched
        li      r6, 0
        st      [r5], r6
        li      r5, current
        ld      r1, [r5]
        cmpi    r1, 0
        beq     sch.pick                ; it blocked or ended: not queued again
        li      r6, STATE_READY
        st      [r1 + P_STATE], r6
        li      r6, 0
        st      [r5], r6
        call    enqueue
sch.pick:
        call    pick_next
        cmpi    r0, 0
        bne     sch.found
        li      r5, live_count
        ld      r5, [r5]
        cmpi    r5, 0
        beq     shutdown
        ; Everyone alive is blocked: idle until an interrupt, then look again.
        ; With this kernel's system calls it cannot happen (a process waits
        ; only for its own child, and the last child in a chain of waits is
        ; never waiting itself), but a kernel with sleep or blocking I/O
        ; idles here whenever there is nothing to do, so the loop is kept.
        WAIT_FOR_INTERRUPT
        IRQ_OFF
        jmp     sch.pick
sch.found:
        li      r5, current
        st      [r5], r0
        li      r6, STATE_RUNNING
        st      [r0 + P_STATE], r6
        ; A switch between containers is a cgroup switch for the host
        ; platform: say so, but only when the container changes (never,
        ; without containers).
        ld      r6, [r0 + P_NS]
        li      r5, last_container
        ld      r7, [r5]
        cmp     r6, r7
        beq     sch.space
        st      [r5], r6
        SET_CONTAINER r6
sch.space:
        ld      r6, [r0 + P_PD]
        li      r5, loaded_pd
        ld      r7, [r5]
        cmp     r6, r7
        beq     sch.same                ; same address space: keep the TLB
        st      [r5], r6
        ori     r6, r6, 1               ; bit 0: paging on
        SET_PTB r6
sch.same:
        ret

; return_to_user: the one exit from the kernel to ring 3 (jumped to, with
; interrupts off, from boot and at the end of every trap). Schedules first
; if the current process cannot go on or its time slice is over, then loads
; the current process's registers and returns into it.
return_to_user:
        li      r1, current
        ld      r1, [r1]
        cmpi    r1, 0
        beq     rtu.schedule
        li      r2, need_resched
        ld      r2, [r2]
        cmpi    r2, 0
        beq     rtu.resume
rtu.schedule:
        call    schedule
rtu.resume:
        li      r14, current
        ld      r14, [r14]
        ; the frame the return instruction pops: pc, FLAGS (ring 3), sp
        li      sp, kernel_stack_top - 12
        ld      r0, [r14 + P_PC]
        st      [sp], r0
        ld      r0, [r14 + P_FLAGS]
        st      [sp + 4], r0
        ld      r0, [r14 + P_SP]
        st      [sp + 8], r0
        ; Came in by syscall? Then leave by the syscall return. The compare
        ; is made now and used after the loads below: loads do not change
        ; the condition flags.
        ld      r0, [r14 + P_ENTRY]
        cmpi    r0, VEC_SYSCALL
        ld      r0, [r14 + P_R0]
        ld      r1, [r14 + P_R1]
        ld      r2, [r14 + P_R2]
        ld      r3, [r14 + P_R3]
        ld      r4, [r14 + P_R4]
        ld      r5, [r14 + P_R5]
        ld      r6, [r14 + P_R6]
        ld      r7, [r14 + P_R7]
        ld      r8, [r14 + P_R8]
        ld      r9, [r14 + P_R9]
        ld      r10, [r14 + P_R10]
        ld      r11, [r14 + P_R11]
        ld      r12, [r14 + P_R12]
        ld      r13, [r14 + P_R13]
        ld      r14, [r14 + P_R14]      ; the base register last
        beq     rtu.sysret
        RETURN_FROM_TRAP
rtu.sysret:
        RETURN_FROM_SYSCALL

; shutdown: every process has exited. Report and power off.
shutdown:
        ; what is left is the host's own work
        li      r5, last_container
        ld      r6, [r5]
        cmpi    r6, 0
        beq     sd.report
        li      r6, 0
        st      [r5], r6
        SET_CONTAINER r6
sd.report:
        ; "kernel: all 3 processes exited after 812 timer ticks"
        li      r2, procs_started
        ld      r2, [r2]
        li      r1, msg_all
        cmpi    r2, 1
        bne     sd.count
        li      r1, msg_one             ; "kernel: 1 process exited ..."
sd.count:
        call    kput_str
        mov     r1, r2
        call    kput_dec
        li      r1, msg_processes
        cmpi    r2, 1
        bne     sd.noun
        li      r1, msg_process
sd.noun:
        call    kput_str
        li      r2, ticks
        ld      r2, [r2]
        mov     r1, r2
        call    kput_dec
        li      r1, msg_ticks
        cmpi    r2, 1
        bne     sd.ticks
        li      r1, msg_tick
sd.ticks:
        call    kput_str
        call    kflush_line
        call    report_page_faults
        ; every frame a process had should be back on the free stack
        li      r1, free_at_boot
        ld      r1, [r1]
        li      r2, free_count
        ld      r2, [r2]
        cmp     r1, r2
        beq     sd.off
        sub     r2, r1, r2              ; how many are missing
        li      r1, msg_leak
        call    kput_str
        mov     r1, r2
        call    kput_dec
        li      r1, msg_leak_end
        call    kput_str
        call    kflush_line
sd.off:
        POWER_OFF

current:
        .word   0                       ; PCB of the running process, 0 while there is none
need_resched:
        .word   0                       ; set by the timer and yield: switch on the way out
run_head:
        .word   0
run_tail:
        .word   0
loaded_pd:
        .word   0                       ; page directory in the page-table base register
ticks:
        .word   0                       ; timer interrupts so far
last_container:
        .word   0                       ; the container last written to PORT_CONTAINER (0: the host's)
pass_floor:
        .word   0                       ; the pass of the last pick
yielded:
        .word   0                       ; PCB of a process that yielded: the next pick passes it over
ns_pass:
        .space  NNS * 4                 ; per namespace (container): its pass
ns_stride:
        .space  NNS * 4                 ; per namespace: STRIDE / its weight (set at boot)

msg_all:
        .asciz  "kernel: all "
msg_one:
        .asciz  "kernel: "
msg_processes:
        .asciz  " processes exited after "
msg_process:
        .asciz  " process exited after "
msg_ticks:
        .asciz  " timer ticks"
msg_tick:
        .asciz  " timer tick"
msg_leak:
        .asciz  "kernel: warning: "
msg_leak_end:
        .asciz  " page frames were not given back"
        .align  4
