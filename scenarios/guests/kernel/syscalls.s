; System calls. The number is in the caller's r0, arguments in r1..r3, and
; the result goes back in r0 (scenarios/guests/include/syscalls.inc lists
; them). Each handler is called with r1..r3 = the arguments and r4 = the
; caller's PCB, and returns its result in r0. A handler that blocks the
; caller or ends it leaves no current process; then there is no result to
; deliver now (wait's result arrives later, exit has none).

do_syscall:
        li      r13, current
        ld      r13, [r13]
        ld      r0, [r13 + P_R0]
        cmpi    r0, SYSCALL_LIMIT
        bgeu    sc.bad                  ; unsigned: negative numbers too
        shli    r4, r0, 3
        addi    r4, r4, syscall_table
        ld      r5, [r4]                ; the handler
        ld      r12, [r4 + 4]           ; 1: runs with interrupts on
        ld      r1, [r13 + P_R1]
        ld      r2, [r13 + P_R2]
        ld      r3, [r13 + P_R3]
        mov     r4, r13
        ; The syscall gate turned interrupts off. Calls that do real work
        ; (copying, devices, building address spaces) turn them back on, as
        ; a real kernel does so that interrupts are not held up; the quick
        ; ones are over before it would matter.
        cmpi    r12, 0
        beq     sc.call
        IRQ_ON
sc.call:
        callr   r5
        cmpi    r12, 0
        beq     sc.result
        IRQ_OFF
sc.result:
        li      r1, current
        ld      r1, [r1]
        cmp     r1, r13
        bne     sc.done                 ; the caller blocked or ended
        st      [r13 + P_R0], r0
sc.done:
        jmp     return_to_user
sc.bad:
        li      r0, -1
        st      [r13 + P_R0], r0
        jmp     return_to_user

; handler, interrupts on during it?
syscall_table:
        .word   sys_exit, 0             ; 0
        .word   sys_write, 1            ; 1
        .word   sys_yield, 0            ; 2
        .word   sys_getpid, 0           ; 3
        .word   sys_clock, 0            ; 4
        .word   sys_spawn, 1            ; 5
        .word   sys_wait, 0             ; 6
        .word   sys_map, 1              ; 7
        .word   sys_unmap, 1            ; 8
        .word   sys_read_block, 1       ; 9
        .word   sys_write_block, 1      ; 10
        .word   sys_klog, 1             ; 11
        .word   sys_fork, 1             ; 12 (kernel/fork.s)
        .word   sys_exec, 1             ; 13 (kernel/fork.s)
        .if (. - syscall_table) != SYSCALL_COUNT * 8
        .error "syscall_table does not match SYSCALL_COUNT in syscalls.inc"
        .endif
        .if FILESTORE                   ; kernel/filestore.s
        .word   sys_fcreate, 0          ; 14: interrupts stay off: one fs_buf, one ring
        .word   sys_fopen, 0            ; 15
        .word   sys_fseek, 0            ; 16
        .word   sys_fwrite, 0           ; 17
        .word   sys_fread, 0            ; 18
        .word   sys_flist, 0            ; 19
        .else
        .if NET
        .word   sys_unassigned, 0       ; 14-19: no file store in this build
        .word   sys_unassigned, 0
        .word   sys_unassigned, 0
        .word   sys_unassigned, 0
        .word   sys_unassigned, 0
        .word   sys_unassigned, 0
        .endif
        .endif
        .if NET
        .word   sys_net_bind, 0         ; 20 (kernel/net.s)
        .word   sys_net_send, 0         ; 21: interrupts off: the driver is not reentrant
        .word   sys_net_recv, 0         ; 22
        .word   sys_net_ping, 0         ; 23
        .endif
        .if (. - syscall_table) != SYSCALL_LIMIT * 8
        .error "syscall_table does not match SYSCALL_LIMIT (kernel/defs.inc)"
        .endif

; exit(code)
sys_exit:
        call    end_process
        ret

; write(buffer, length) -> length, or -1
; The bytes go to the console stream of the caller's namespace: a container's
; output is its own, apart from the host's and other containers'.
sys_write:
        push    r8
        push    r9
        push    r10
        mov     r8, r1
        mov     r9, r2
        ld      r10, [r4 + P_NS]        ; its namespace is its stream
        li      r3, 0                   ; the kernel only reads it
        call    user_range_ok
        cmpi    r0, 0
        beq     sw.bad
        ; A line must reach the console in one piece. Nothing can preempt
        ; the kernel, but an interrupt handler could print: keep interrupts
        ; off for the copy, then put them back as they were.
        IRQ_SAVE
        CONSOLE_WRITE r8, r9, r10
        IRQ_RESTORE
        mov     r0, r9
        jmp     sw.out
sw.bad:
        li      r0, -1
sw.out:
        pop     r10
        pop     r9
        pop     r8
        ret

; yield() -> 0: the others run first (the scheduler passes the caller over once)
sys_yield:
        li      r5, need_resched
        li      r0, 1
        st      [r5], r0
        li      r5, yielded
        st      [r5], r4
        li      r0, 0
        ret

; getpid() -> pid, in the caller's namespace
sys_getpid:
        ld      r0, [r4 + P_NSPID]
        ret

; clock() -> r0 = low word, r1 = high word of the cycle counter
sys_clock:
        push    r8
        mov     r8, r4
        READ_CLOCK
        st      [r8 + P_R1], r1         ; the second result goes straight to the saved r1
        pop     r8
        ret

; spawn(program index, argument) -> pid of the child in the caller's namespace, or -1
sys_spawn:
        ld      r3, [r4 + P_PID]        ; the caller is the parent
        ld      r4, [r4 + P_NS]         ; and the child lives in its namespace
        call    create_process
        ret

; wait(pid) -> exit code of that child, or -1 if it is not the caller's child
; (the pid is one of the caller's namespace)
sys_wait:
        push    r8
        push    r9
        mov     r9, r4
        ld      r2, [r9 + P_PID]
        call    find_child
        cmpi    r0, 0
        beq     sw2.none
        mov     r8, r0
        ld      r5, [r8 + P_STATE]
        cmpi    r5, STATE_ZOMBIE
        bne     sw2.block
        ; it has already ended: collect the code and free the slot
        ld      r0, [r8 + P_CODE]
        li      r5, STATE_FREE
        st      [r8 + P_STATE], r5
        jmp     sw2.out
sw2.block:
        ; sleep until end_process hands over the code and wakes us
        IRQ_SAVE
        ld      r5, [r8 + P_PID]
        st      [r9 + P_WAITPID], r5
        li      r5, STATE_BLOCKED
        st      [r9 + P_STATE], r5
        li      r5, current
        li      r6, 0
        st      [r5], r6
        IRQ_RESTORE
        li      r0, 0
        jmp     sw2.out
sw2.none:
        li      r0, -1
sw2.out:
        pop     r9
        pop     r8
        ret

; map(page address) -> 0, or -1 (not a page in user space, already mapped,
; or no memory left)
sys_map:
        push    r8
        push    r9
        call    user_pte_address
        cmpi    r0, 0
        beq     map.fail
        mov     r8, r0
        ld      r5, [r8]
        andi    r5, r5, PTE_P
        cmpi    r5, 0
        bne     map.fail
        call    alloc_frame             ; zero-filled
        cmpi    r0, 0
        beq     map.fail
        ori     r9, r0, PTE_USER
        PTE_WRITE r8, r9
        PTE_COMMIT
        ; A page that was not present cannot be in the TLB: no flush needed.
        ld      r1, [r4 + P_NS]         ; the caller's container pays for it
        li      r2, 1
        call    cgroup_charge
        li      r0, 0
        jmp     map.out
map.fail:
        li      r0, -1
map.out:
        pop     r9
        pop     r8
        ret

; unmap(page address) -> 0, or -1 (not a mapped page in user space). A page
; shared copy-on-write is only let go of: the others keep the frame.
sys_unmap:
        push    r8
        push    r9
        push    r10
        mov     r10, r1
        call    user_pte_address
        cmpi    r0, 0
        beq     unmap.fail
        mov     r8, r0
        ld      r9, [r8]
        andi    r5, r9, PTE_P
        cmpi    r5, 0
        beq     unmap.fail
        li      r5, 0
        PTE_WRITE r8, r5
        PTE_COMMIT
        ; The TLB may still hold the old translation: drop it BEFORE the
        ; frame can be handed to someone else, or this process could go on
        ; writing into another's page.
        TLB_FLUSH_PAGE r10
        andi    r1, r9, FRAME_MASK
        call    free_frame              ; r0 = 0 if a copy-on-write sharer still holds it
        ld      r1, [r4 + P_NS]
        li      r2, 0
        sub     r2, r2, r0              ; the container pays for frames, not for mappings
        call    cgroup_charge
        li      r0, 0
        jmp     unmap.out
unmap.fail:
        li      r0, -1
unmap.out:
        pop     r10
        pop     r9
        pop     r8
        ret

; read_block(sector, buffer) -> 0, or -1
; The disk moves data by physical address, and a user buffer may straddle
; two frames anywhere in memory, so the sector goes through the kernel's own
; buffer (a bounce buffer) and is copied out.
sys_read_block:
        push    r8
        push    r9
        mov     r8, r1
        mov     r9, r2
        mov     r1, r2
        li      r2, SECTOR_SIZE
        li      r3, 1                   ; the kernel will write into it
        call    user_range_ok
        cmpi    r0, 0
        beq     rb.fail
        li      r5, bounce
        IRQ_SAVE                        ; the device's ports are one shared resource
        BLOCK_READ r8, r5
        IRQ_RESTORE
        cmpi    r0, 0
        bne     rb.out                  ; -1: bad sector
        mov     r1, r9
        li      r2, bounce
        li      r3, SECTOR_SIZE
        call    copy_bytes
        li      r0, 0
        jmp     rb.out
rb.fail:
        li      r0, -1
rb.out:
        pop     r9
        pop     r8
        ret

; write_block(sector, buffer) -> 0, or -1
sys_write_block:
        push    r8
        push    r9
        mov     r8, r1
        mov     r9, r2
        mov     r1, r2
        li      r2, SECTOR_SIZE
        li      r3, 0
        call    user_range_ok
        cmpi    r0, 0
        beq     wb.fail
        li      r1, bounce
        mov     r2, r9
        li      r3, SECTOR_SIZE
        call    copy_bytes
        li      r5, bounce
        IRQ_SAVE
        BLOCK_WRITE r8, r5
        IRQ_RESTORE
        jmp     wb.out
wb.fail:
        li      r0, -1
wb.out:
        pop     r9
        pop     r8
        ret

; klog(buffer, offset, length) -> bytes copied, or -1; r1 = how many bytes
; the kernel has logged since boot.
; The kernel log (kernel/console.s) keeps the last KLOG_SIZE bytes of the
; kernel's own messages, like dmesg: byte n of the messages is at
; klog_buffer + n mod KLOG_SIZE. klog copies `length` bytes from
; klog_buffer + offset into the caller's buffer.
;
; THE PLANTED BUG. The user buffer is checked, as every pointer a process
; hands the kernel must be; the offset is not. It should be checked against
; KLOG_SIZE, and it is not: any offset is taken, so the source can be any
; physical address the kernel's identity map reaches - the kernel's own
; data, page tables, and every other process's memory, whatever its
; container. This is the shared-kernel hazard in one line: a container is
; only as isolated as the kernel it shares. (In a virtual machine the same
; bug reaches only that VM's own memory: its "physical" memory is its
; partition.) The kernel only keeps the source below memory_end, so that
; reading does not fault the kernel itself: the hazard is the leak, not a
; crash.
sys_klog:
        push    r8
        push    r9
        push    r10
        push    r11
        mov     r8, r1                  ; buffer
        mov     r9, r2                  ; offset
        mov     r10, r3                 ; length
        mov     r11, r4                 ; the caller
        mov     r2, r3
        li      r3, 1                   ; the kernel will write into it
        call    user_range_ok
        cmpi    r0, 0
        beq     kl.fail
        li      r2, klog_buffer
        add     r2, r2, r9              ; the source: NO check of the offset (see above)
        add     r5, r2, r10             ; one past its end
        cmp     r5, r2
        bltu    kl.fail                 ; wrapped past 4 GiB
        li      r6, memory_end
        ld      r6, [r6]
        cmp     r6, r5
        bltu    kl.fail                 ; past the memory the kernel maps
        mov     r1, r8
        mov     r3, r10
        call    copy_bytes
        li      r5, klog_total
        ld      r5, [r5]
        st      [r11 + P_R1], r5        ; the second result goes straight to the saved r1
        mov     r0, r10
        jmp     kl.out
kl.fail:
        li      r0, -1
kl.out:
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret
