; Demand paging and copy-on-write: the page faults a process survives.
;
; A process owns its program's image (from its origin, rounded up to whole
; pages) and its stack page. A page of these that is not present yet is
; filled on its first touch: an image page with its bytes from the loaded
; image, the stack page with zeros (exec builds such address spaces; spawn
; and the processes started at boot get every page at once). A page that
; fork left shared is present, read-only and marked PTE_COW (a bit the MMU
; ignores); the first write to it copies the frame, or, when no other
; address space holds it any more, just makes it writable again. Any other
; fault kills the process (kernel/traps.s, user_fault).
;
; The page's entry changes through PTE_WRITE / PTE_COMMIT like every other
; page-table write, so a shadow-paging monitor sees it and a paravirtual
; one gets it in an mmu_update. An entry that was present may be in the
; TLB, so it is dropped there too (TLB_FLUSH_PAGE); one that was not present
; cannot be.

; do_page_fault: a page fault from ring 3; r13 = the current PCB, r14 = the
; vector. Served if it is one of the two kinds above, else the process is
; killed as before.
do_page_fault:
        READ_FAULT                      ; r0 = the address it touched, r1 = why
        andi    r2, r1, FAULT_WRITE
        shri    r2, r2, 1
        mov     r1, r0
        mov     r3, r13
        call    user_page_fix
        cmpi    r0, 0
        beq     user_fault
        jmp     return_to_user          ; the faulting instruction runs again

; user_page_fix: r1 = a user virtual address, r2 = 1 for a write, r3 = the
; PCB of the process (whose address space is loaded). r0 = 1 if the page is
; now present (and writable, for a write); 0 if this is not a fault the
; kernel serves, or memory ran out. Keeps r8..r14.
user_page_fix:
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        andi    r8, r1, FRAME_MASK      ; the page
        mov     r9, r2
        mov     r10, r3
        li      r5, USER_BASE
        cmp     r8, r5
        bltu    upf.no
        li      r5, USER_TOP
        cmp     r8, r5
        bgeu    upf.no
        shri    r11, r8, PAGE_SHIFT     ; r11 = its entry in the user table
        andi    r11, r11, PT_ENTRIES - 1
        shli    r11, r11, 2
        ld      r5, [r10 + P_PT]
        add     r11, r11, r5
        ld      r12, [r11]
        andi    r5, r12, PTE_P
        cmpi    r5, 0
        beq     upf.absent
        ; Present: only a write to a copy-on-write page is ours.
        cmpi    r9, 0
        beq     upf.no
        andi    r5, r12, PTE_COW
        cmpi    r5, 0
        beq     upf.no
        andi    r1, r12, FRAME_MASK
        call    frame_refcount
        cmpi    r0, 1
        beq     upf.own                 ; the others have gone: it is ours alone
        call    alloc_frame_raw         ; copied over whole: no need to zero it
        cmpi    r0, 0
        beq     upf.no
        mov     r1, r0
        andi    r2, r12, FRAME_MASK
        andi    r12, r12, FRAME_MASK    ; the old frame, to let go of below
        push    r0
        call    copy_frame
        pop     r0
        ori     r5, r0, PTE_USER
        PTE_WRITE r11, r5
        PTE_COMMIT
        TLB_FLUSH_PAGE r8               ; the old read-only translation must go
        mov     r1, r12
        call    free_frame              ; one holder fewer (never the last: it had two)
        call    charge_page
        li      r5, cow_copies
        jmp     upf.count
upf.own:
        andi    r5, r12, ~PTE_COW
        ori     r5, r5, PTE_W
        PTE_WRITE r11, r5
        PTE_COMMIT
        TLB_FLUSH_PAGE r8
        li      r5, cow_reuses
        jmp     upf.count
upf.absent:
        ; Not present: is it in the image, or the stack page?
        ld      r6, [r10 + P_PROG]
        cmpi    r6, 0
        beq     upf.no
        li      r5, USER_STACK_PAGE
        cmp     r8, r5
        beq     upf.stack
        ld      r5, [r6 + BIP_ORIGIN]
        cmp     r8, r5
        bltu    upf.no
        sub     r12, r8, r5             ; r12 = offset of the page in the image
        ld      r5, [r6 + BIP_SIZE]
        cmp     r12, r5
        bgeu    upf.no
        ld      r2, [r6 + BIP_IMAGE]
        add     r2, r2, r12             ; r2 = the page's bytes in the loaded image
        ld      r3, [r6 + BIP_SIZE]
        sub     r3, r3, r12             ; r3 = bytes of the image from there on
        li      r5, PAGE_SIZE
        cmp     r3, r5
        bltu    upf.part
        andi    r5, r2, PAGE_SIZE - 1
        cmpi    r5, 0
        bne     upf.part
        call    alloc_frame_raw         ; a whole aligned page: copied over, no need to zero it
        cmpi    r0, 0
        beq     upf.no
        mov     r1, r0
        push    r0
        call    copy_frame
        pop     r0
        jmp     upf.map
upf.part:
        call    alloc_frame             ; the image's last page: zeroed past its end
        cmpi    r0, 0
        beq     upf.no
        mov     r1, r0
        push    r0
        call    fill_image_page
        pop     r0
        jmp     upf.map
upf.stack:
        call    alloc_frame             ; zero-filled
        cmpi    r0, 0
        beq     upf.no
upf.map:
        ori     r5, r0, PTE_USER
        PTE_WRITE r11, r5
        PTE_COMMIT                      ; it was not present: nothing in the TLB to drop
        call    charge_page
        li      r5, demand_fills
upf.count:
        ld      r6, [r5]
        addi    r6, r6, 1
        st      [r5], r6
        li      r0, 1
        jmp     upf.out
upf.no:
        li      r0, 0
upf.out:
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        ret

; charge_page: r10 = a PCB; its container holds one frame more. Changes r1,
; r2 and r5..r7.
charge_page:
        ld      r1, [r10 + P_NS]
        li      r2, 1
        jmp     cgroup_charge

; report_page_faults: at shutdown, if any page faults were served, one line
; says how many of each kind (nothing otherwise, so a run without fork or
; exec prints what it always did):
;   kernel: page faults served: 12 on demand, 3 copy-on-write (2 copies)
report_page_faults:
        li      r2, demand_fills
        ld      r2, [r2]
        li      r3, cow_copies
        ld      r3, [r3]
        li      r4, cow_reuses
        ld      r4, [r4]
        or      r5, r2, r3
        or      r5, r5, r4
        cmpi    r5, 0
        beq     rpf.out
        li      r1, msg_faults_served
        call    kput_str
        mov     r1, r2
        call    kput_dec
        li      r1, msg_on_demand
        call    kput_str
        add     r1, r3, r4
        call    kput_dec
        li      r1, msg_cow
        call    kput_str
        mov     r1, r3
        call    kput_dec
        li      r1, msg_copies
        cmpi    r3, 1
        bne     rpf.noun
        li      r1, msg_copy
rpf.noun:
        call    kput_str
        call    kflush_line
rpf.out:
        ret

demand_fills:
        .word   0                       ; pages filled on first touch
cow_copies:
        .word   0                       ; copy-on-write faults that copied the frame
cow_reuses:
        .word   0                       ; copy-on-write faults on a frame nobody else held any more
msg_faults_served:
        .asciz  "kernel: page faults served: "
msg_on_demand:
        .asciz  " on demand, "
msg_cow:
        .asciz  " copy-on-write ("
msg_copies:
        .asciz  " copies)"
msg_copy:
        .asciz  " copy)"
        .align  4
