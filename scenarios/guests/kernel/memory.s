; Physical memory and page tables.
;
; Physical memory below IDENTITY_LIMIT (4 MiB) is mapped at the same virtual
; addresses, supervisor-only, in every address space: so the kernel reaches
; any frame, its own data and every page table by its physical address, and
; a switch of address space never moves the kernel. Ring 3 sees none of it
; (no U bit), so a user access below USER_BASE page-faults.
;
; Every free frame above the loaded images is on a stack of frame addresses
; (the free-frame list); a frame is zeroed when it is handed out, or copied
; over whole, so no process ever sees another's old data. A frame in use has
; a reference count: the address spaces that share it copy-on-write after a
; fork (kernel/fork.s), or 1; it goes back on the stack when the last lets go.
;
; Interrupt handlers never allocate or free memory, and the kernel is never
; preempted, so none of this needs a critical section.

; ---- scanning page tables ------------------------------------------------

; ANY_OF_EIGHT acc, tmp, base: acc = the OR of the eight entries at base.
; Most of a user table is empty (a program uses a few pages at the bottom
; and the stack at the top), so walks look at eight entries at once.
        .macro  ANY_OF_EIGHT acc, tmp, base
        ld      \acc, [\base]
        ld      \tmp, [\base + 4]
        or      \acc, \acc, \tmp
        ld      \tmp, [\base + 8]
        or      \acc, \acc, \tmp
        ld      \tmp, [\base + 12]
        or      \acc, \acc, \tmp
        ld      \tmp, [\base + 16]
        or      \acc, \acc, \tmp
        ld      \tmp, [\base + 20]
        or      \acc, \acc, \tmp
        ld      \tmp, [\base + 24]
        or      \acc, \acc, \tmp
        ld      \tmp, [\base + 28]
        or      \acc, \acc, \tmp
        .endm

; ---- the free-frame stack -------------------------------------------------

; frames_init: r1 = first free physical address, r2 = end of usable memory
; (both page aligned). Pushed from the top down so that the lowest frames
; come out first, which makes listings and traces easier to follow.
frames_init:
        li      r4, 0                   ; frames pushed
        mov     r5, r2
fi.loop:
        cmp     r1, r5                  ; nothing left between r1 and r5?
        bgeu    fi.done
        addi    r5, r5, -PAGE_SIZE
        shli    r6, r4, 2
        st      [r6 + frame_stack], r5
        addi    r4, r4, 1
        jmp     fi.loop
fi.done:
        li      r3, free_count
        st      [r3], r4
        ret

; alloc_frame: r0 = physical address of a zero-filled frame, or 0 if memory
; has run out. Its reference count is 1: one address space (or the kernel)
; holds it.
alloc_frame:
        call    alloc_frame_raw
        cmpi    r0, 0
        beq     af.out
        push    r1
        mov     r1, r0
        call    zero_frame
        pop     r1
af.out:
        ret

; alloc_frame_raw: as alloc_frame, but the frame keeps whatever it held: for
; a caller that overwrites all of it at once (a copy-on-write copy).
alloc_frame_raw:
        push    r1
        push    r2
        li      r1, free_count
        ld      r2, [r1]
        cmpi    r2, 0
        beq     afr.none
        addi    r2, r2, -1
        st      [r1], r2
        shli    r2, r2, 2
        ld      r0, [r2 + frame_stack]
        shri    r2, r0, PAGE_SHIFT
        li      r1, 1
        stb     [r2 + frame_refs], r1
        pop     r2
        pop     r1
        ret
afr.none:
        li      r0, 0
        pop     r2
        pop     r1
        ret

; free_frame: r1 = physical address of a frame its holder no longer uses.
; One reference fewer; the frame goes back on the stack only when that was
; the last one (a frame shared copy-on-write by several address spaces
; stays with the others). r0 = 1 if it went back, 0 if others still hold it.
free_frame:
        push    r2
        push    r3
        shri    r2, r1, PAGE_SHIFT
        ldb     r3, [r2 + frame_refs]
        addi    r3, r3, -1
        stb     [r2 + frame_refs], r3
        li      r0, 0
        cmpi    r3, 0
        bne     ff.out
        li      r2, free_count
        ld      r3, [r2]
        shli    r3, r3, 2
        st      [r3 + frame_stack], r1
        shri    r3, r3, 2
        addi    r3, r3, 1
        st      [r2], r3
        li      r0, 1
ff.out:
        pop     r3
        pop     r2
        ret

; frame_share: r1 = a frame in use; one more address space holds it.
; Changes only r5 and r6.
frame_share:
        shri    r5, r1, PAGE_SHIFT
        ldb     r6, [r5 + frame_refs]
        addi    r6, r6, 1
        stb     [r5 + frame_refs], r6
        ret

; frame_refcount: r1 = a frame; r0 = how many hold it. Changes only r5.
frame_refcount:
        shri    r5, r1, PAGE_SHIFT
        ldb     r0, [r5 + frame_refs]
        ret

; zero_frame: r1 = frame address. Eight stores per turn of the loop keep the
; cost of a fresh page down (it is paid on every spawn and every map).
zero_frame:
        push    r1
        push    r2
        push    r3
        li      r2, 0
        addi    r3, r1, PAGE_SIZE
zf.loop:
        st      [r1], r2
        st      [r1 + 4], r2
        st      [r1 + 8], r2
        st      [r1 + 12], r2
        st      [r1 + 16], r2
        st      [r1 + 20], r2
        st      [r1 + 24], r2
        st      [r1 + 28], r2
        addi    r1, r1, 32
        cmp     r1, r3
        bne     zf.loop
        pop     r3
        pop     r2
        pop     r1
        ret

; copy_frame: r1 = destination frame, r2 = source frame (physical = virtual
; here). Eight words per turn, as zero_frame. Changes r1..r4.
copy_frame:
        addi    r3, r2, PAGE_SIZE
cf.loop:
        ld      r4, [r2]
        st      [r1], r4
        ld      r4, [r2 + 4]
        st      [r1 + 4], r4
        ld      r4, [r2 + 8]
        st      [r1 + 8], r4
        ld      r4, [r2 + 12]
        st      [r1 + 12], r4
        ld      r4, [r2 + 16]
        st      [r1 + 16], r4
        ld      r4, [r2 + 20]
        st      [r1 + 20], r4
        ld      r4, [r2 + 24]
        st      [r1 + 24], r4
        ld      r4, [r2 + 28]
        st      [r1 + 28], r4
        addi    r1, r1, 32
        addi    r2, r2, 32
        cmp     r2, r3
        bne     cf.loop
        ret

; copy_bytes: r1 = destination, r2 = source, r3 = byte count (virtual
; addresses of the current address space; kernel ones are physical too).
; Whole words while both ends are word aligned, then the odd bytes.
copy_bytes:
        or      r4, r1, r2
        andi    r4, r4, 3
        cmpi    r4, 0
        bne     cb.bytes
        andi    r5, r3, 0xFFFFFFFC      ; the whole words
        add     r5, r5, r2              ; where they end in the source
cb.words:
        cmp     r2, r5
        bgeu    cb.words_done
        ld      r4, [r2]
        st      [r1], r4
        addi    r1, r1, 4
        addi    r2, r2, 4
        jmp     cb.words
cb.words_done:
        andi    r3, r3, 3               ; 0..3 bytes left
cb.bytes:
        add     r3, r3, r2              ; end of the source
cb.byte:
        cmp     r2, r3
        bgeu    cb.done
        ldb     r4, [r2]
        stb     [r1], r4
        addi    r1, r1, 1
        addi    r2, r2, 1
        jmp     cb.byte
cb.done:
        ret

; ---- the kernel's own map -------------------------------------------------

; map_kernel: r1 = end of the memory the kernel uses. Fills kernel_pt with
; the identity map of [0, r1) and points kernel_pd's first entry at it. This
; table is shared: every process's page directory points at it too.
map_kernel:
        li      r2, 0                   ; physical address = virtual address
        li      r3, kernel_pt           ; the entry for it
mk.loop:
        cmp     r2, r1
        bgeu    mk.dir
        ori     r4, r2, PTE_KERNEL
        PTE_WRITE r3, r4
        addi    r2, r2, PAGE_SIZE
        addi    r3, r3, 4
        jmp     mk.loop
mk.dir:
        li      r3, kernel_pd
        li      r4, kernel_pt + PTE_KERNEL
        PTE_WRITE r3, r4
        PTE_COMMIT
        ret

; ---- process address spaces ----------------------------------------------

; new_address_space: r1 = a program's entry in the boot information.
; r0 = physical address of a new page directory, r1 = its user page table;
; r0 = 0 when the image does not fit the user layout or memory runs out
; (nothing is leaked then). The directory holds the shared kernel table at
; entry 0 (supervisor only) and the empty user table at entry 1. The two
; entries are queued (PTE_WRITE), not committed: the caller commits.
new_address_space:
        ld      r2, [r1 + BIP_ORIGIN]
        ld      r3, [r1 + BIP_SIZE]
        ; the image must start on a page inside user space and end below the stack
        andi    r4, r2, PAGE_SIZE - 1
        cmpi    r4, 0
        bne     nas.unusable
        li      r4, USER_BASE
        cmp     r2, r4
        bltu    nas.unusable
        add     r4, r2, r3
        cmp     r4, r2
        bltu    nas.unusable            ; wrapped past 4 GiB
        li      r5, USER_STACK_PAGE
        cmp     r5, r4
        bltu    nas.unusable
        call    alloc_frame             ; the directory
        cmpi    r0, 0
        beq     nas.unusable
        mov     r2, r0
        call    alloc_frame             ; the user page table
        cmpi    r0, 0
        beq     nas.no_table
        mov     r1, r0
        li      r4, kernel_pt + PTE_KERNEL
        PTE_WRITE r2, r4                ; entry 0: the kernel, as everywhere
        addi    r4, r2, USER_PDE * 4
        ori     r5, r1, PTE_USER
        PTE_WRITE r4, r5                ; entry 1: this process's own table
        mov     r0, r2
        ret
nas.no_table:
        mov     r1, r2
        call    free_frame
nas.unusable:
        li      r0, 0
        ret

; demand_address_space: r1 = a program's entry in the boot information.
; As build_address_space, but nothing is mapped yet: every page of the
; image and the stack comes on first touch (kernel/paging.s). r0 = the
; directory or 0, r1 = the frames it took (2).
demand_address_space:
        call    new_address_space
        cmpi    r0, 0
        beq     das.out
        PTE_COMMIT
        li      r1, 2
das.out:
        ret

; build_address_space: r1 = a program's entry in the boot information.
; Returns r0 = physical address of a new page directory, or 0 when the image
; does not fit the user layout or memory runs out (nothing is leaked then);
; and r1 = the number of frames it took (for the cgroup's account).
; The new space (new_address_space) filled at once, as spawn wants it: a
; private COPY of the program image at its origin (so two processes of one
; program never share writable data) and one stack page just below
; USER_STACK_TOP.
build_address_space:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        push    r13
        push    r14
        mov     r8, r1
        ld      r9, [r8 + BIP_ORIGIN]
        ld      r10, [r8 + BIP_SIZE]
        call    new_address_space
        cmpi    r0, 0
        beq     bas.out
        mov     r11, r0
        mov     r12, r1
        ; the image, one fresh page at a time
        li      r13, 0                  ; offset into the image
bas.page:
        cmp     r13, r10
        bgeu    bas.stack
        call    alloc_frame
        cmpi    r0, 0
        beq     bas.undo
        mov     r14, r0
        mov     r1, r14
        ld      r2, [r8 + BIP_IMAGE]
        add     r2, r2, r13
        sub     r3, r10, r13            ; bytes left
        call    fill_image_page
        add     r4, r9, r13             ; the virtual page it belongs at
        shri    r4, r4, PAGE_SHIFT
        andi    r4, r4, PT_ENTRIES - 1
        shli    r4, r4, 2
        add     r4, r4, r12
        ori     r5, r14, PTE_USER
        PTE_WRITE r4, r5
        addi    r13, r13, PAGE_SIZE
        jmp     bas.page
bas.stack:
        call    alloc_frame
        cmpi    r0, 0
        beq     bas.undo
        addi    r4, r12, ((USER_STACK_PAGE >> PAGE_SHIFT) & (PT_ENTRIES - 1)) * 4
        ori     r5, r0, PTE_USER
        PTE_WRITE r4, r5
        PTE_COMMIT                      ; one batch for the whole address space
        mov     r0, r11
        addi    r1, r10, PAGE_SIZE - 1  ; frames: the image's pages, the directory, the table, the stack
        shri    r1, r1, PAGE_SHIFT
        addi    r1, r1, 3
        jmp     bas.out
bas.undo:
        ; out of memory half way: hand back what was taken
        PTE_COMMIT                      ; the table must hold what we queued before we walk it
        mov     r1, r11
        call    free_address_space
        li      r0, 0
bas.out:
        pop     r14
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; fill_image_page: r1 = a zero-filled frame, r2 = where its page of the
; image starts (physical), r3 = bytes of the image from there on. Copies at
; most a page of it. Changes r1..r5.
fill_image_page:
        li      r4, PAGE_SIZE
        cmp     r3, r4
        bltu    fip.copy
        mov     r3, r4                  ; at most a page at a time
fip.copy:
        jmp     copy_bytes

; release_user_pages: r1 = a user page table (physical). Clears every
; entry that maps a page and drops its hold on the page (a page shared
; copy-on-write stays with the others), as a kernel unmaps a dying process's
; memory: entry by entry, each a page-table write, so a monitor shadowing
; the table sees them. Commits the writes. r0 = frames that went back.
release_user_pages:
        push    r10
        push    r11
        push    r12
        push    r13
        mov     r10, r1                 ; r10 walks the entries
        addi    r11, r1, PAGE_SIZE      ; r11 = the table's end
        li      r13, 0                  ; frames given back
rup.group:
        ANY_OF_EIGHT r4, r5, r10
        andi    r4, r4, PTE_P
        cmpi    r4, 0
        beq     rup.skip_group
        addi    r12, r10, 32            ; something here: entry by entry
rup.entry:
        ld      r1, [r10]
        andi    r4, r1, PTE_P
        cmpi    r4, 0
        beq     rup.next
        andi    r1, r1, FRAME_MASK
        call    free_frame
        add     r13, r13, r0            ; 0 if another address space still shares it
        li      r4, 0
        PTE_WRITE r10, r4
rup.next:
        addi    r10, r10, 4
        cmp     r10, r12
        bne     rup.entry
        jmp     rup.more
rup.skip_group:
        addi    r10, r10, 32
rup.more:
        cmp     r10, r11
        bne     rup.group
        PTE_COMMIT
        mov     r0, r13
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        ret

; free_address_space: r1 = a page directory built by new_address_space (or
; copied by fork), not the one in use. Releases the pages its user table
; still maps, then frees the table and the directory. r0 = how many frames
; went back to the free stack.
free_address_space:
        push    r8
        push    r9
        mov     r8, r1
        ld      r9, [r8 + USER_PDE * 4]
        andi    r1, r9, FRAME_MASK      ; the user table (0: none)
        andi    r9, r9, PTE_P
        cmpi    r9, 0
        beq     fas.tables
        call    release_user_pages
        mov     r9, r0
fas.tables:
        mov     r1, r8
        call    free_page_tables
        add     r0, r0, r9
        pop     r9
        pop     r8
        ret

; free_page_tables: r1 = a page directory whose user table maps nothing any
; more, not the one in use. Frees the table and the directory. r0 = frames
; that went back.
free_page_tables:
        push    r8
        push    r9
        push    r13
        mov     r8, r1
        li      r13, 0                  ; frames given back
        ld      r9, [r8 + USER_PDE * 4]
        andi    r4, r9, PTE_P
        andi    r9, r9, FRAME_MASK
        cmpi    r4, 0
        bne     fpt.unlink
        li      r9, 0                   ; no user table
fpt.unlink:
        ; Clear the two directory entries before the frames go back. The
        ; native kernel could skip this (the directory is dead), but a
        ; paravirtual monitor tracks which frames are page tables from the
        ; updates it is sent, and this tells it these no longer are.
        li      r4, 0
        PTE_WRITE r8, r4
        addi    r5, r8, USER_PDE * 4
        PTE_WRITE r5, r4
        PTE_COMMIT
        cmpi    r9, 0
        beq     fpt.dir
        mov     r1, r9
        call    free_frame
        add     r13, r13, r0
fpt.dir:
        mov     r1, r8
        call    free_frame
        add     r0, r0, r13
        pop     r13
        pop     r9
        pop     r8
        ret

; ---- memory accounting per container (cgroup memory.current / memory.peak)

; cgroup_charge: r1 = a namespace, r2 = frames its processes just took
; (negative: gave back). Keeps the namespace's count of frames in use and
; the most it ever had. The kernel itself reads neither: they are there for
; the platform to read, as cgroup v2 shows memory.current and memory.peak.
; Changes only r5..r7.
cgroup_charge:
        shli    r5, r1, 2
        ld      r6, [r5 + cgroup_pages]
        add     r6, r6, r2
        st      [r5 + cgroup_pages], r6
        ld      r7, [r5 + cgroup_peak]
        cmp     r7, r6
        bgeu    cgc.out
        st      [r5 + cgroup_peak], r6
cgc.out:
        ret

; ---- checking user addresses ---------------------------------------------

; user_range_ok: r1 = address, r2 = length, r3 = 1 if the kernel will write
; there, r4 = the process's PCB. r0 = 1 if every byte is in user space and
; on a page the process may access that way, else 0. The kernel checks
; before it touches user memory, so a bad pointer in a system call is an
; error returned to the caller, never a fault inside the kernel; and a page
; the process owns but has not touched yet (or shares copy-on-write, for a
; write) is made ready first, as the process's own touch would.
user_range_ok:
        cmpi    r2, 0
        beq     uro.yes
        add     r5, r1, r2              ; one past the last byte
        cmp     r5, r1
        bltu    uro.no                  ; wrapped past 4 GiB
        li      r6, USER_BASE
        cmp     r1, r6
        bltu    uro.no
        li      r6, USER_TOP
        cmp     r6, r5
        bltu    uro.no
        ld      r7, [r4 + P_PT]
        li      r6, PTE_P | PTE_U       ; what every page needs
        cmpi    r3, 0
        beq     uro.first
        ori     r6, r6, PTE_W
uro.first:
        andi    r1, r1, FRAME_MASK      ; walk page by page
uro.page:
        shri    r3, r1, PAGE_SHIFT
        andi    r3, r3, PT_ENTRIES - 1
        shli    r3, r3, 2
        add     r3, r3, r7
        ld      r3, [r3]
        and     r3, r3, r6
        cmp     r3, r6
        beq     uro.next
        ; Not usable as it is: perhaps a page not touched yet, or one shared
        ; copy-on-write that the kernel is about to write. Made ready as a
        ; fault from the process would make it (kernel/paging.s), or refused.
        push    r1
        push    r4
        push    r5
        push    r6
        push    r7
        andi    r2, r6, PTE_W
        shri    r2, r2, 1               ; 1: a write
        mov     r3, r4
        call    user_page_fix
        pop     r7
        pop     r6
        pop     r5
        pop     r4
        pop     r1
        cmpi    r0, 0
        beq     uro.no
uro.next:
        addi    r1, r1, PAGE_SIZE
        cmp     r1, r5
        bltu    uro.page
uro.yes:
        li      r0, 1
        ret
uro.no:
        li      r0, 0
        ret

; user_pte_address: r1 = virtual address, r4 = PCB. r0 = physical address of
; the entry that maps it in the process's user table, or 0 when r1 is not
; a page-aligned address in user space.
user_pte_address:
        andi    r5, r1, PAGE_SIZE - 1
        cmpi    r5, 0
        bne     upa.bad
        li      r5, USER_BASE
        cmp     r1, r5
        bltu    upa.bad
        li      r5, USER_TOP
        cmp     r1, r5
        bgeu    upa.bad
        shri    r5, r1, PAGE_SHIFT
        andi    r5, r5, PT_ENTRIES - 1
        shli    r5, r5, 2
        ld      r0, [r4 + P_PT]
        add     r0, r0, r5
        ret
upa.bad:
        li      r0, 0
        ret

free_count:
        .word   0                       ; frames on the stack
free_at_boot:
        .word   0                       ; free_count before the first process: the leak check
memory_end:
        .word   0                       ; end of the memory the kernel manages (and its identity map reaches)
frame_refs:
        .space  IDENTITY_LIMIT >> PAGE_SHIFT    ; per frame: how many hold it (address spaces sharing it, or 1)
cgroup_pages:
        .space  NNS * 4                 ; per namespace: frames its processes hold now
cgroup_peak:
        .space  NNS * 4                 ; per namespace: the most they ever held at once
