; filerandom: writes WRITES records of 16 bytes at pseudo-random offsets of
; one file (the same sequence every run), keeps the same writes in a copy in
; its own memory, then reads the whole file back and checks it against the
; copy. Needs the file store (kernel -D FILESTORE=1, ringsim run --disk
; ide|virtio). It prints
;       filerandom: 40 writes at random offsets, 4080 bytes, checksum 0x........, verified
; or a FAILED line saying which step failed.

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"
        .include "include/filetest.inc"

        .ifndef WRITES
        .equ    WRITES, 40
        .endif
        .equ    RECORD, 16
        .equ    SPAN, 4080              ; offsets in [0, SPAN - RECORD]

_start:
        li      r1, name_random
        SYS     SYS_FCREATE
        li      r9, msg_create
        cmpi    r0, 0
        blt     failed
        mov     r8, r0                  ; fd
        li      r10, 12345              ; the generator's state
        li      r11, 0                  ; writes made
        li      r12, 0                  ; the file's size as it should be
one_write:
        muli    r10, r10, 1103515245    ; a linear congruential generator
        addi    r10, r10, 12345
        shri    r2, r10, 8
        li      r3, SPAN - RECORD + 1
        rem     r2, r2, r3              ; the offset
        mov     r13, r2
        li      r4, record              ; the record: its number, then the offset, twice
        st      [r4], r11
        st      [r4 + 4], r13
        st      [r4 + 8], r10
        st      [r4 + 12], r11
        li      r1, shadow              ; the same bytes in the copy
        add     r1, r1, r13
        li      r2, record
        li      r3, RECORD
        call    copy
        mov     r1, r8
        mov     r2, r13
        SYS     SYS_FSEEK
        li      r9, msg_seek
        cmpi    r0, 0
        bne     failed
        mov     r1, r8
        li      r2, record
        li      r3, RECORD
        SYS     SYS_FWRITE
        li      r9, msg_write
        cmpi    r0, RECORD
        bne     failed
        addi    r13, r13, RECORD
        cmp     r12, r13
        bge     no_growth
        mov     r12, r13
no_growth:
        addi    r11, r11, 1
        cmpi    r11, WRITES
        blt     one_write

        mov     r1, r8                  ; read it all back
        li      r2, 0
        SYS     SYS_FSEEK
        mov     r1, r8
        li      r2, readback
        li      r3, 4096
        SYS     SYS_FREAD
        li      r9, msg_size
        cmp     r0, r12
        bne     failed
        li      r1, shadow
        li      r2, readback
        mov     r3, r12
        call    verified_checksum
        mov     r10, r0

        li      r1, msg_done
        call    put_str
        li      r1, WRITES
        call    put_dec
        li      r1, msg_writes
        call    put_str
        mov     r1, r12
        call    put_dec
        li      r1, msg_bytes
        call    put_str
        mov     r1, r10
        call    put_verified
        li      r1, 0
        call    exit

; copy: r1 = destination, r2 = source, r3 = bytes (keeps every register)
copy:
        push    r1
        push    r2
        push    r3
        push    r4
        add     r3, r2, r3
cp.byte:
        cmp     r2, r3
        bgeu    cp.done
        ldb     r4, [r2]
        stb     [r1], r4
        addi    r1, r1, 1
        addi    r2, r2, 1
        jmp     cp.byte
cp.done:
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        ret

name_random:
        .asciz  "random"
msg_done:
        .asciz  "filerandom: "
msg_writes:
        .asciz  " writes at random offsets, "
msg_bytes:
        .asciz  " bytes"
msg_failed:
        .asciz  "filerandom: FAILED: "
msg_create:
        .asciz  "fcreate"
msg_seek:
        .asciz  "fseek"
msg_write:
        .asciz  "fwrite"
msg_size:
        .asciz  "the file's size"
msg_differ:
        .asciz  "the file differs from the copy"
        .align  4
record:
        .space  RECORD
shadow:
        .space  4096
readback:
        .space  4096
