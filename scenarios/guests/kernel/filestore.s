; The file store: system calls 14-19 (include/syscalls.inc), on whichever
; disk front end kernel/disk.s found. Small on purpose: sector 0 holds the
; directory, FS_ENTRIES entries of 32 bytes { name (24 bytes, NUL-padded),
; size, used }; file i owns the FS_FILE_SECTORS sectors from
; FS_FIRST_SECTOR + i * FS_FILE_SECTORS (so a file holds FILE_MAX_SIZE bytes
; and a disk of 64 sectors holds 7 files). A file is named by its number;
; each has one position (kept in memory, not on the disk), shared by whoever
; uses it. Every write is a read-modify-write of the sectors it touches,
; through fs_buf, so the disk only ever sees whole sectors.

        .equ    FS_ENTRIES, 16
        .equ    FS_ENTRY_SIZE, 32
        .equ    FS_NAME, 0
        .equ    FS_NAME_BYTES, 24
        .equ    FS_SIZE, 24
        .equ    FS_USED, 28
        .equ    FS_FIRST_SECTOR, 1
        .equ    FS_FILE_SECTORS, FILE_MAX_SIZE / SECTOR_SIZE
        .if FS_FILE_SECTORS > DISK_MAX_BATCH
        .error "a file's sectors must fit in one batch of disk_io"
        .endif

; fcreate(name) -> fd, or -1
sys_fcreate:
        push    r8
        push    r9
        push    r11
        mov     r11, r4
        mov     r8, r1
        call    fs_start
        cmpi    r0, 0
        bne     fcr.fail
        mov     r1, r8
        mov     r4, r11
        call    fs_name_in
        cmpi    r0, 0
        beq     fcr.fail
        call    fs_find
        cmpi    r0, -1
        bne     fcr.empty                ; it exists: emptied
        li      r8, 0                   ; else the first free entry
fcr.scan:
        cmpi    r8, FS_ENTRIES
        beq     fcr.fail
        shli    r9, r8, 5
        addi    r9, r9, fs_dir
        ld      r1, [r9 + FS_USED]
        cmpi    r1, 0
        bne     fcr.next
        addi    r1, r8, 1               ; does its last sector lie on the disk?
        muli    r1, r1, FS_FILE_SECTORS
        addi    r1, r1, FS_FIRST_SECTOR
        li      r2, fs_sectors
        ld      r2, [r2]
        cmp     r2, r1
        bltu    fcr.fail                 ; no, nor any later one's
        mov     r1, r9
        li      r2, fs_name
        li      r3, FS_NAME_BYTES
        call    copy_bytes
        li      r1, 1
        st      [r9 + FS_USED], r1
        mov     r0, r8
        jmp     fcr.empty
fcr.next:
        addi    r8, r8, 1
        jmp     fcr.scan
fcr.empty:
        mov     r8, r0
        shli    r9, r8, 5
        addi    r9, r9, fs_dir
        li      r1, 0
        st      [r9 + FS_SIZE], r1
        shli    r2, r8, 2
        addi    r2, r2, fs_pos
        st      [r2], r1
        call    fs_save_dir
        cmpi    r0, 0
        bne     fcr.fail
        mov     r0, r8
        jmp     fcr.out
fcr.fail:
        li      r0, -1
fcr.out:
        pop     r11
        pop     r9
        pop     r8
        ret

; fopen(name) -> fd, or -1
sys_fopen:
        push    r8
        push    r11
        mov     r11, r4
        mov     r8, r1
        call    fs_start
        cmpi    r0, 0
        bne     fo.fail
        mov     r1, r8
        mov     r4, r11
        call    fs_name_in
        cmpi    r0, 0
        beq     fo.fail
        call    fs_find
        cmpi    r0, -1
        beq     fo.out
        shli    r2, r0, 2
        addi    r2, r2, fs_pos
        li      r1, 0
        st      [r2], r1
        jmp     fo.out
fo.fail:
        li      r0, -1
fo.out:
        pop     r11
        pop     r8
        ret

; fseek(fd, offset) -> 0, or -1
sys_fseek:
        mov     r5, r2
        call    fs_entry
        cmpi    r0, 0
        beq     fs.fail
        li      r2, FILE_MAX_SIZE
        cmp     r2, r5
        bltu    fs.fail
        shli    r2, r1, 2
        addi    r2, r2, fs_pos
        st      [r2], r5
        li      r0, 0
        ret
fs.fail:
        li      r0, -1
        ret

; fwrite(fd, buffer, length) -> length, or -1
; fread(fd, buffer, length) -> bytes read, or -1
; Both go through fs_transfer: r8 = fd, r9 = buffer, r10 = length,
; r11 = the caller's PCB, r12 = the file's directory entry, r13 = which.
sys_fwrite:
        li      r5, DISK_WRITE
        jmp     fs_transfer
sys_fread:
        li      r5, DISK_READ
fs_transfer:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        push    r13
        mov     r8, r1
        mov     r9, r2
        mov     r10, r3
        mov     r11, r4
        mov     r13, r5
        call    fs_entry
        cmpi    r0, 0
        beq     ft.fail
        mov     r12, r0
        cmpi    r13, DISK_READ
        beq     ft.read
        li      r0, 0
        cmpi    r10, 0
        beq     ft.out
        li      r1, FILE_MAX_SIZE       ; the length first, so position + length cannot wrap
        cmp     r1, r10
        bltu    ft.fail
        call    fs_position             ; r0 = position
        add     r1, r0, r10
        li      r2, FILE_MAX_SIZE
        cmp     r2, r1
        bltu    ft.fail
        mov     r1, r9
        mov     r2, r10
        li      r3, 0
        mov     r4, r11
        call    user_range_ok
        cmpi    r0, 0
        beq     ft.fail
        call    fs_position             ; read the sectors touched, put the bytes in, write them back
        mov     r1, r8
        mov     r2, r0
        mov     r3, r10
        call    fs_extent
        push    r2
        push    r4
        li      r1, DISK_READ
        li      r3, fs_buf
        call    disk_io
        cmpi    r0, 0
        bne     ft.fail2
        call    fs_position
        andi    r1, r0, SECTOR_SIZE - 1
        addi    r1, r1, fs_buf
        mov     r2, r9
        mov     r3, r10
        call    copy_bytes
        pop     r4
        pop     r2
        li      r1, DISK_WRITE
        li      r3, fs_buf
        call    disk_io
        cmpi    r0, 0
        bne     ft.fail
        call    fs_position             ; the position moves on; the size grows past it
        add     r0, r0, r10
        st      [r1], r0
        ld      r2, [r12 + FS_SIZE]
        cmp     r2, r0
        bgeu    ft.done
        st      [r12 + FS_SIZE], r0
        call    fs_save_dir
        cmpi    r0, 0
        bne     ft.fail
ft.done:
        mov     r0, r10
        jmp     ft.out
ft.fail2:
        addi    sp, sp, 8
ft.fail:
        li      r0, -1
ft.out:
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

ft.read:
        call    fs_position
        ld      r2, [r12 + FS_SIZE]     ; what is left to read
        sub     r2, r2, r0
        ld      r3, [r12 + FS_SIZE]
        cmp     r0, r3
        bgeu    ft.none                 ; at or past the end
        cmp     r10, r2
        bltu    ft.sized
        mov     r10, r2
ft.sized:
        cmpi    r10, 0
        beq     ft.none
        mov     r1, r9
        mov     r2, r10
        li      r3, 1
        mov     r4, r11
        call    user_range_ok
        cmpi    r0, 0
        beq     ft.fail
        call    fs_position
        mov     r1, r8
        mov     r2, r0
        mov     r3, r10
        call    fs_extent
        li      r1, DISK_READ
        li      r3, fs_buf
        call    disk_io
        cmpi    r0, 0
        bne     ft.fail
        call    fs_position
        mov     r1, r9
        andi    r2, r0, SECTOR_SIZE - 1
        addi    r2, r2, fs_buf
        mov     r3, r10
        call    copy_bytes
        call    fs_position
        add     r0, r0, r10
        st      [r1], r0
        mov     r0, r10
        jmp     ft.out
ft.none:
        li      r0, 0
        jmp     ft.out

; flist(buffer, length) -> bytes: each file's name and a newline
sys_flist:
        push    r8
        push    r9
        push    r10
        push    r11
        mov     r8, r1
        mov     r9, r2
        mov     r11, r4
        call    fs_start
        cmpi    r0, 0
        bne     fl.fail
        li      r1, fs_buf              ; the list is built in fs_buf
        li      r2, fs_dir
        li      r3, fs_dir + FS_ENTRIES * FS_ENTRY_SIZE
fl.entry:
        cmp     r2, r3
        bgeu    fl.built
        ld      r4, [r2 + FS_USED]
        cmpi    r4, 0
        beq     fl.next
        mov     r5, r2
fl.char:
        ldb     r4, [r5]
        cmpi    r4, 0
        beq     fl.line
        stb     [r1], r4
        addi    r1, r1, 1
        addi    r5, r5, 1
        jmp     fl.char
fl.line:
        li      r4, 10
        stb     [r1], r4
        addi    r1, r1, 1
fl.next:
        addi    r2, r2, FS_ENTRY_SIZE
        jmp     fl.entry
fl.built:
        li      r10, fs_buf
        sub     r10, r1, r10            ; bytes in the list
        cmp     r9, r10
        bgeu    fl.sized
        mov     r10, r9
fl.sized:
        li      r0, 0
        cmpi    r10, 0
        beq     fl.out
        mov     r1, r8
        mov     r2, r10
        li      r3, 1
        mov     r4, r11
        call    user_range_ok
        cmpi    r0, 0
        beq     fl.fail
        mov     r1, r8
        li      r2, fs_buf
        mov     r3, r10
        call    copy_bytes
        mov     r0, r10
        jmp     fl.out
fl.fail:
        li      r0, -1
fl.out:
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; ---- helpers (they change r0..r7) ------------------------------------------

; fs_start -> r0 = 0 when the disk is there and the directory read, else -1.
; The first file system call finds the disk; later ones find it found.
fs_start:
        li      r1, fs_sectors
        ld      r0, [r1]
        cmpi    r0, 0
        bne     fst.ready
        call    disk_probe
        cmpi    r0, 0
        beq     fst.fail
        li      r1, fs_sectors
        st      [r1], r0
        li      r1, DISK_READ
        li      r2, 0
        li      r3, fs_dir
        li      r4, 1
        call    disk_io
        cmpi    r0, 0
        bne     fst.fail
        ret
fst.ready:
        li      r0, 0
        ret
fst.fail:
        li      r1, fs_sectors          ; try again next time
        li      r0, 0
        st      [r1], r0
        li      r0, -1
        ret

; fs_save_dir -> r0 = 0, or -1
fs_save_dir:
        li      r1, DISK_WRITE
        li      r2, 0
        li      r3, fs_dir
        li      r4, 1
        jmp     disk_io

; fs_name_in: r1 = the caller's name, r4 = its PCB -> r0 = 1 with the name
; in fs_name (NUL-padded, at most FILE_NAME_MAX bytes), or 0 for a bad
; pointer or an empty name.
fs_name_in:
        push    r1
        li      r2, FILE_NAME_MAX + 1
        li      r3, 0
        call    user_range_ok
        pop     r2
        cmpi    r0, 0
        beq     fni.out
        li      r1, fs_name
        li      r3, FS_NAME_BYTES
        call    copy_bytes
        li      r1, fs_name             ; pad with NULs after the first one
        li      r2, fs_name + FILE_NAME_MAX
        li      r3, 0
        stb     [r2], r3                ; a longer name is cut
fni.find:
        ldb     r4, [r1]
        cmpi    r4, 0
        beq     fni.pad
        addi    r1, r1, 1
        jmp     fni.find
fni.pad:
        li      r0, 1
        cmpi    r1, fs_name
        bne     fni.zero
        li      r0, 0                   ; empty
fni.zero:
        cmp     r1, r2
        bgeu    fni.out
        stb     [r1], r3
        addi    r1, r1, 1
        jmp     fni.zero
fni.out:
        ret

; fs_find -> r0 = the number of the used entry named fs_name, or -1
fs_find:
        li      r0, 0
ffd.entry:
        cmpi    r0, FS_ENTRIES
        beq     ffd.none
        shli    r1, r0, 5
        addi    r1, r1, fs_dir
        ld      r2, [r1 + FS_USED]
        cmpi    r2, 0
        beq     ffd.next
        li      r2, fs_name
        li      r3, 0
ffd.word:
        cmpi    r3, FS_NAME_BYTES
        beq     ffd.out                  ; every word the same
        add     r4, r1, r3
        ld      r4, [r4]
        add     r5, r2, r3
        ld      r5, [r5]
        cmp     r4, r5
        bne     ffd.next
        addi    r3, r3, 4
        jmp     ffd.word
ffd.next:
        addi    r0, r0, 1
        jmp     ffd.entry
ffd.none:
        li      r0, -1
ffd.out:
        ret

; fs_entry: r1 = fd -> r0 = its directory entry, or 0 if it names no file (r1 kept)
fs_entry:
        li      r0, 0
        cmpi    r1, FS_ENTRIES
        bgeu    fe.out
        shli    r2, r1, 5
        addi    r2, r2, fs_dir
        ld      r3, [r2 + FS_USED]
        cmpi    r3, 0
        beq     fe.out
        mov     r0, r2
fe.out:
        ret

; fs_position: r8 = fd -> r0 = its position, r1 = where it is kept
fs_position:
        shli    r1, r8, 2
        addi    r1, r1, fs_pos
        ld      r0, [r1]
        ret

; fs_extent: r1 = fd, r2 = position, r3 = length (> 0) -> r2 = the first
; disk sector those bytes lie on, r4 = how many sectors they span
fs_extent:
        add     r4, r2, r3
        addi    r4, r4, -1
        shri    r4, r4, 9
        shri    r2, r2, 9
        sub     r4, r4, r2
        addi    r4, r4, 1
        muli    r5, r1, FS_FILE_SECTORS
        addi    r5, r5, FS_FIRST_SECTOR
        add     r2, r2, r5
        ret

fs_sectors:
        .word   0                       ; the disk's size once found; 0 = not yet
fs_pos:
        .space  4 * FS_ENTRIES
fs_name:
        .space  FS_NAME_BYTES
        .align  512
fs_dir:
        .space  SECTOR_SIZE
fs_buf:
        .space  FILE_MAX_SIZE
