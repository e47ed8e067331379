; secret: a process that keeps a secret in its memory - the victim of
; snoop.s. It builds its vault at run time (a marker, then the text "the
; vault code is 7341"), says that it keeps a secret without saying what it
; is, stays alive for a while (it works a little and yields, so that other
; processes run while the secret sits in its memory), wipes the vault as a
; careful program would, and exits:
;       secret: pid 1 keeps a secret in its memory
;       secret: pid 1 wiped its secret and exits
; Nothing but a kernel bug lets another process read the vault: its pages
; are its own (the kernel gives every process a private copy of its image),
; and ring 3 cannot reach physical memory. docs/guests.md, section 10.

        .include "include/syscalls.inc"
        .include "include/vault.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .ifndef SECRET_ROUNDS
        .equ    SECRET_ROUNDS, 20       ; yields while it holds the secret
        .endif
        .equ    SECRET_WORK, 2000       ; turns of a busy loop between two yields

_start:
        SYS     SYS_GETPID
        mov     r8, r0
        ; The marker, one word at a time, each built and stored at once: a
        ; whole marker is never in the registers (a timer tick saves them
        ; in the kernel's process table, and a snoop would find it there).
        li      r5, vault
        li      r1, VAULT_MARK1_A
        xori    r1, r1, VAULT_MARK1_B
        st      [r5], r1
        li      r1, VAULT_MARK2_A
        xori    r1, r1, VAULT_MARK2_B
        st      [r5 + 4], r1
        li      r1, 0
        ; then the secret text behind it, terminating zero included
        addi    r1, r5, 8
        li      r2, secret_text
copy:
        ldb     r3, [r2]
        stb     [r1], r3
        addi    r1, r1, 1
        addi    r2, r2, 1
        cmpi    r3, 0
        bne     copy

        li      r1, msg_pid             ; "secret: pid 1 keeps a secret in its memory"
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_keeps
        call    put_str
        call    end_line

        ; Stay alive a while, letting the others run.
        li      r9, SECRET_ROUNDS
        cmpi    r9, 0
        beq     release
hold:
        li      r10, SECRET_WORK
work:
        addi    r10, r10, -1
        cmpi    r10, 0
        bne     work
        SYS     SYS_YIELD
        addi    r9, r9, -1
        cmpi    r9, 0
        bne     hold

        ; Wipe the vault before the memory goes back to the kernel (which
        ; zeroes a frame when it hands it out again, not when it gets it back).
release:
        li      r1, vault
        li      r2, vault_end
        li      r3, 0
wipe:
        st      [r1], r3
        addi    r1, r1, 4
        cmp     r1, r2
        bltu    wipe
        li      r1, msg_pid             ; "secret: pid 1 wiped its secret and exits"
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_wiped
        call    put_str
        call    end_line
        li      r1, 0
        call    exit

msg_pid:
        .asciz  "secret: pid "
msg_keeps:
        .asciz  " keeps a secret in its memory"
msg_wiped:
        .asciz  " wiped its secret and exits"
secret_text:
        .asciz  "the vault code is 7341"
        .align  8
vault:                                  ; the marker (2 words), then the text
        .space  8 + VAULT_TEXT_MAX
vault_end:
