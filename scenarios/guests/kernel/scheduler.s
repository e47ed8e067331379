; Scheduling: a first-in first-out run queue of ready processes, round robin
; with one timer tick as the time slice, and the single way back to ring 3.
;
; The kernel is not preemptive: a timer tick that arrives while it runs
; only sets need_resched, and the switch happens on the way out to ring 3.
; So the kernel keeps no per-process kernel stack; a process's whole state
; between two visits to the kernel is its saved registers in its PCB.

; enqueue: r1 = PCB, appended to the run queue.
; The queue is the one structure an interrupt handler would touch (a device
; interrupt waking a process), so every change to it is a critical section
; with interrupts off, restored afterwards to whatever they were.
enqueue:
        IRQ_SAVE
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

; dequeue: r0 = the PCB at the head of the run queue, taken off, or 0.
dequeue:
        IRQ_SAVE
        li      r5, run_head
        ld      r0, [r5]
        cmpi    r0, 0
        beq     deq.out
        ld      r6, [r0 + P_NEXT]
        st      [r5], r6
        cmpi    r6, 0
        bne     deq.out
        li      r7, run_tail            ; took the last one
        st      [r7], r6
deq.out:
        IRQ_RESTORE
        ret

; schedule: puts the current process (if it can still run) at the back of
; the queue and makes the head current, switching to its address space.
; Idles while nobody is ready; when no process is left at all, shuts down.
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
        call    dequeue
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
