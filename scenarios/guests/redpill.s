; redpill: is this a virtual machine? A user program asks the CPU where the
; trap table is, with stt, from ring 3 - as Joanna Rutkowska's "Red Pill"
; (2004) asked with SIDT. stt is sensitive but not privileged: any ring may
; run it, and it reads the CPU's real trap-table base. The kernel puts its
; table at 0x00000040 (docs/guests.md), so natively that is the answer. A
; monitor that runs user code directly on the CPU while its own trap table
; is loaded (binary translation, trap-and-emulate) gives its own table away.
; Under hardware assistance the guest has a trap-table register of its own,
; and an emulator emulates stt: no pill works there. It prints
;       redpill: the trap table is at 0x00000040: no virtual machine found
; or, with another address, ": this is a virtual machine".

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    KERNEL_TRAP_TABLE, 0x40     ; where the bundled kernel installs its table

_start:
        stt     r8                          ; the pill: one unprivileged instruction
        li      r1, msg_table
        call    put_str
        mov     r1, r8
        call    put_hex
        li      r1, msg_native
        cmpi    r8, KERNEL_TRAP_TABLE
        beq     verdict
        li      r1, msg_vm
verdict:
        call    put_str
        call    end_line
        li      r1, 0
        call    exit

msg_table:
        .asciz  "redpill: the trap table is at "
msg_native:
        .asciz  ": no virtual machine found"
msg_vm:
        .asciz  ": this is a virtual machine"
        .align  4
