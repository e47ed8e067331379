; pagetables: a page-table-heavy program, in the spirit of a shell running
; many short commands (fork/exec/exit). Every round it spawns a copy of
; itself with argument 1 and waits for it; the child maps a page, writes
; and reads it, unmaps it and exits at once. Each round the kernel builds a
; whole address space (directory, table, image, stack), switches to it and
; back, and tears it down. Then the parent maps and unmaps a page PAIRS
; times itself, checking that every fresh page arrives zero-filled. It
; prints
;       pagetables: 100 spawn/wait rounds, 200 map/unmap pairs
; or a FAILED line saying what went wrong.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    ROUNDS, 100
        .equ    PAIRS, 200
        .equ    CHILD_PAGE, 0x00630000      ; where a child maps its page
        .equ    MAP_BASE, 0x00520000        ; the parent cycles over 16 pages from here
        .equ    MAP_SLOTS, 16
        .equ    CHILD_ARG, 1

_start:
        cmpi    r1, CHILD_ARG
        beq     child
        mov     r8, r2                  ; r8 = our own program index, to spawn ourselves

        ; ---- spawn / wait ----
        li      r9, 0                   ; rounds done
round:
        mov     r1, r8
        li      r2, CHILD_ARG
        SYS     SYS_SPAWN
        cmpi    r0, 0
        bgt     round.spawned
        li      r1, msg_spawn
        jmp     failed
round.spawned:
        mov     r1, r0
        SYS     SYS_WAIT                ; sleeps until the child has exited
        cmpi    r0, 0
        beq     round.ok
        li      r1, msg_child
        jmp     failed
round.ok:
        addi    r9, r9, 1
        cmpi    r9, ROUNDS
        blt     round

        ; ---- map / unmap ----
        li      r10, 0                  ; pairs done
pair:
        andi    r11, r10, MAP_SLOTS - 1
        shli    r11, r11, 12
        li      r1, MAP_BASE
        add     r11, r11, r1            ; r11 = this pair's page
        mov     r1, r11
        SYS     SYS_MAP
        cmpi    r0, 0
        beq     pair.mapped
        li      r1, msg_map
        jmp     failed
pair.mapped:
        ; a fresh page is all zeros, even though this very page held
        ; our data (page number r10 - 16) a moment ago
        ld      r1, [r11]
        ld      r2, [r11 + 4092]
        or      r1, r1, r2
        cmpi    r1, 0
        beq     pair.zero
        li      r1, msg_not_zero
        jmp     failed
pair.zero:
        st      [r11], r10              ; use it: first and last word
        st      [r11 + 4092], r10
        ld      r1, [r11 + 4092]
        cmp     r1, r10
        beq     pair.used
        li      r1, msg_readback
        jmp     failed
pair.used:
        mov     r1, r11
        SYS     SYS_UNMAP
        cmpi    r0, 0
        beq     pair.unmapped
        li      r1, msg_unmap
        jmp     failed
pair.unmapped:
        ; a second unmap of the same page must be refused
        mov     r1, r11
        SYS     SYS_UNMAP
        cmpi    r0, -1
        beq     pair.done
        li      r1, msg_unmap_twice
        jmp     failed
pair.done:
        addi    r10, r10, 1
        cmpi    r10, PAIRS
        blt     pair

        li      r1, msg_done
        call    put_str
        mov     r1, r9
        call    put_dec
        li      r1, msg_rounds
        call    put_str
        mov     r1, r10
        call    put_dec
        li      r1, msg_pairs
        call    put_str
        call    end_line
        li      r1, 0
        call    exit

; failed: "pagetables: FAILED: <r1>", exit code 1
failed:
        push    r1
        li      r1, msg_failed
        call    put_str
        pop     r1
        call    put_str
        call    end_line
        li      r1, 1
        call    exit

; The child: one page in, used, out; exit code 0 if it behaved.
child:
        li      r8, CHILD_PAGE
        mov     r1, r8
        SYS     SYS_MAP
        cmpi    r0, 0
        bne     child.bad
        li      r1, 0x12345678
        st      [r8], r1
        ld      r2, [r8]
        cmp     r2, r1
        bne     child.bad
        mov     r1, r8
        SYS     SYS_UNMAP
        cmpi    r0, 0
        bne     child.bad
        li      r1, 0
        call    exit
child.bad:
        li      r1, 1
        call    exit

msg_done:
        .asciz  "pagetables: "
msg_rounds:
        .asciz  " spawn/wait rounds, "
msg_pairs:
        .asciz  " map/unmap pairs"
msg_failed:
        .asciz  "pagetables: FAILED: "
msg_spawn:
        .asciz  "spawn refused"
msg_child:
        .asciz  "a child did not exit with code 0"
msg_map:
        .asciz  "map refused"
msg_not_zero:
        .asciz  "a freshly mapped page was not zero-filled"
msg_readback:
        .asciz  "a mapped page did not keep what was written"
msg_unmap:
        .asciz  "unmap refused"
msg_unmap_twice:
        .asciz  "unmap of a page no longer mapped succeeded"
        .align  4
