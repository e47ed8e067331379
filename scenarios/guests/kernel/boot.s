; Boot: from the loader's hand-off (ring 0, paging off, interrupts off,
; r1 = boot information) to the first process running in ring 3.

boot:
        li      sp, kernel_stack_top
        mov     r8, r1                  ; the boot information, kept in r8 for now
        li      r2, kernel_stack_top
        SET_KSTACK r2                   ; traps from ring 3 will land on this stack
        li      r2, bootinfo
        st      [r2], r8

        ; Which ring are we in? A kernel has to be in ring 0 to do its job,
        ; and says so. Under naive trap-and-emulate this kernel finds
        ; itself in ring 1, and getcpl (which does not trap) tells it so.
        ; The paravirtual build knows it runs deprivileged, and says that.
        READ_RING r9
        li      r1, msg_ring
        call    kput_str
        mov     r1, r9
        call    kput_dec
        call    kflush_line

        ; The trap table, and a read-back of where the CPU now takes traps.
        ; Natively that is our own table. Under a monitor, stt (which does not
        ; trap) reads the monitor's real table instead.
        li      r2, trap_table
        SET_TRAP_TABLE r2
        READ_TRAP_TABLE r9
        li      r1, msg_trap_table
        call    kput_str
        mov     r1, r9
        call    kput_hex
        call    kflush_line

        ; is this really a boot-information block?
        ld      r2, [r8 + BI_MAGIC]
        li      r3, BOOT_MAGIC
        cmp     r2, r3
        beq     boot.memory
        li      r1, msg_bad_bootinfo
        call    kput_str
        call    kflush_line
        POWER_OFF

boot.memory:
        ; The kernel manages memory up to the end of its identity map.
        ld      r2, [r8 + BI_MEMORY_SIZE]
        andi    r2, r2, FRAME_MASK
        li      r3, IDENTITY_LIMIT
        cmp     r2, r3
        bltu    boot.limit
        mov     r2, r3
boot.limit:
        li      r3, memory_end
        st      [r3], r2
        ; frames above the loaded images are free
        ld      r1, [r8 + BI_FIRST_FREE]
        call    frames_init
        ; map the kernel and turn paging on, in the kernel's own address
        ; space (which every process's shares below USER_BASE)
        li      r1, memory_end
        ld      r1, [r1]
        call    map_kernel
        li      r2, kernel_pd
        li      r3, loaded_pd
        st      [r3], r2
        ori     r2, r2, 1
        SET_PTB r2
        li      r2, free_count
        ld      r2, [r2]
        li      r3, free_at_boot
        st      [r3], r2

        ; Each container's CPU weight, as its stride: the default for all,
        ; then what the boot information gives the containers it names.
        li      r2, 0
        li      r3, STRIDE / DEFAULT_WEIGHT
boot.strides:
        st      [r2 + ns_stride], r3
        addi    r2, r2, 4
        cmpi    r2, NNS * 4
        bne     boot.strides
        ld      r9, [r8 + BI_PROGRAM_COUNT]
        li      r10, 0
        addi    r11, r8, BI_PROGRAMS
boot.weight:
        cmp     r10, r9
        bgeu    boot.programs
        ld      r2, [r11 + BIP_CONTAINER]
        cmpi    r2, NNS
        bgeu    boot.next_weight        ; no such namespace: create_process says so
        ld      r3, [r11 + BIP_WEIGHT]
        cmpi    r3, 1
        blt     boot.next_weight        ; the loader checks 1..MAX_WEIGHT; out of it, keep the default
        cmpi    r3, MAX_WEIGHT
        bgt     boot.next_weight
        li      r4, STRIDE
        div     r3, r4, r3
        shli    r2, r2, 2
        st      [r2 + ns_stride], r3
boot.next_weight:
        addi    r10, r10, 1
        addi    r11, r11, BIP_SIZEOF
        jmp     boot.weight

boot.programs:
        ; one process per program, in the order given
        li      r1, msg_starting
        call    kput_str
        mov     r1, r9
        call    kput_dec
        li      r1, msg_programs
        cmpi    r9, 1
        bne     boot.noun
        li      r1, msg_program
boot.noun:
        call    kput_str
        call    kflush_line
        li      r10, 0
        addi    r11, r8, BI_PROGRAMS    ; r11 = this program's entry
boot.start:
        cmp     r10, r9
        bgeu    boot.run
        mov     r1, r10                 ; program index
        li      r2, 0                   ; argument
        li      r3, 0                   ; no parent
        ld      r4, [r11 + BIP_CONTAINER]   ; its namespace: the host's, or a container's
        call    create_process
        cmpi    r0, 0
        bge     boot.next
        li      r1, msg_cannot_start
        call    kput_str
        mov     r1, r10
        call    kput_dec
        call    kflush_line
boot.next:
        addi    r10, r10, 1
        addi    r11, r11, BIP_SIZEOF
        jmp     boot.start

boot.run:
        .if NET
        call    net_init
        .endif
        ; the timer gives each process its time slice
        li      r2, TIMER_PERIOD
        SET_TIMER r2
        jmp     return_to_user          ; no current process yet: schedules the first

bootinfo:
        .word   0                       ; address of the boot-information block
msg_ring:
        .if PARAVIRT
        .asciz  "kernel: paravirtual, running deprivileged in ring "
        .else
        .asciz  "kernel: running in ring "
        .endif
msg_trap_table:
        .asciz  "kernel: trap table at "
msg_bad_bootinfo:
        .asciz  "kernel: panic: no boot information"
msg_starting:
        .asciz  "kernel: starting "
msg_programs:
        .asciz  " programs"
msg_program:
        .asciz  " program"
msg_cannot_start:
        .asciz  "kernel: cannot start program "
        .align  4
