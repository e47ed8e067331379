; Trap handling: every fault, interrupt and system call comes in here.
;
; On entry the CPU has switched to ring 0 and (coming from ring 3) to the
; kernel stack, turned interrupts off, and pushed a frame:
;       [sp] = pc to resume at, [sp + 4] = FLAGS with the old ring in bits
;       12..13, [sp + 8] = the old sp.
; Coming from ring 3, the handler saves all the process's registers into its
; PCB and empties the kernel stack; from then on the kernel may use every
; register, and it leaves through return_to_user, which may resume a
; different process. A trap from the kernel itself (only the timer may do
; that) is handled on the spot and returns to where it struck.

; Each vector's entry point records which vector it is and joins the common
; path. r14 is the one register it must borrow to say so; it is pushed first.
        .macro  TRAP_STUB vector
        push    r14
        li      r14, \vector
        jmp     trap_entry
        .endm

trap_divide:            TRAP_STUB VEC_DIVIDE
trap_breakpoint:        TRAP_STUB VEC_BREAKPOINT
trap_invalid_opcode:    TRAP_STUB VEC_INVALID_OPCODE
trap_general_protection: TRAP_STUB VEC_GENERAL_PROTECTION
trap_page_fault:        TRAP_STUB VEC_PAGE_FAULT
trap_alignment:         TRAP_STUB VEC_ALIGNMENT
trap_bus_error:         TRAP_STUB VEC_BUS_ERROR
trap_syscall:           TRAP_STUB VEC_SYSCALL
trap_timer:             TRAP_STUB VEC_TIMER

trap_entry:
        push    r13
        ; [sp] = r13, [sp + 4] = r14, [sp + 8] = pc, [sp + 12] = FLAGS, [sp + 16] = sp
        ld      r13, [sp + 12]
        shri    r13, r13, SAVED_RING_SHIFT
        andi    r13, r13, 3
        cmpi    r13, 3
        bne     trap_from_kernel        ; not from ring 3: from the kernel itself
        ; From a process: save its registers where the scheduler keeps them.
        li      r13, current
        ld      r13, [r13]
        st      [r13 + P_R0], r0
        st      [r13 + P_R1], r1
        st      [r13 + P_R2], r2
        st      [r13 + P_R3], r3
        st      [r13 + P_R4], r4
        st      [r13 + P_R5], r5
        st      [r13 + P_R6], r6
        st      [r13 + P_R7], r7
        st      [r13 + P_R8], r8
        st      [r13 + P_R9], r9
        st      [r13 + P_R10], r10
        st      [r13 + P_R11], r11
        st      [r13 + P_R12], r12
        ld      r0, [sp]
        st      [r13 + P_R13], r0
        ld      r0, [sp + 4]
        st      [r13 + P_R14], r0
        ld      r0, [sp + 8]
        st      [r13 + P_PC], r0
        ld      r0, [sp + 12]
        st      [r13 + P_FLAGS], r0
        ld      r0, [sp + 16]
        st      [r13 + P_SP], r0
        st      [r13 + P_ENTRY], r14
        li      sp, kernel_stack_top    ; the frame is in the PCB now: start afresh
        cmpi    r14, VEC_SYSCALL
        beq     do_syscall
        cmpi    r14, VEC_TIMER
        beq     do_timer
        cmpi    r14, VEC_PAGE_FAULT
        beq     do_page_fault           ; perhaps one to serve (kernel/paging.s)
        jmp     user_fault

; A timer tick that interrupted a process: it has had its time slice, and
; its container pays for it in pass (kernel/scheduler.s). r13 = its PCB.
do_timer:
        li      r5, ticks
        ld      r6, [r5]
        addi    r6, r6, 1
        st      [r5], r6
        ld      r5, [r13 + P_NS]
        shli    r5, r5, 2
        ld      r6, [r5 + ns_pass]
        ld      r7, [r5 + ns_stride]
        add     r6, r6, r7
        st      [r5 + ns_pass], r6
        li      r5, need_resched
        li      r6, 1
        st      [r5], r6
        jmp     return_to_user

; A trap that struck the kernel itself. The timer can, wherever the kernel
; runs with interrupts on: in the idle loop, and in the system calls that
; turn them back on. (Natively it only ever happens in the idle loop, since
; virtual time does not move while the kernel runs.) Count the tick and go
; back to what was interrupted; the switch, if one is due, happens on the
; way out to ring 3. The interrupted code's registers are intact but r13
; and r14, restored here, and the condition flags, which the return
; instruction restores from the frame.
trap_from_kernel:
        cmpi    r14, VEC_TIMER
        bne     kernel_panic
        li      r13, ticks
        ld      r14, [r13]
        addi    r14, r14, 1
        st      [r13], r14
        li      r13, need_resched
        li      r14, 1
        st      [r13], r14
        pop     r13
        pop     r14
        RETURN_FROM_TRAP

; Anything else in the kernel is a kernel bug: say what and where, and stop.
;   kernel: panic: page fault at 0x00000ffc in the kernel (pc 0x000061a4)
kernel_panic:
        mov     r8, r14                 ; vector
        ld      r9, [sp + 8]            ; pc
        li      r1, msg_panic
        call    kput_str
        mov     r1, r8
        call    fault_name
        mov     r1, r0
        call    kput_str
        cmpi    r8, VEC_PAGE_FAULT
        bne     kp.where
        READ_FAULT
        mov     r10, r0
        li      r1, msg_at
        call    kput_str
        mov     r1, r10
        call    kput_hex
kp.where:
        li      r1, msg_in_kernel
        call    kput_str
        mov     r1, r9
        call    kput_hex
        li      r1, ')'
        call    kput_char
        call    kflush_line
        POWER_OFF

; A fault in a process that the kernel does not serve (a page fault it does,
; kernel/paging.s, never comes here): it is killed, the others go on. The kernel names it
; by its host pid, and a process in a container by its pid there as well:
;   kernel: pid 2 killed: page fault at 0x00000000 (pc 0x00400010)
;   kernel: pid 5 (pid 2 in container 1) killed: general protection fault (pc 0x00400430)
user_fault:
        li      r13, current
        ld      r13, [r13]
        mov     r8, r14                 ; vector
        cmpi    r8, VEC_PAGE_FAULT
        bne     uf.report
        READ_FAULT                      ; r0 = the address it touched, r1 = why
        mov     r9, r0
uf.report:
        li      r1, msg_pid
        call    kput_str
        ld      r1, [r13 + P_PID]
        call    kput_dec
        ld      r10, [r13 + P_NS]
        cmpi    r10, 0
        beq     uf.killed
        li      r1, msg_open_pid
        call    kput_str
        ld      r1, [r13 + P_NSPID]
        call    kput_dec
        li      r1, msg_in_container
        call    kput_str
        mov     r1, r10
        call    kput_dec
        li      r1, ')'
        call    kput_char
uf.killed:
        li      r1, msg_killed
        call    kput_str
        mov     r1, r8
        call    fault_name
        mov     r1, r0
        call    kput_str
        cmpi    r8, VEC_PAGE_FAULT
        bne     uf.pc
        li      r1, msg_at
        call    kput_str
        mov     r1, r9
        call    kput_hex
uf.pc:
        li      r1, msg_pc
        call    kput_str
        ld      r1, [r13 + P_PC]
        call    kput_hex
        li      r1, ')'
        call    kput_char
        call    kflush_line
        addi    r1, r8, KILLED_BASE     ; its exit code, for a parent that waits
        call    end_process
        jmp     return_to_user

; fault_name: r1 = vector; r0 = its name as a string.
fault_name:
        li      r0, msg_unknown_trap
        cmpi    r1, VEC_BUS_ERROR + 1   ; the named ones are 0..6
        bgeu    fn.out
        shli    r0, r1, 2
        ld      r0, [r0 + fault_names]
fn.out:
        ret

fault_names:
        .word   name_divide, name_breakpoint, name_invalid_opcode, name_general_protection
        .word   name_page_fault, name_alignment, name_bus_error
name_divide:
        .asciz  "divide error"
name_breakpoint:
        .asciz  "breakpoint"
name_invalid_opcode:
        .asciz  "invalid opcode"
name_general_protection:
        .asciz  "general protection fault"
name_page_fault:
        .asciz  "page fault"
name_alignment:
        .asciz  "alignment fault"
name_bus_error:
        .asciz  "bus error"
msg_unknown_trap:
        .asciz  "unexpected trap"
msg_pid:
        .asciz  "kernel: pid "
msg_open_pid:
        .asciz  " (pid "
msg_in_container:
        .asciz  " in container "
msg_killed:
        .asciz  " killed: "
msg_at:
        .asciz  " at "
msg_pc:
        .asciz  " (pc "
msg_panic:
        .asciz  "kernel: panic: "
msg_in_kernel:
        .asciz  " in the kernel (pc "
        .align  4
