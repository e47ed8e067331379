; filecopy: the file store's system calls (kernel built with -D FILESTORE=1,
; a machine with a disk front end: ringsim run --disk ide|virtio). It writes
; a file of SIZE bytes in uneven pieces, copies it to a second file 512 bytes
; at a time, reads the copy back whole, checks it against what was written,
; and lists the files. It prints
;       filecopy: 3000 bytes copied, checksum 0x........, verified
;       filecopy: files: source copy
; or a FAILED line saying which step failed.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"
        .include "include/filetest.inc"

        .equ    SIZE, 3000
        .equ    PIECE, 700              ; not a multiple of a sector: writes straddle sectors

_start:
        li      r1, original            ; the data: byte i = (i * 7 + 3) mod 256
        li      r2, 0
fill:
        muli    r3, r2, 7
        addi    r3, r3, 3
        add     r4, r1, r2
        stb     [r4], r3
        addi    r2, r2, 1
        cmpi    r2, SIZE
        blt     fill

        li      r1, name_source
        SYS     SYS_FCREATE
        li      r9, msg_create
        cmpi    r0, 0
        blt     failed
        mov     r8, r0                  ; the source's fd
        li      r10, 0                  ; bytes written
write_piece:
        li      r3, SIZE
        sub     r3, r3, r10
        cmpi    r3, PIECE
        ble     write_last
        li      r3, PIECE
write_last:
        mov     r1, r8
        li      r2, original
        add     r2, r2, r10
        SYS     SYS_FWRITE
        li      r9, msg_write
        cmp     r0, r3
        bne     failed
        add     r10, r10, r3
        cmpi    r10, SIZE
        blt     write_piece

        li      r1, name_copy
        SYS     SYS_FCREATE
        li      r9, msg_create
        cmpi    r0, 0
        blt     failed
        mov     r11, r0                 ; the copy's fd
        mov     r1, r8
        li      r2, 0
        SYS     SYS_FSEEK
copy_sector:
        mov     r1, r8
        li      r2, chunk
        li      r3, 512
        SYS     SYS_FREAD
        li      r9, msg_read
        cmpi    r0, 0
        blt     failed
        beq     copied
        mov     r3, r0
        mov     r1, r11
        li      r2, chunk
        SYS     SYS_FWRITE
        li      r9, msg_write
        cmp     r0, r3
        bne     failed
        jmp     copy_sector

copied:
        mov     r1, r11                 ; the copy, read back whole
        li      r2, 0
        SYS     SYS_FSEEK
        mov     r1, r11
        li      r2, readback
        li      r3, 4096
        SYS     SYS_FREAD
        li      r9, msg_size
        cmpi    r0, SIZE
        bne     failed
        li      r1, original
        li      r2, readback
        li      r3, SIZE
        call    verified_checksum
        mov     r10, r0

        li      r1, msg_done
        call    put_str
        li      r1, SIZE
        call    put_dec
        li      r1, msg_bytes
        call    put_str
        mov     r1, r10
        call    put_verified

        li      r1, listing             ; the names, newlines turned into spaces
        li      r2, 64
        SYS     SYS_FLIST
        li      r9, msg_list
        cmpi    r0, 0
        blt     failed
        li      r1, listing
        add     r2, r1, r0
        li      r3, 0
        stb     [r2], r3
spaces:
        cmp     r1, r2
        bgeu    listed
        ldb     r3, [r1]
        cmpi    r3, 10
        bne     not_newline
        li      r3, 32
        stb     [r1], r3
not_newline:
        addi    r1, r1, 1
        jmp     spaces
listed:
        li      r1, msg_files
        call    put_str
        li      r1, listing
        call    put_str
        call    end_line
        li      r1, 0
        call    exit

name_source:
        .asciz  "source"
name_copy:
        .asciz  "copy"
msg_done:
        .asciz  "filecopy: "
msg_bytes:
        .asciz  " bytes copied"
msg_files:
        .asciz  "filecopy: files: "
msg_failed:
        .asciz  "filecopy: FAILED: "
msg_create:
        .asciz  "fcreate"
msg_write:
        .asciz  "fwrite"
msg_read:
        .asciz  "fread"
msg_size:
        .asciz  "the copy's size"
msg_differ:
        .asciz  "the copy differs"
msg_list:
        .asciz  "flist"
        .align  4
listing:
        .space  68
original:
        .space  4096
chunk:
        .space  512
readback:
        .space  4096
