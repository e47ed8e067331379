; pagefault: ITERS demand page faults - lmbench's page-fault latency in
; Barham et al. The program execs itself first, so that its address space
; is demand-paged (kernel/fork.s; a process started at boot gets every page
; at once), then reads one word of each of ITERS pages it has not touched
; yet: each read is a page fault the kernel serves by filling the page from
; the program's image (kernel/paging.s), and the load runs again.

        .include "workload.inc"
        .equ    EXECED, 1
        ; The untouched pages are part of the image, and the process started
        ; at boot gets its image at once: a fixed number of them keeps that
        ; cost the same whatever ITERS is, so it cancels between two runs.
        .equ    MAX_PAGES, 64
        .if     ITERS > MAX_PAGES
        .error  "pagefault.s touches at most MAX_PAGES pages"
        .endif

_start:
        cmpi    r1, EXECED
        beq     touch
        mov     r1, r2                  ; ourselves, demand-paged
        li      r2, EXECED
        SYS     SYS_EXEC
        jmp     failed                  ; exec returned: it was refused
touch:
        li      r8, pages
        li      r9, 0
touch.page:
        ld      r1, [r8]                ; not touched yet: a page fault
        addi    r8, r8, USER_PAGE_SIZE
        addi    r9, r9, 1
        cmpi    r9, ITERS
        blt     touch.page
        li      r1, 0
        call    exit

        .align  4096
pages:
        .space  MAX_PAGES * USER_PAGE_SIZE
