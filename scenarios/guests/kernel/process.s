; Processes: creating one from a program image, ending one, and finding one
; by its pid. The process table is an array of NPROC PCBs (layout in
; kernel/defs.inc); a slot is free when its state is STATE_FREE.
;
; Namespaces, as Linux's pid namespaces: every process belongs to one, 0 (the
; host's) or a container's, and has two pids. The host pid (P_PID) counts up
; across all processes and is what the kernel itself goes by: parents,
; waits, its own messages. The namespace pid (P_NSPID) is what the process
; and its relatives see: getpid, spawn and wait use it, and the first
; process of a container is its pid 1. In the host's namespace the two are
; the same, so a kernel without containers numbers exactly as before.

; create_process: r1 = program index (in the boot information), r2 = the
; argument it starts with, r3 = host pid of the parent (0 for none), r4 = its
; namespace. Returns r0 = the new process's pid in that namespace, or -1 (no
; such program or namespace, no free slot, or no memory). The new process is
; put on the run queue; it starts at the program's entry with r1 = argument,
; r2 = program index, every other register 0, sp = USER_STACK_TOP,
; interrupts on.
create_process:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        push    r13
        mov     r8, r1
        mov     r9, r2
        mov     r10, r3
        mov     r13, r4
        cmpi    r13, NNS
        bgeu    cp.fail                 ; no such namespace
        mov     r1, r8
        call    program_entry
        cmpi    r0, 0
        beq     cp.fail                 ; no such program
        mov     r12, r0
        call    claim_slot
        cmpi    r0, 0
        beq     cp.fail                 ; the table is full
        mov     r11, r0
        ; its memory
        mov     r1, r12
        call    build_address_space
        cmpi    r0, 0
        beq     cp.release
        st      [r11 + P_PD], r0
        mov     r2, r1                  ; its frames, charged to its namespace
        mov     r1, r13
        call    cgroup_charge
        ld      r5, [r0 + USER_PDE * 4]
        andi    r5, r5, FRAME_MASK
        st      [r11 + P_PT], r5
        ; its registers
        mov     r1, r11
        mov     r2, r12
        mov     r3, r9
        mov     r4, r8
        call    reset_registers
        li      r5, ENTRY_NONE
        st      [r11 + P_ENTRY], r5
        st      [r11 + P_PARENT], r10
        st      [r11 + P_NS], r13
        li      r5, 0
        st      [r11 + P_CODE], r5
        st      [r11 + P_WAITPID], r5
        mov     r1, r11
        call    start_process
        jmp     cp.out
cp.release:
        li      r5, STATE_FREE
        st      [r11 + P_STATE], r5
cp.fail:
        li      r0, -1
cp.out:
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; program_entry: r1 = a program index; r0 = its entry in the boot
; information, or 0 if there is no such program. Changes r4, r5.
program_entry:
        li      r4, bootinfo
        ld      r4, [r4]
        ld      r5, [r4 + BI_PROGRAM_COUNT]
        li      r0, 0
        cmp     r1, r5
        bgeu    pe.out                  ; unsigned: a negative index fails too
        muli    r0, r1, BIP_SIZEOF
        add     r0, r0, r4
        addi    r0, r0, BI_PROGRAMS
pe.out:
        ret

; reset_registers: r1 = a PCB, r2 = a program's entry in the boot
; information, r3 = the argument, r4 = the program index. The registers a
; program starts with: r1 = argument, r2 = program index, every other
; register 0, sp = USER_STACK_TOP, pc = its entry, ring 3 with interrupts
; on; and the program its demand faults fill from. Changes r5..r7.
reset_registers:
        li      r5, 0
        li      r6, P_R0
rr.zero:
        add     r7, r1, r6
        st      [r7], r5
        addi    r6, r6, 4
        cmpi    r6, P_R14 + 4
        bne     rr.zero
        st      [r1 + P_R1], r3
        st      [r1 + P_R2], r4
        li      r5, USER_STACK_TOP
        st      [r1 + P_SP], r5
        ld      r5, [r2 + BIP_ENTRY]
        st      [r1 + P_PC], r5
        li      r5, USER_FLAGS
        st      [r1 + P_FLAGS], r5
        st      [r1 + P_PROG], r2
        ret

; claim_slot: r0 = a free PCB, now STATE_NEW (its address space is being
; built), or 0 if the table is full. Changes r5.
claim_slot:
        IRQ_SAVE
        li      r0, proc_table
cs.slot:
        ld      r5, [r0 + P_STATE]
        cmpi    r5, STATE_FREE
        beq     cs.claim
        addi    r0, r0, PCB_SIZE
        li      r5, proc_table_end
        cmp     r0, r5
        bltu    cs.slot
        li      r0, 0
        jmp     cs.out
cs.claim:
        li      r5, STATE_NEW
        st      [r0 + P_STATE], r5
cs.out:
        IRQ_RESTORE
        ret

; start_process: r1 = a PCB claimed and filled in (registers, address
; space, parent, namespace). Gives it its pids, counts it, and puts it on
; the run queue. r0 = its pid in its namespace.
start_process:
        push    r11
        mov     r11, r1
        IRQ_SAVE
        li      r5, next_pid
        ld      r6, [r5]
        st      [r11 + P_PID], r6
        st      [r11 + P_NSPID], r6     ; the host's namespace sees host pids
        addi    r6, r6, 1
        st      [r5], r6
        ld      r7, [r11 + P_NS]
        cmpi    r7, 0
        beq     stp.counted
        shli    r5, r7, 2               ; a container counts its own, from 1
        addi    r5, r5, ns_last_pid
        ld      r6, [r5]
        addi    r6, r6, 1
        st      [r5], r6
        st      [r11 + P_NSPID], r6
stp.counted:
        li      r5, procs_started
        ld      r6, [r5]
        addi    r6, r6, 1
        st      [r5], r6
        li      r5, live_count
        ld      r6, [r5]
        addi    r6, r6, 1
        st      [r5], r6
        li      r5, STATE_READY
        st      [r11 + P_STATE], r5
        mov     r1, r11
        call    enqueue
        IRQ_RESTORE
        ld      r0, [r11 + P_NSPID]
        pop     r11
        ret

; end_process: the current process ends with exit code r1 (exit, or killed
; for a fault). Its memory goes back at once. If its parent is waiting for
; it, the parent gets the code and is woken; if the parent may still wait,
; it stays a zombie holding the code; with no parent it simply vanishes.
; Afterwards there is no current process.
end_process:
        push    r8
        push    r9
        push    r10
        li      r8, current
        ld      r8, [r8]
        mov     r9, r1
        ; Unmap its pages while its tables are still the ones in use, as
        ; Linux's exit does, then leave the dying address space before
        ; freeing the tables: the kernel is mapped the same in kernel_pd,
        ; so nothing else changes.
        ld      r1, [r8 + P_PT]
        call    release_user_pages
        mov     r10, r0                 ; frames given back so far
        li      r5, loaded_pd
        ld      r6, [r5]
        ld      r7, [r8 + P_PD]
        cmp     r6, r7
        bne     ep.free
        li      r6, kernel_pd
        st      [r5], r6
        ori     r6, r6, 1
        SET_PTB r6
ep.free:
        ld      r1, [r8 + P_PD]
        call    free_page_tables
        add     r0, r0, r10
        li      r2, 0                   ; its namespace gets the frames back
        sub     r2, r2, r0
        ld      r1, [r8 + P_NS]
        call    cgroup_charge
        st      [r8 + P_CODE], r9
        IRQ_SAVE
        ; Its children lose their parent: the living will vanish when they
        ; end, the zombies can go now, since nobody can wait for them.
        li      r10, proc_table
        ld      r7, [r8 + P_PID]
ep.child:
        ld      r5, [r10 + P_STATE]
        cmpi    r5, STATE_FREE
        beq     ep.next_child
        ld      r6, [r10 + P_PARENT]
        cmp     r6, r7
        bne     ep.next_child
        li      r6, 0
        st      [r10 + P_PARENT], r6
        cmpi    r5, STATE_ZOMBIE
        bne     ep.next_child
        li      r6, STATE_FREE
        st      [r10 + P_STATE], r6
ep.next_child:
        addi    r10, r10, PCB_SIZE
        li      r5, proc_table_end
        cmp     r10, r5
        bltu    ep.child
        ; and its parent learns about it
        ld      r1, [r8 + P_PARENT]
        cmpi    r1, 0
        beq     ep.vanish
        call    find_process
        cmpi    r0, 0
        beq     ep.vanish
        mov     r10, r0
        ld      r5, [r10 + P_STATE]
        cmpi    r5, STATE_BLOCKED
        bne     ep.zombie
        ld      r5, [r10 + P_WAITPID]
        ld      r6, [r8 + P_PID]
        cmp     r5, r6
        bne     ep.zombie
        st      [r10 + P_R0], r9        ; wait() returns the code in r0
        li      r5, STATE_READY
        st      [r10 + P_STATE], r5
        mov     r1, r10
        call    enqueue
ep.vanish:
        li      r5, STATE_FREE
        st      [r8 + P_STATE], r5
        jmp     ep.gone
ep.zombie:
        li      r5, STATE_ZOMBIE
        st      [r8 + P_STATE], r5
ep.gone:
        li      r5, live_count
        ld      r6, [r5]
        addi    r6, r6, -1
        st      [r5], r6
        li      r5, current
        li      r6, 0
        st      [r5], r6
        IRQ_RESTORE
        pop     r10
        pop     r9
        pop     r8
        ret

; find_process: r1 = host pid; r0 = its PCB (any state but free), or 0.
find_process:
        li      r0, proc_table
fp.slot:
        ld      r5, [r0 + P_STATE]
        cmpi    r5, STATE_FREE
        beq     fp.next
        ld      r5, [r0 + P_PID]
        cmp     r5, r1
        beq     fp.found
fp.next:
        addi    r0, r0, PCB_SIZE
        li      r5, proc_table_end
        cmp     r0, r5
        bltu    fp.slot
        li      r0, 0
fp.found:
        ret

; find_child: r1 = a pid in the caller's namespace, r2 = the caller's host
; pid; r0 = the PCB of that child of the caller (any state but free), or 0.
; A child is always in its parent's namespace, so the pair names it.
find_child:
        li      r0, proc_table
fc.slot:
        ld      r5, [r0 + P_STATE]
        cmpi    r5, STATE_FREE
        beq     fc.next
        ld      r5, [r0 + P_PARENT]
        cmp     r5, r2
        bne     fc.next
        ld      r5, [r0 + P_NSPID]
        cmp     r5, r1
        beq     fc.found
fc.next:
        addi    r0, r0, PCB_SIZE
        li      r5, proc_table_end
        cmp     r0, r5
        bltu    fc.slot
        li      r0, 0
fc.found:
        ret

next_pid:
        .word   1                       ; the next host pid
ns_last_pid:
        .space  NNS * 4                 ; per namespace, the last pid it gave (the host's entry is unused)
procs_started:
        .word   0                       ; every process ever created
live_count:
        .word   0                       ; processes not yet ended (zombies are ended)
