; fork and exec, as Unix has them.
;
; fork copies the caller's address space without copying a byte of its
; memory: the child gets its own directory and user table whose entries map
; the parent's frames, and both sides' entries become read-only and
; PTE_COW. The first write on either side takes a page fault and gets its
; own copy (kernel/paging.s). exec throws the caller's address space away
; and gives it an empty one for another program, filled page by page as
; the program touches it. So a fork followed by exec, or by exit, copies
; almost nothing; what it costs is page-table writes, a TLB flush and page
; faults, which is what a monitor has to intercept.
;
; spawn (kernel/process.s) stays as it was: a fresh process with every
; page of its image copied in at once, before it runs.

; fork() -> the child's pid (in the caller's namespace) in the parent, 0 in
; the child, or -1 (no free slot, or no memory). The child is the caller's
; child, in its namespace, resuming where the caller does with the same
; registers but r0.
sys_fork:
        push    r8
        push    r9
        mov     r8, r4                  ; the parent
        call    claim_slot
        cmpi    r0, 0
        beq     fk.fail
        mov     r9, r0                  ; the child
        mov     r1, r8
        call    copy_address_space
        cmpi    r0, 0
        beq     fk.release
        st      [r9 + P_PD], r0
        st      [r9 + P_PT], r1
        ld      r1, [r8 + P_NS]         ; its directory and table, charged to the namespace
        li      r2, 2
        call    cgroup_charge
        ; the parent's registers, as saved on its way in, down to how it entered
        li      r6, P_R0
fk.copy:
        add     r7, r8, r6
        ld      r5, [r7]
        add     r7, r9, r6
        st      [r7], r5
        addi    r6, r6, 4
        cmpi    r6, P_ENTRY + 4
        bne     fk.copy
        li      r5, 0
        st      [r9 + P_R0], r5         ; fork returns 0 in the child
        st      [r9 + P_CODE], r5
        st      [r9 + P_WAITPID], r5
        ld      r5, [r8 + P_PID]
        st      [r9 + P_PARENT], r5
        ld      r5, [r8 + P_NS]         ; a child lives in its parent's namespace
        st      [r9 + P_NS], r5
        ld      r5, [r8 + P_PROG]
        st      [r9 + P_PROG], r5
        mov     r1, r9
        call    start_process           ; r0 = its pid, for the parent
        jmp     fk.out
fk.release:
        li      r5, STATE_FREE
        st      [r9 + P_STATE], r5
fk.fail:
        li      r0, -1
fk.out:
        pop     r9
        pop     r8
        ret

; copy_address_space: r1 = the PCB of the current process. r0 = a new page
; directory whose user table maps every page the process has, shared
; copy-on-write, and r1 = that table; r0 = 0 if memory ran out (nothing
; leaked). Every writable entry of the process becomes read-only + PTE_COW
; first; if any did, the process's TLB is emptied, since it may hold them
; writable.
copy_address_space:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        push    r13
        mov     r8, r1
        call    alloc_frame             ; the directory
        cmpi    r0, 0
        beq     cas.none
        mov     r11, r0
        call    alloc_frame             ; the user table
        cmpi    r0, 0
        beq     cas.no_table
        mov     r12, r0
        li      r4, kernel_pt + PTE_KERNEL
        PTE_WRITE r11, r4               ; entry 0: the kernel, as everywhere
        addi    r4, r11, USER_PDE * 4
        ori     r5, r12, PTE_USER
        PTE_WRITE r4, r5                ; entry 1: the child's own table
        ld      r9, [r8 + P_PT]         ; the parent's table
        li      r10, 0                  ; offset of the entry looked at
        li      r13, 0                  ; parent entries made read-only
cas.group:
        add     r4, r9, r10
        ANY_OF_EIGHT r5, r6, r4
        andi    r5, r5, PTE_P
        cmpi    r5, 0
        beq     cas.skip_group
        addi    r7, r10, 32             ; something here: entry by entry
cas.entry:
        add     r4, r9, r10
        ld      r3, [r4]
        andi    r6, r3, PTE_P
        cmpi    r6, 0
        beq     cas.next
        andi    r6, r3, PTE_W
        cmpi    r6, 0
        beq     cas.share               ; read-only already (shared before): as it is
        andi    r3, r3, ~PTE_W
        ori     r3, r3, PTE_COW
        PTE_WRITE r4, r3
        addi    r13, r13, 1
cas.share:
        andi    r1, r3, FRAME_MASK
        call    frame_share             ; one holder more
        add     r4, r12, r10
        PTE_WRITE r4, r3
cas.next:
        addi    r10, r10, 4
        cmp     r10, r7
        bne     cas.entry
        jmp     cas.more
cas.skip_group:
        addi    r10, r10, 32
cas.more:
        li      r5, PAGE_SIZE
        cmp     r10, r5
        bne     cas.group
        PTE_COMMIT
        cmpi    r13, 0
        beq     cas.done
        ; The parent's TLB may hold the pages it could write until now.
        ld      r6, [r8 + P_PD]
        ori     r6, r6, 1
        SET_PTB r6                      ; reloading the base empties the TLB
cas.done:
        mov     r0, r11
        mov     r1, r12
        jmp     cas.out
cas.no_table:
        mov     r1, r11
        call    free_frame
cas.none:
        li      r0, 0
cas.out:
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; exec(program index, argument) -> does not return, or -1 (no such program,
; it does not fit, or no memory; the caller goes on as it was). The caller
; keeps its pids, parent and namespace; its address space is replaced by an
; empty one for the program (demand_address_space), whose pages come on
; first touch, and it starts at the program's entry as a spawned process
; does (r1 = argument, r2 = program index).
sys_exec:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        mov     r8, r4                  ; the caller
        mov     r9, r1
        mov     r10, r2
        call    program_entry
        cmpi    r0, 0
        beq     ex.fail
        mov     r12, r0
        mov     r1, r12
        call    demand_address_space
        cmpi    r0, 0
        beq     ex.fail
        mov     r11, r0
        mov     r2, r1
        ld      r1, [r8 + P_NS]
        call    cgroup_charge
        ; into the new space, then the old one goes
        ld      r1, [r8 + P_PD]
        st      [r8 + P_PD], r11
        ld      r5, [r11 + USER_PDE * 4]
        andi    r5, r5, FRAME_MASK
        st      [r8 + P_PT], r5
        li      r5, loaded_pd
        st      [r5], r11
        ori     r6, r11, 1
        SET_PTB r6
        call    free_address_space
        li      r2, 0
        sub     r2, r2, r0
        ld      r1, [r8 + P_NS]
        call    cgroup_charge
        mov     r1, r8
        mov     r2, r12
        mov     r3, r10
        mov     r4, r9
        call    reset_registers
        li      r0, 0                   ; r0 = 0 at the program's start, as for spawn
        jmp     ex.out
ex.fail:
        li      r0, -1
ex.out:
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret
