; console: an I/O-heavy program. It writes LINES lines of 40 bytes, one
; write system call each:
;       console: line 001 of 200 bcdefghijklmno
; The kernel puts every byte on the console with its own `out` instruction,
; so natively that is 8000 port accesses: under a monitor that traps port
; I/O, 8000 exits; paravirtualised, one hypercall per line.
; Then it writes one sector of the block device, reads it back into another
; buffer (one that straddles a page boundary, to make the kernel check two
; pages) and compares. It keeps a checksum of every byte written and read,
; and ends with
;       console: 200 lines, 8000 bytes, sector 5 written and read back, checksum 0x491eaf3a
; Calls that must fail (a buffer in kernel memory, a sector past the end of
; the disk) are tried too; only a surprise prints anything.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    LINES, 200
        .equ    LINE_LENGTH, 40
        .equ    FILL, 14                ; letters at the end of each line
        .equ    SECTOR, 5

_start:
        li      r8, 1                   ; r8 = line number
        li      r9, 0                   ; r9 = checksum
        li      r10, 0                  ; r10 = bytes written
line:
        call    make_line
        li      r1, linebuf
        li      r2, LINE_LENGTH
        SYS     SYS_WRITE
        cmpi    r0, LINE_LENGTH
        beq     line.written
        li      r1, msg_short_write
        call    fail
line.written:
        add     r10, r10, r0
        li      r1, linebuf
        li      r2, LINE_LENGTH
        call    checksum
        addi    r8, r8, 1
        cmpi    r8, LINES
        ble     line

        ; one sector out and back
        li      r1, 0
fill.sector:
        muli    r2, r1, 7
        addi    r2, r2, 3
        stb     [r1 + wbuf], r2         ; the low byte of 7i + 3
        addi    r1, r1, 1
        cmpi    r1, SECTOR_SIZE
        blt     fill.sector
        li      r1, SECTOR
        li      r2, wbuf
        SYS     SYS_WRITE_BLOCK
        cmpi    r0, 0
        beq     sector.written
        li      r1, msg_write_block
        call    fail
sector.written:
        li      r1, SECTOR
        li      r2, rbuf
        SYS     SYS_READ_BLOCK
        cmpi    r0, 0
        beq     sector.read
        li      r1, msg_read_block
        call    fail
sector.read:
        li      r1, 0
compare:
        ldb     r2, [r1 + wbuf]
        ldb     r3, [r1 + rbuf]
        cmp     r2, r3
        beq     compare.next
        li      r1, msg_differs
        call    fail
compare.next:
        addi    r1, r1, 1
        cmpi    r1, SECTOR_SIZE
        blt     compare
        li      r1, rbuf
        li      r2, SECTOR_SIZE
        call    checksum

        ; the kernel must refuse these
        li      r1, 0x40                ; kernel memory (the trap table)
        li      r2, 8
        SYS     SYS_WRITE
        cmpi    r0, -1
        beq     refused.1
        li      r1, msg_kernel_write
        call    fail
refused.1:
        li      r1, SECTOR
        li      r2, 0x1000              ; kernel memory as the target of a read
        SYS     SYS_READ_BLOCK
        cmpi    r0, -1
        beq     refused.2
        li      r1, msg_kernel_read
        call    fail
refused.2:
        li      r1, 1000000             ; far past the end of the disk
        li      r2, rbuf
        SYS     SYS_READ_BLOCK
        cmpi    r0, -1
        beq     refused.3
        li      r1, msg_bad_sector
        call    fail
refused.3:

        li      r1, msg_done
        call    put_str
        li      r1, LINES
        call    put_dec
        li      r1, msg_lines
        call    put_str
        mov     r1, r10
        call    put_dec
        li      r1, msg_bytes
        call    put_str
        li      r1, SECTOR
        call    put_dec
        li      r1, msg_sector
        call    put_str
        mov     r1, r9
        call    put_hex
        call    end_line
        li      r1, 0
        call    exit

; make_line: fill linebuf with line number r8:
; "console: line NNN of 200 " then FILL letters running on from 'a' + r8, "\n".
make_line:
        push    r8
        li      r1, prefix
        li      r2, linebuf
ml.prefix:                              ; copy "console: line " (without its 0)
        ldb     r3, [r1]
        cmpi    r3, 0
        beq     ml.number
        stb     [r2], r3
        addi    r1, r1, 1
        addi    r2, r2, 1
        jmp     ml.prefix
ml.number:
        li      r4, 10
        li      r5, 100
        div     r3, r8, r5              ; hundreds
        addi    r3, r3, '0'
        stb     [r2], r3
        div     r3, r8, r4              ; tens
        rem     r3, r3, r4
        addi    r3, r3, '0'
        stb     [r2 + 1], r3
        rem     r3, r8, r4              ; units
        addi    r3, r3, '0'
        stb     [r2 + 2], r3
        addi    r2, r2, 3
        li      r1, middle
ml.middle:                              ; " of 200 "
        ldb     r3, [r1]
        cmpi    r3, 0
        beq     ml.fill
        stb     [r2], r3
        addi    r1, r1, 1
        addi    r2, r2, 1
        jmp     ml.middle
ml.fill:
        li      r4, 26
        li      r5, 0                   ; j
ml.letter:
        add     r3, r8, r5
        rem     r3, r3, r4
        addi    r3, r3, 'a'
        stb     [r2], r3
        addi    r2, r2, 1
        addi    r5, r5, 1
        cmpi    r5, FILL
        blt     ml.letter
        li      r3, '\n'
        stb     [r2], r3
        pop     r8
        ret

; checksum: r9 = r9 * 31 + byte, for the r2 bytes at r1.
checksum:
        add     r2, r2, r1
cs.byte:
        cmp     r1, r2
        bgeu    cs.done
        ldb     r3, [r1]
        muli    r9, r9, 31
        add     r9, r9, r3
        addi    r1, r1, 1
        jmp     cs.byte
cs.done:
        ret

; fail: print "console: FAILED: " and the message at r1, and exit with 1.
fail:
        push    r1
        li      r1, msg_failed
        call    put_str
        pop     r1
        call    put_str
        call    end_line
        li      r1, 1
        call    exit

prefix:
        .asciz  "console: line "
middle:
        .asciz  " of 200 "
msg_done:
        .asciz  "console: "
msg_lines:
        .asciz  " lines, "
msg_bytes:
        .asciz  " bytes, sector "
msg_sector:
        .asciz  " written and read back, checksum "
msg_failed:
        .asciz  "console: FAILED: "
msg_short_write:
        .asciz  "write did not take the whole line"
msg_write_block:
        .asciz  "write_block failed"
msg_read_block:
        .asciz  "read_block failed"
msg_differs:
        .asciz  "the sector read back differs from the one written"
msg_kernel_write:
        .asciz  "write accepted a buffer in kernel memory"
msg_kernel_read:
        .asciz  "read_block accepted a buffer in kernel memory"
msg_bad_sector:
        .asciz  "read_block accepted a sector past the end of the disk"
        .align  4
linebuf:
        .space  LINE_LENGTH
wbuf:
        .space  SECTOR_SIZE
        ; rbuf straddles the boundary between the image's second and third pages
        .align  4096
        .space  4096 - SECTOR_SIZE / 2
rbuf:
        .space  SECTOR_SIZE
