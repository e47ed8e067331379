#include "random_guest.h"

#include <fmt/format.h>

namespace ringsim::test {

std::string RandomGuest::source(size_t i, const std::vector<bool>& keep) const {
    size_t at = 0;
    for (size_t p = 0; p < i; ++p) at += parts[p].size();
    std::string text;
    for (const Chunk& c : parts[i]) {
        if (keep.empty() || keep[at]) text += c.text;
        ++at;
    }
    return text;
}

size_t RandomGuest::chunkCount() const {
    size_t n = 0;
    for (const auto& p : parts) n += p.size();
    return n;
}

std::string RandomGuest::listing(const std::vector<bool>& keep) const {
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i) {
        text += family == GuestFamily::BareMetal ? std::string("; ---- the kernel image (bare metal)\n")
                                                 : fmt::format("; ---- program {} (p{}.s)\n", i, i);
        text += source(i, keep);
    }
    return text;
}

namespace {

constexpr uint32_t kSentinel = 0x5EC0;  // r14 at a syscall that means "back to ring 0 here"
constexpr int kPads = 2;                 // 512-byte code pads: self-modified and DMA'd into
constexpr int kScratchPages = 4;

// ---------------------------------------------------------------------------
// Bare metal. Registers: r0..r11 are the guest's random state; r12 is where a
// faulting group resumes (its end), r13 the log pointer, r14 the scratch of
// gadgets and handlers (handlers keep it), sp the stack.
class BareMetalGenerator {
public:
    explicit BareMetalGenerator(uint64_t seed) : rng_(seed * 0x2545F4914F6CDD1Dull + 1) {}

    RandomGuest generate(uint64_t seed) {
        RandomGuest g;
        g.family = GuestFamily::BareMetal;
        g.seed = seed;
        paging_ = rng_.chance(60);
        for (int k = 0; k < kPads; ++k) padReg_[k] = int(rng_.below(12));
        auto& chunks = g.parts.emplace_back();
        chunks.push_back({prelude(), -1, false});
        const int groups = int(rng_.range(3, 9));
        for (int k = 0; k < groups; ++k) group(k, chunks);
        chunks.push_back({epilogue(), -1, false});
        return g;
    }

private:
    std::string reg() { return fmt::format("r{}", rng_.below(12)); }
    std::string label() { return fmt::format(".L{}", labels_++); }

    std::string prelude() {
        std::string s = R"(; a random bare-metal guest (tests/random_guest.cpp)
        .equ    SENTINEL, 0x5EC0
        ; LOG reg: append a word to the log (while there is room)
        .macro  LOG reg
        cmpi    r13, log_end
        bgeu    .Lfull\@
        st      [r13], \reg
        addi    r13, r13, 4
.Lfull\@:
        .endm
_start: li      sp, kstack_top
        lksp    sp
        li      r14, trap_table
        ltt     r14
        li      r13, log_buf
)";
        if (paging_) {
            // identity-map the first 64 pages for every ring, then turn paging on
            s += R"(        li      r9, page_table
        li      r8, 0
map:    shli    r7, r8, 12
        ori     r7, r7, 7
        shli    r6, r8, 2
        add     r6, r6, r9
        st      [r6], r7
        addi    r8, r8, 1
        cmpi    r8, 64
        bne     map
        li      r8, page_directory
        ori     r7, r9, 7
        st      [r8], r7
        ori     r8, r8, 1
        lptb    r8
)";
        }
        if (rng_.chance(50)) s += fmt::format("        li      r14, {}\n        stimer  r14\n", period());
        for (int r = 0; r < 12; ++r) s += fmt::format("        li      r{}, {:#x}\n", r, value());
        return s;
    }

    uint32_t period() { return rng_.chance(10) ? 0 : rng_.range(12, 400); }
    uint32_t value() {
        switch (rng_.below(4)) {
        case 0: return rng_.below(16);
        case 1: return uint32_t(-int32_t(rng_.below(16)));
        default: return rng_.word();
        }
    }

    void group(int k, std::vector<Chunk>& chunks) {
        const int ring = int(rng_.below(4));
        const bool interrupts = rng_.chance(60);
        std::string head = fmt::format("; group {}: ring {}, interrupts {}\ng{}:     li      r12, g{}_end\n", k, ring,
                                       interrupts ? "on" : "off", k, k);
        head += "        li      sp, kstack_top\n";
        if (ring == 0) {
            head += interrupts ? "        sti\n" : "        cli\n";
        } else {
            // into ring 1, 2 or 3 through an iret frame, as a kernel starts a process
            const uint32_t flags = (uint32_t(ring) << 12) | (interrupts ? 0x200 : 0) | rng_.below(16);
            head += fmt::format(R"(        addi    sp, sp, -12
        li      r14, g{0}_in
        st      [sp], r14
        li      r14, {1:#x}
        st      [sp + 4], r14
        li      r14, ustack + {2}
        st      [sp + 8], r14
        iret
g{0}_in:
)",
                                k, flags, ring * 1024);
        }
        chunks.push_back({head, k, false});
        const int items = int(rng_.range(2, 14));
        for (int i = 0; i < items; ++i) chunks.push_back({item(ring), k, true});
        std::string tail = fmt::format("g{}_end:\n", k);
        if (ring != 0) tail += "        li      r14, SENTINEL\n        syscall\n";  // back to ring 0, just after
        chunks.push_back({tail, k, false});
    }

    std::string alu() {
        static constexpr const char* kRRR[] = {"add", "sub", "and", "or", "xor", "shl", "shr", "sar", "mul"};
        static constexpr const char* kRRI[] = {"addi", "andi", "ori", "xori", "shli", "shri", "muli"};
        switch (rng_.below(7)) {
        case 6: return "        nop\n";
        case 0: return fmt::format("        {} {}, {}, {}\n", kRRR[rng_.below(9)], reg(), reg(), reg());
        case 1: return fmt::format("        {} {}, {}, {:#x}\n", kRRI[rng_.below(7)], reg(), reg(), value());
        case 2: return fmt::format("        mov     {}, {}\n", reg(), reg());
        case 3: return fmt::format("        li      {}, {:#x}\n", reg(), value());
        case 4: return fmt::format("        cmp     {}, {}\n", reg(), reg());
        default: return fmt::format("        cmpi    {}, {:#x}\n", reg(), value());
        }
    }
    std::string alus(int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += alu();
        return s;
    }

    // An address for loads and stores: mostly the scratch pages; sometimes a
    // misaligned one, one beyond memory, the pads (code), the log.
    std::string address(bool store) {
        switch (rng_.below(store ? 8 : 11)) {
        case 0: return fmt::format("scratch + {}", rng_.below(kScratchPages * 4096) | 1);  // misaligned for words
        case 1: return fmt::format("{:#x}", 0x00100000 + 4 * rng_.below(1024));          // beyond memory
        case 2: return fmt::format("pad0 + {}", 4 * rng_.below(4));
        case 8: return fmt::format("log_buf + {}", 4 * rng_.below(64));
        case 9: return fmt::format("trap_table + {}", 4 * rng_.below(16));
        case 10: return fmt::format("{:#x}", 4 * rng_.below(0x4000));
        default: return fmt::format("scratch + {}", 4 * rng_.below(kScratchPages * 1024));
        }
    }

    std::string item(int ring) {
        const uint32_t pick = rng_.below(100);
        if (pick < 18) return alus(int(rng_.range(1, 4)));
        if (pick < 24) {  // a divide, by zero now and then
            static constexpr const char* kOps[] = {"div", "rem"};
            const std::string c = reg();
            return fmt::format("{}        {} {}, {}, {}\n", rng_.chance(30) ? fmt::format("        li      {}, 0\n", c) : "",
                               kOps[rng_.below(2)], reg(), reg(), c);
        }
        if (pick < 36) {  // memory
            static constexpr const char* kLoads[] = {"ld", "ldb"};
            static constexpr const char* kStores[] = {"st", "stb"};
            const bool store = rng_.chance(50);
            std::string s = fmt::format("        li      r14, {}\n", address(store));
            const int offset = rng_.chance(70) ? 0 : int(4 * rng_.below(4)) - 8;
            if (store)
                s += fmt::format("        {} [r14 + {}], {}\n", kStores[rng_.below(2)], offset, reg());
            else {
                const std::string r = reg();
                s += fmt::format("        {} {}, [r14 + {}]\n", kLoads[rng_.below(2)], r, offset);
                if (rng_.chance(50)) s += fmt::format("        LOG     {}\n", r);
            }
            return s;
        }
        if (pick < 40) return fmt::format("        push    {}\n{}        pop     {}\n", reg(), alus(int(rng_.below(3))), reg());
        if (pick < 46) {  // a forward branch
            static constexpr const char* kBranches[] = {"beq", "bne", "blt", "bge", "bgt", "ble", "bltu", "bgeu", "jmp"};
            const std::string l = label();
            return fmt::format("        cmp     {}, {}\n        {} {}\n{}{}:\n", reg(), reg(), kBranches[rng_.below(9)], l,
                               alus(int(rng_.range(1, 3))), l);
        }
        if (pick < 50) {  // an indirect jump or call forward
            const std::string l = label();
            if (rng_.chance(50)) return fmt::format("        li      r14, {0}\n        jmpr    r14\n{1}{0}:\n", l, alus(1));
            return fmt::format("        li      r14, pad{}\n        callr   r14\n", rng_.below(kPads));
        }
        if (pick < 56) {  // a loop: ring-3 time for the timer
            const std::string l = label();
            return fmt::format("        li      r14, {}\n{}:\n{}        addi    r14, r14, -1\n        cmpi    r14, 0\n"
                               "        bne     {}\n",
                               rng_.range(5, 120), l, alus(int(rng_.range(1, 4))), l);
        }
        if (pick < 66) return sensitive(ring);
        if (pick < 72) return traps();
        if (pick < 78) return selfModify();
        if (ring == 0) return ring0Item();
        if (pick < 82) return privilegedAbove0();
        return alus(2);
    }

    // Sensitive-unprivileged instructions. In rings 2 and 3 the values of stt
    // and pushf are thrown away at once, never logged: under binary
    // translation (and trap-and-emulate) those rings run directly on the CPU,
    // so they read the monitor's trap table and the real FLAGS, as SIDT and
    // PUSHF did under VMware in 2004 (the "Red Pill", scenarios/15-red-pill.yaml):
    // true to life, and excluded from the property by this rule.
    std::string sensitive(int ring) {
        const std::string r = reg();
        const bool direct = ring >= 2;
        switch (rng_.below(4)) {
        case 0: return fmt::format("        getcpl  {0}\n        LOG     {0}\n", r);
        case 1:
            if (direct) return fmt::format("        stt     {0}\n        li      {0}, 0\n", r);
            return fmt::format("        stt     {0}\n        LOG     {0}\n", r);
        case 2:
            if (direct) return fmt::format("        pushf\n        li      r14, 0\n        st      [sp], r14\n        pop     {}\n", r);
            return fmt::format("        pushf\n        pop     {0}\n        LOG     {0}\n", r);
        default: {  // popf, then what it left
            std::string s = fmt::format("        li      r14, {:#x}\n        push    r14\n        popf\n",
                                        rng_.below(16) | (rng_.chance(50) ? 0x200u : 0u));
            if (!direct) s += fmt::format("        pushf\n        pop     {0}\n        LOG     {0}\n", r);
            return s;
        }
        }
    }

    std::string traps() {
        switch (rng_.below(6)) {
        case 0: return "        brk\n";
        case 1: return "        .word   0xFF000000\n";  // an undefined opcode
        case 2: return fmt::format("        hcall   {}\n", rng_.below(20));
        case 3: return "        li      r14, 0\n        syscall\n";
        case 4: return fmt::format("        li      {}, 0\n        ld      r14, [{} + 0]\n", "r14", "r14");
        default: return "        li      r14, 2\n        jmpr    r14\n";  // a misaligned jump
        }
    }

    // Stores into code that has run (or will): the immediate of a pad's li,
    // or its first word; then the pad runs.
    std::string selfModify() {
        const int k = int(rng_.below(kPads));
        std::string s;
        if (rng_.chance(60)) {
            s += fmt::format("        li      r14, pad{}\n        st      [r14 + 4], {}\n", k, reg());
        } else if (rng_.chance(50)) {
            // another instruction in the pad's first word: addi rP, rP, imm keeps the pad's shape
            const uint32_t word = (0x0Eu << 24) | (uint32_t(padReg_[k]) << 20) | (uint32_t(padReg_[k]) << 16);
            s += fmt::format("        li      r14, pad{}\n        li      r11, {:#x}\n        st      [r14], r11\n", k,
                             word);
        }
        s += fmt::format("        call    pad{}\n        LOG     r{}\n", k, padReg_[k]);
        return s;
    }

    std::string privilegedAbove0() {
        static constexpr const char* kOps[] = {"cli", "sti", "hlt", "tlbflush", "iret", "sysret"};
        switch (rng_.below(5)) {
        case 0: return fmt::format("        {}\n", kOps[rng_.below(6)]);
        case 1: return fmt::format("        in      {}, 0x11\n", reg());
        case 2: return fmt::format("        out     0x10, {}\n", reg());
        case 3: return fmt::format("        rdcr    {}, ttb\n", reg());
        default: return "        li      r14, 0\n        stimer  r14\n";
        }
    }

    std::string ring0Item() {
        const std::string r = reg();
        switch (rng_.below(15)) {
        case 0: return "        cli\n";
        case 1: return "        sti\n";
        case 2: {
            static constexpr const char* kCr[] = {"ttb", "ptb", "ksp", "fault", "cause", "timer"};
            return fmt::format("        rdcr    {0}, {1}\n        LOG     {0}\n", r, kCr[rng_.below(6)]);
        }
        case 3: return fmt::format("        li      r14, {}\n        stimer  r14\n", period());
        case 4:  // waits for a tick: with a timer running, hlt is not the end
            return fmt::format("        li      r14, {}\n        stimer  r14\n        sti\n        hlt\n", rng_.range(12, 400));
        case 5: return fmt::format("        li      r14, {}\n        ltt     r14\n        stt     {}\n        LOG     {}\n",
                                   rng_.chance(50) ? "trap_table" : "trap_table2", r, r);
        case 6: return fmt::format("        out     0x10, {}\n", r);
        case 7: return fmt::format("        in      {0}, 0x11\n        LOG     {0}\n", r);
        case 8: return fmt::format("        in      {0}, {1:#x}\n        li      {0}, 0\n", r, 0x20 + rng_.below(2));  // the clock: real time, thrown away
        case 9: return dma();
        case 10: return pio();
        case 11:
        case 12: return pagingChange();
        case 13: return fmt::format("        li      r14, scratch + {}\n        invlpg  r14\n        tlbflush\n",
                                    4096 * rng_.below(kScratchPages));
        default: return "        li      r14, kstack_top\n        lksp    r14\n";
        }
    }

    // DMA: a template to the disk, then the disk into a pad (code) or the scratch pages.
    std::string dma() {
        const uint32_t sector = rng_.below(70);  // the disk has 64: some fail
        const int k = int(rng_.below(kPads));
        std::string s = fmt::format(R"(        li      r14, {0}
        out     0x30, r14
        li      r14, tmpl{1}
        out     0x31, r14
        li      r14, 2
        out     0x32, r14
        li      r14, {2}
        out     0x31, r14
        li      r14, 1
        out     0x32, r14
        in      r14, 0x33
        LOG     r14
)",
                                    sector, rng_.below(kPads),
                                    rng_.chance(70) ? fmt::format("pad{}", k) : fmt::format("scratch + {}", 512 * rng_.below(8)));
        if (rng_.chance(70)) s += fmt::format("        call    pad{}\n        LOG     r{}\n", k, padReg_[k]);
        return s;
    }

    std::string pio() {
        std::string s = fmt::format("        li      r14, {}\n        out     0x30, r14\n", rng_.below(64));
        const int n = int(rng_.range(1, 4));
        for (int i = 0; i < n; ++i) {
            const std::string r = reg();
            if (rng_.chance(50))
                s += fmt::format("        out     0x34, {}\n", r);
            else
                s += fmt::format("        in      {0}, 0x34\n        LOG     {0}\n", r);
        }
        if (rng_.chance(30)) s += fmt::format("        in      {0}, 0x35\n        LOG     {0}\n", reg());
        return s;
    }

    // A scratch page's entry rewritten (another frame, fewer rights, not
    // present, a frame beyond memory) and its TLB entry dropped, as a correct
    // kernel does; or paging turned off or on.
    std::string pagingChange() {
        if (!paging_) return alus(1);
        if (rng_.chance(15)) return "        li      r14, 0\n        lptb    r14\n";
        if (rng_.chance(15)) return "        li      r14, page_directory + 1\n        lptb    r14\n";
        const uint32_t page = rng_.below(kScratchPages);
        const std::string frame = rng_.chance(15) ? std::string("0x3F0000")
                                                  : fmt::format("scratch + {}", 4096 * rng_.below(kScratchPages));
        const uint32_t flags = rng_.chance(80) ? 1u | (rng_.chance(70) ? 2u : 0u) | (rng_.chance(70) ? 4u : 0u) : 0u;
        return fmt::format(R"(        li      r11, ({}) | {}
        li      r14, page_table + (((scratch >> 12) + {}) << 2)
        st      [r14], r11
        li      r14, scratch + {}
        invlpg  r14
)",
                           frame, flags, page, 4096 * page);
    }

    std::string epilogue() {
        std::string s = R"(; the end: log the registers, print the log, power off
finish: cli
        li      sp, kstack_top
)";
        for (int r = 0; r < 12; ++r) s += fmt::format("        LOG     r{}\n", r);
        s += R"(        li      r1, log_buf
pl:     cmp     r1, r13
        bgeu    pdone
        ld      r2, [r1]
        li      r3, 28
ph:     shr     r4, r2, r3
        andi    r4, r4, 15
        cmpi    r4, 10
        blt     pdig
        addi    r4, r4, 39
pdig:   addi    r4, r4, 48
        out     0x10, r4
        addi    r3, r3, -4
        cmpi    r3, 0
        bge     ph
        li      r4, 10
        out     0x10, r4
        addi    r1, r1, 4
        jmp     pl
pdone:  cli
        hlt

; faults: log the vector, the saved pc and FLAGS, and go on at the end of the group
        .macro  FAULT v
fault\v:
        push    r14
        li      r14, 'a' + \v
        out     0x10, r14
        li      r14, 0xEE000000 + \v
        LOG     r14
        ld      r14, [sp + 4]
        LOG     r14
        ld      r14, [sp + 8]
        LOG     r14
        .if \v == 4
        rdcr    r14, fault
        LOG     r14
        rdcr    r14, cause
        LOG     r14
        .endif
        pop     r14
        st      [sp], r12
        iret
        .endm
        FAULT   0
        FAULT   2
        FAULT   3
        FAULT   4
        FAULT   5
        FAULT   6
brk_handler:
        push    r14
        li      r14, 'b'
        out     0x10, r14
        ld      r14, [sp + 4]
        LOG     r14
        pop     r14
        iret
        ; a tick: log where it struck, and return there
        .macro  TICK name, mark
\name:  push    r14
        li      r14, \mark
        out     0x10, r14
        ld      r14, [sp + 4]
        LOG     r14
        ld      r14, [sp + 8]
        LOG     r14
        pop     r14
        iret
        .endm
        TICK    timer_handler, 't'
        TICK    timer_handler2, 'T'
        ; a system call: with r14 = SENTINEL, stay in ring 0 just after it; else log and return
syscall_handler:
        cmpi    r14, SENTINEL
        bne     sys_plain
        ld      r14, [sp]
        addi    sp, sp, 12
        jmpr    r14
sys_plain:
        push    r14
        li      r14, 's'
        out     0x10, r14
        ld      r14, [sp + 4]
        LOG     r14
        ld      r14, [sp + 8]
        LOG     r14
        pop     r14
        sysret
)";
        for (int k = 0; k < kPads; ++k)
            s += fmt::format(R"(        .align  512
pad{0}:   li      r{1}, {2:#x}
        ret
        .space  500
)",
                             k, padReg_[k], rng_.word());
        for (int k = 0; k < kPads; ++k)
            s += fmt::format(R"(tmpl{0}:  li      r{1}, {2:#x}
        ret
        .space  500
)",
                             k, padReg_[k], rng_.word());
        s += R"(        .align  4096
trap_table:
        .word   fault0, brk_handler, fault2, fault3, fault4, fault5, fault6, 0
        .word   syscall_handler, timer_handler, 0, 0, 0, 0, 0, 0
trap_table2:
        .word   fault0, brk_handler, fault2, fault3, fault4, fault5, fault6, 0
        .word   syscall_handler, timer_handler2, 0, 0, 0, 0, 0, 0
log_buf:
        .space  2048
log_end:
        .align  4096
page_directory:
        .space  4096
page_table:
        .space  4096
        .space  4096
kstack_top:
ustack:
        .space  4096
scratch:
        .space  4 * 4096
)";
        return s;
    }

    SplitMix rng_;
    bool paging_ = false;
    int labels_ = 0;
    int padReg_[kPads]{};
};

// ---------------------------------------------------------------------------
// User programs on the bundled kernel. Each program's parent part runs when
// its argument (r1 at start) is 0; a spawned copy runs the child part chosen
// by its argument and exits. r2 at start (the program's index) is kept in `self`.
class UserProgramGenerator {
public:
    explicit UserProgramGenerator(uint64_t seed) : rng_(seed * 0x9E3779B97F4A7C15ull + 7) {}

    RandomGuest generate(uint64_t seed) {
        RandomGuest g;
        g.family = GuestFamily::UserPrograms;
        g.seed = seed;
        static constexpr uint32_t kPeriods[] = {700, 2000, 5000, 20000, 200000};
        g.timerPeriod = kPeriods[rng_.below(5)];
        const int programs = int(rng_.range(1, 3));
        programs_ = programs;
        for (int p = 0; p < programs; ++p) g.parts.push_back(program(p));
        g.readsClock = readsClock_;
        g.readsKernelLog = readsKernelLog_;
        return g;
    }

private:
    std::string label() { return fmt::format(".L{}", labels_++); }
    uint32_t value() { return rng_.chance(50) ? rng_.below(1000) : rng_.word(); }

    std::vector<Chunk> program(int index) {
        std::vector<Chunk> chunks;
        chunks.push_back({R"(        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"
_start: li      r3, self
        st      [r3], r2
        cmpi    r1, 0
        bne     child
)",
                          -1, false});
        const int actions = int(rng_.range(2, 10));
        for (int i = 0; i < actions; ++i) chunks.push_back({action(index, i), -1, true});
        chunks.push_back({"        li      r1, 0\n        call    exit\n", -1, false});
        chunks.push_back({children(index), -1, false});
        return chunks;
    }

    // say "p<index>.<step> <what> <value of r1>"
    std::string say(int index, int step, const std::string& what) {
        const std::string l = label();
        return fmt::format(R"(        push    r1
        li      r1, {0}
        call    put_str
        pop     r1
        call    put_dec
        call    end_line
        jmp     {0}_end
{0}:    .asciz  "p{1}.{2} {3} "
        .align  4
{0}_end:
)",
                           l, index, step, what);
    }

    std::string action(int index, int step) {
        switch (rng_.below(12)) {
        case 0: {  // compute: user time for the timer, then a hash
            const std::string l = label();
            return fmt::format(R"(        li      r5, {:#x}
        li      r6, {}
{}:     xor     r5, r5, r6
        muli    r5, r5, 0x01000193
        addi    r6, r6, -1
        cmpi    r6, 0
        bne     {}
        mov     r1, r5
)",
                               value(), rng_.range(50, 3000), l, l) +
                   say(index, step, "hash");
        }
        case 1: return "        li      r0, SYS_GETPID\n        syscall\n        mov     r1, r0\n" + say(index, step, "pid");
        case 2: return "        li      r0, SYS_YIELD\n        syscall\n        mov     r1, r0\n" + say(index, step, "yield");
        case 4: {  // fork: the child sees the word from before the fork and exits with it; the parent's
                   // later write is its own
            const std::string l = label();
            return fmt::format(R"(        li      r3, buf_in
        li      r4, {1}
        st      [r3], r4
        li      r0, SYS_FORK
        syscall
        cmpi    r0, 0
        bne     {0}
        ld      r1, [r3]
        call    exit
{0}:    mov     r9, r0
        li      r4, {2}
        st      [r3], r4
        mov     r1, r9
        li      r0, SYS_WAIT
        syscall
        mov     r1, r0
)",
                               l, rng_.range(1, 200), rng_.range(201, 250)) +
                   say(index, step, "fork child exit") + "        li      r3, buf_in\n        ld      r1, [r3]\n" +
                   say(index, step, "fork parent sees");
        }
        case 3: {  // spawn a child (a copy of one of the programs) and wait for it
            const uint32_t program = rng_.below(uint32_t(programs_) + (rng_.chance(10) ? 1 : 0));
            const uint32_t arg = rng_.range(1, 9);
            return fmt::format(R"(        li      r1, {}
        li      r2, {}
        li      r0, SYS_SPAWN
        syscall
        mov     r9, r0
        mov     r1, r0
)",
                               program, arg) +
                   say(index, step, "spawned") +
                   "        mov     r1, r9\n        li      r0, SYS_WAIT\n        syscall\n        mov     r1, r0\n" +
                   say(index, step, "child exit");
        }
        case 5: {  // map a page, use it, unmap it
            const uint32_t page = rng_.chance(80) ? 0x00500000 + 4096 * rng_.below(8)
                                                  : (rng_.chance(50) ? 0x00400000 : 0x00500000 + 4 * rng_.below(1024));
            return fmt::format("        li      r1, {:#x}\n        li      r0, SYS_MAP\n        syscall\n        mov     r1, r0\n",
                               page) +
                   say(index, step, "map") +
                   fmt::format(R"(        cmpi    r0, 0
        bne     {0}
        li      r3, {1:#x}
        li      r4, {2:#x}
        st      [r3 + 8], r4
        ld      r1, [r3 + 8]
{0}:    li      r1, {1:#x}
        li      r0, SYS_UNMAP
        syscall
        mov     r1, r0
)",
                               label(), page, value()) +
                   say(index, step, "unmap");
        }
        case 6: {  // a sector out and back
            const uint32_t sector = rng_.below(70);
            const std::string l = label();
            return fmt::format(R"(        li      r3, buf_out
        li      r4, {0:#x}
        li      r5, 128
{1}:    st      [r3], r4
        addi    r4, r4, 7
        addi    r3, r3, 4
        addi    r5, r5, -1
        cmpi    r5, 0
        bne     {1}
        li      r1, {2}
        li      r2, buf_out
        li      r0, SYS_WRITE_BLOCK
        syscall
        mov     r1, r0
)",
                               value(), l, sector) +
                   say(index, step, "write_block") +
                   fmt::format("        li      r1, {}\n        li      r2, buf_in\n        li      r0, SYS_READ_BLOCK\n"
                               "        syscall\n        mov     r1, r0\n",
                               rng_.chance(70) ? sector : rng_.below(70)) +
                   say(index, step, "read_block") + checksum("buf_in", 512) + say(index, step, "sum");
        }
        case 7: {  // write with a pointer that is not the caller's, or a length past its memory
            // (always refused: bytes without a newline would run the host kernel's next line into
            // them, and a container's console is compared with native's without the kernel's lines)
            const uint32_t address = rng_.chance(50) ? 0x1000 : 0x007FFFF0;
            return fmt::format("        li      r1, {:#x}\n        li      r2, {}\n        li      r0, SYS_WRITE\n"
                               "        syscall\n        mov     r1, r0\n",
                               address, rng_.range(17, 64)) +
                   say(index, step, "bad write");
        }
        case 8:  // the kernel log: its first two lines, the same in every mode (a host kernel's later
                 // lines name a container's processes by both pids, so a container's log differs there)
            readsKernelLog_ = true;
            return fmt::format("        li      r1, buf_in\n        li      r2, {}\n        li      r3, {}\n"
                               "        li      r0, SYS_KLOG\n        syscall\n        mov     r1, r0\n",
                               rng_.below(32), rng_.range(1, 24)) +
                   say(index, step, "klog") + checksum("buf_in", 64) + say(index, step, "klog sum");
        case 9:  // the clock: real time, never printed (see RandomGuest::readsClock)
            readsClock_ = true;
            return "        li      r0, SYS_CLOCK\n        syscall\n        li      r0, 0\n        li      r1, 0\n";
        case 10:  // sensitive instructions in ring 3: getcpl is the same everywhere; stt and pushf
                  // are thrown away (the Red Pill rule, random_guest.cpp BareMetalGenerator::sensitive)
            return "        getcpl  r1\n        stt     r5\n        li      r5, 0\n        pushf\n        li      r5, 0\n"
                   "        st      [sp], r5\n        pop     r5\n" +
                   say(index, step, "ring");
        default: return fmt::format("        li      r0, {}\n        syscall\n        mov     r1, r0\n", 14 + rng_.below(100)) +
                        say(index, step, "unknown call");
        }
    }

    std::string checksum(const char* buffer, int bytes) {
        const std::string l = label();
        return fmt::format(R"(        li      r3, {0}
        li      r5, {1}
        li      r1, 0
{2}:    ldb     r4, [r3]
        muli    r1, r1, 31
        add     r1, r1, r4
        addi    r3, r3, 1
        addi    r5, r5, -1
        cmpi    r5, 0
        bne     {2}
)",
                           buffer, bytes, l);
    }

    // What a spawned copy does, by its argument: work and exit with a code, or die of a fault.
    std::string children(int index) {
        std::string s = "child:  li      r3, 1\n";
        static constexpr const char* kFaults[] = {
            "        li      r3, 0\n        ld      r1, [r3 + 0]\n",   // 2: page fault (kernel memory)
            "        cli\n",                                             // 3: general protection
            "        li      r3, 0\n        div     r1, r1, r3\n",     // 4: divide error
            "        brk\n",                                             // 5: breakpoint
            "        hcall   3\n",                                       // 6: invalid opcode (no monitor to call)
            "        li      r3, 0x00400002\n        ld      r1, [r3 + 0]\n",  // 7: alignment
            "        li      r3, 0x00900000\n        st      [r3 + 0], r1\n",  // 8: page fault (unmapped)
        };
        for (uint32_t arg = 2; arg <= 8; ++arg)
            s += fmt::format("        cmpi    r1, {}\n        beq     .Lfault{}_{}\n", arg, index, arg);
        // 1, 9 and others: some work, a line, exit(arg * 3)
        s += fmt::format("        mov     r8, r1\n        li      r5, {}\n", rng_.range(10, 2000));
        s += ".Lwork" + std::to_string(index) + ":\n        addi    r5, r5, -1\n        cmpi    r5, 0\n        bne     .Lwork" +
             std::to_string(index) + "\n        li      r0, SYS_GETPID\n        syscall\n        mov     r1, r0\n" +
             say(index, 99, "child pid") + "        muli    r1, r8, 3\n        call    exit\n";
        for (uint32_t arg = 2; arg <= 8; ++arg)
            s += fmt::format(".Lfault{}_{}:\n{}        li      r1, 77\n        call    exit\n", index, arg, kFaults[arg - 2]);
        s += R"(        .align  4
self:   .word   0
buf_out:
        .space  512
buf_in:
        .space  512
)";
        return s;
    }

    SplitMix rng_;
    int programs_ = 1;
    int labels_ = 0;
    bool readsClock_ = false;
    bool readsKernelLog_ = false;
};

}  // namespace

RandomGuest generateBareMetal(uint64_t seed) { return BareMetalGenerator(seed).generate(seed); }
RandomGuest generateUserPrograms(uint64_t seed) { return UserProgramGenerator(seed).generate(seed); }

}  // namespace ringsim::test
