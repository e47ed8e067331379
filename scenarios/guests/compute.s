; compute: a compute-bound program. It runs the sieve of Eratosthenes over
; a 10000-byte table in its own data ROUNDS times - about 17 million
; instructions, nearly all in ring 3, with loads and stores through the MMU -
; and says very little, since every byte of output is a port access (and
; under most monitors an exit):
;       compute: pid 1 half way: 50 of 100 rounds
;       compute: pid 1 done: 100 rounds, 1229 primes below 10000, sum 5736396
; Two copies started together share the CPU one time slice at a time, so
; both are half way before either is done:
;       compute: pid 1 half way: 50 of 100 rounds
;       compute: pid 2 half way: 50 of 100 rounds
;       compute: pid 1 done: ...
;       compute: pid 2 done: ...
; That is preemption made visible. Each copy has its own private table (the
; kernel copies the image for every process).

        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"

        .equ    LIMIT, 10000
        .ifndef ROUNDS
        .equ    ROUNDS, 100
        .endif

_start:
        SYS     SYS_GETPID
        mov     r8, r0                  ; r8 = pid
        li      r9, 1                   ; r9 = round
round:
        call    sieve
        mov     r10, r0                 ; primes found
        mov     r11, r1                 ; their sum
        cmpi    r9, ROUNDS / 2
        bne     round.next
        li      r1, msg_pid             ; "compute: pid 1 half way: 50 of 100 rounds"
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_half
        call    put_str
        mov     r1, r9
        call    put_dec
        li      r1, msg_of
        call    put_str
        li      r1, ROUNDS
        call    put_dec
        li      r1, msg_rounds
        call    put_str
        call    end_line
round.next:
        addi    r9, r9, 1
        cmpi    r9, ROUNDS
        ble     round

        li      r1, msg_pid             ; "compute: pid 1 done: 100 rounds, 1229 primes below 10000, sum 5736396"
        call    put_str
        mov     r1, r8
        call    put_dec
        li      r1, msg_done
        call    put_str
        li      r1, ROUNDS
        call    put_dec
        li      r1, msg_rounds_comma
        call    put_str
        mov     r1, r10
        call    put_dec
        li      r1, msg_below
        call    put_str
        li      r1, msg_sum
        call    put_str
        mov     r1, r11
        call    put_dec
        call    end_line
        li      r1, 0
        call    exit

; sieve: r0 = how many primes are below LIMIT, r1 = their sum.
; table[n] ends up 1 exactly when n is prime.
sieve:
        li      r3, LIMIT
        ; every number from 2 on starts as a candidate
        li      r1, 0
        li      r2, 1
sv.fill:
        stb     [r1 + table], r2
        addi    r1, r1, 1
        cmp     r1, r3
        blt     sv.fill
        li      r2, 0
        stb     [r2 + table], r2        ; 0 and 1 are not prime
        stb     [r2 + table + 1], r2
        ; cross out the multiples of each prime p, from p * p on
        li      r1, 2
sv.prime:
        mul     r4, r1, r1
        cmp     r4, r3
        bge     sv.count                ; p * p past the end: done
        ldb     r5, [r1 + table]
        cmpi    r5, 0
        beq     sv.next                 ; p was crossed out: not a prime
sv.cross:
        stb     [r4 + table], r2
        add     r4, r4, r1
        cmp     r4, r3
        blt     sv.cross
sv.next:
        addi    r1, r1, 1
        jmp     sv.prime
        ; count what is left, and add it up
sv.count:
        li      r0, 0
        li      r6, 0
        li      r1, 2
sv.scan:
        ldb     r5, [r1 + table]
        cmpi    r5, 0
        beq     sv.skip
        addi    r0, r0, 1
        add     r6, r6, r1
sv.skip:
        addi    r1, r1, 1
        cmp     r1, r3
        blt     sv.scan
        mov     r1, r6
        ret

msg_pid:
        .asciz  "compute: pid "
msg_half:
        .asciz  " half way: "
msg_of:
        .asciz  " of "
msg_rounds:
        .asciz  " rounds"
msg_done:
        .asciz  " done: "
msg_rounds_comma:
        .asciz  " rounds, "
msg_below:
        .asciz  " primes below 10000"
msg_sum:
        .asciz  ", sum "
        .align  4
table:
        .space  LIMIT
