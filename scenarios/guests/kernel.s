; The ringsim guest kernel.
;
; A small multitasking kernel for the toy CPU: it boots from the loader's
; hand-off, builds page tables, starts every user program it was given as a
; ring-3 process with its own address space, shares the CPU among them
; round robin with the timer, serves their system calls (fork and exec
; among them), fills pages on demand and copies them on write, kills a
; process that faults otherwise, and powers off when all have exited.
;
; The same source builds two kernels (and either with -D NET=1 drives the
; e1000-like NIC a run gets with --nic e1000):
;   native (default)      runs in ring 0 on the bare machine;
;   -D PARAVIRT=1         runs in ring 1 under a paravirtualising monitor:
;                         every privileged or sensitive operation becomes a
;                         hypercall (see kernel/arch.inc). On the bare machine
;                         it dies at its first hypercall with invalid opcode.
;   -D SYSCALL_IRET=1     returns from system calls with iret instead of
;                         sysret, as Linux 2.4 (int 0x80) did: the native
;                         kernel Barham et al. compared Xen with.
;
; docs/guests.md describes the design. Files:
;   kernel/defs.inc       constants: the machine's and the kernel's tables
;   kernel/arch.inc       the hardware interface macros (native | paravirtual)
;   kernel/arch.s         helper routines behind those macros
;   kernel/boot.s         boot
;   kernel/traps.s        trap entry, timer, faults
;   kernel/syscalls.s     system calls
;   kernel/process.s      creating and ending processes
;   kernel/scheduler.s    run queue, scheduler, the return to ring 3, shutdown
;   kernel/memory.s       frames, page tables, checking user addresses
;   kernel/paging.s       page faults served: demand paging, copy-on-write
;   kernel/fork.s         fork and exec
;   kernel/console.s      kernel messages
;   kernel/net.s          the NIC's driver and a small IPv4 stack (-D NET=1 only)
;
; Register conventions inside the kernel: arguments in r1..r4, result in r0;
; a routine may change r0..r7 and must keep r8..r14 (the console routines
; keep everything). sp is r15.

        .ifndef PARAVIRT
        .equ    PARAVIRT, 0
        .endif
        .ifndef SYSCALL_IRET
        .equ    SYSCALL_IRET, 0
        .endif

        .include "include/syscalls.inc"
        .include "include/hypercalls.inc"
        .include "kernel/defs.inc"
        .include "kernel/arch.inc"

        .org    0                       ; the loader puts the kernel at physical 0
_start:
        jmp     boot

; The trap table: word i is the handler for vector i (0 = none: the machine
; stops if that trap ever happens). It sits at a fixed address, 0x40, so the
; "trap table at" line reads the same in both builds.
        .align  64
trap_table:
        .word   trap_divide             ; 0 divide error
        .word   trap_breakpoint         ; 1 breakpoint
        .word   trap_invalid_opcode     ; 2 invalid opcode
        .word   trap_general_protection ; 3 general protection (privileged instruction in ring 3)
        .word   trap_page_fault         ; 4 page fault
        .word   trap_alignment          ; 5 alignment
        .word   trap_bus_error          ; 6 bus error
        .word   0                       ; 7 (reserved)
        .word   trap_syscall            ; 8 syscall
        .word   trap_timer              ; 9 timer
        .word   0, 0, 0, 0, 0, 0        ; 10..15: no device interrupts are used

; ---- page-aligned tables ---------------------------------------------------
; They come before the code on purpose. The TLB has 64 slots and a page goes
; in slot (virtual page number mod 64); user programs start at USER_BASE,
; slot 0, and use the next few slots and slot 63 (the stack). Keeping the
; kernel's busy pages (code, process table, stack) in slots 4 and up means
; a system call does not push the program's own translations out of the TLB.
        .align  4096
kernel_pd:                              ; 0x1000: the kernel's own page directory (used between processes)
        .space  4096
kernel_pt:                              ; 0x2000: identity map of the first 4 MiB, shared by every address space
        .space  4096
frame_stack:                            ; 0x3000: addresses of the free frames
        .space  4096
proc_table:                             ; 0x4000: the process table
        .space  NPROC * PCB_SIZE
proc_table_end:
        .align  4096
kernel_stack:                           ; 0x5000
        .space  KERNEL_STACK_SIZE
kernel_stack_top:
klog_buffer:                            ; 0x6000: the kernel log (kernel/console.s); at a fixed
        .space  KLOG_SIZE               ; address, so that both builds place it alike

; ---- code and small data ---------------------------------------------------
        .include "kernel/boot.s"
        .include "kernel/traps.s"
        .include "kernel/syscalls.s"
        .include "kernel/process.s"
        .include "kernel/scheduler.s"
        .include "kernel/memory.s"
        .include "kernel/paging.s"
        .include "kernel/fork.s"
        .include "kernel/console.s"
        .include "kernel/arch.s"
        .if NET
        .include "kernel/net.s"
        .endif
        .if FILESTORE
        .include "kernel/disk.s"
        .include "kernel/filestore.s"
        .endif

        .align  512
bounce:                                 ; one sector, for the disk (physical = virtual here)
        .space  SECTOR_SIZE
