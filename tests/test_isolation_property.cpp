// The isolation property of several VMs under one monitor, checked on many
// random guests: whatever VM A does — privileged and sensitive instructions,
// hypercalls, port I/O and DMA, wild loads and stores, page tables full of
// frames that are not its own — VM B beside it computes, prints and keeps in
// memory exactly what it does alone, the monitor's own memory is untouched,
// and B's secret never reaches A (its registers, memory, console or disk).
//
// Every case is reproducible from its seed and mode, both printed on failure:
//   RINGSIM_PROPERTY_MODE=<mode> RINGSIM_PROPERTY_SEED=<seed> RINGSIM_PROPERTY_CASES=1 ringsim_tests "[property]"
// RINGSIM_PROPERTY_CASES sets the number of cases per mode, RINGSIM_PROPERTY_SEED
// the first seed, RINGSIM_PROPERTY_MODE one mode (a label of kModes, such as
// hw-assist/shadow). A summary of each mode is printed once at the end.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "sanitized.h"
#include "monitors/deprivileged.h"
#include "machine/hypercalls.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "run/vm_host.h"
#include "cpu-model/assembler.h"
#include "cpu-model/isa.h"

using namespace ringsim;

namespace {

using ringsim::testing::kSanitized;
// Under ASan+UBSan the simulator runs about 3x slower: fewer cases keep the CI run short.
constexpr uint32_t kDefaultCasesPerMode = kSanitized ? 2000 : 5000;

constexpr uint32_t kPartition = 64 * 1024;  // small, so "just beyond" and "B's range" are near
constexpr uint32_t kBHostBase = kMonitorReserve + kPartition;  // VM 1's partition, host-physical
constexpr uint32_t kSecretLo = 0x5EC2E7A1;
constexpr uint32_t kSecretHi = 0x0BADC0DE;
// Where B keeps the secret (guest-physical; B maps itself 1:1).
constexpr uint32_t kSecretSpots[] = {0x2000, 0x7FF8, 0xA000, kPartition - 8};

struct ModeCase {
    const char* label;
    ringsim::Mode mode;
    const char* paging;
};
constexpr ModeCase kModes[] = {
    {"trap-emulate", ringsim::Mode::TrapEmulate, "auto"},
    {"binary-translation", ringsim::Mode::BinaryTranslation, "auto"},
    {"emulation", ringsim::Mode::Emulation, "auto"},
    {"paravirt", ringsim::Mode::Paravirt, "auto"},
    {"hw-assist/nested", ringsim::Mode::HwAssist, "nested"},
    {"hw-assist/shadow", ringsim::Mode::HwAssist, "shadow"},
};

uint32_t envNumber(const char* name, uint32_t fallback) {
    const char* text = std::getenv(name);
    if (!text || !*text) return fallback;
    return uint32_t(std::strtoul(text, nullptr, 0));
}

// ---------------------------------------------------------------------------
// VM B: deterministic, timer-free. It maps itself 1:1 (so its own page tables
// are in play too), plants the secret, prints, hashes in a loop, powers off.
const char* kVmBSource = R"(
        .ifndef PARAVIRT
        .equ    PARAVIRT, 0
        .endif
        .equ    PD, 0x3000
        .equ    PT, 0x4000
_start: li      sp, 0x6000
        li      r9, PT
        li      r8, 0
map:    shli    r7, r8, 12
        ori     r7, r7, 3
        shli    r6, r8, 2
        add     r6, r6, r9
        st      [r6], r7
        addi    r8, r8, 1
        cmpi    r8, 16
        bne     map
        li      r8, PD
        ori     r7, r9, 3
        st      [r8], r7
        ori     r1, r8, 1
        .if PARAVIRT
        hcall   1
        .else
        lptb    r1
        .endif
        li      r1, SECRET_LO
        li      r2, SECRET_HI
        li      r3, SPOT0
        st      [r3], r1
        st      [r3 + 4], r2
        li      r3, SPOT1
        st      [r3], r1
        st      [r3 + 4], r2
        li      r3, SPOT2
        st      [r3], r1
        st      [r3 + 4], r2
        li      r3, SPOT3
        st      [r3], r1
        st      [r3 + 4], r2
        li      r1, hello
        call    puts
        li      r5, 0x811C9DC5
        li      r6, 0
        li      r7, 0x8000
crunch: xor     r5, r5, r6
        muli    r5, r5, 0x01000193
        andi    r8, r6, 0x3FC
        add     r8, r8, r7
        st      [r8], r5
        addi    r6, r6, 1
        cmpi    r6, 1500
        bne     crunch
        call    puthex
        li      r1, bye
        call    puts
        .if PARAVIRT
        hcall   10
        .else
        cli
        hlt
        .endif

puts:   .if PARAVIRT
        mov     r4, r1
        li      r2, 0
count:  ldb     r0, [r4]
        cmpi    r0, 0
        beq     counted
        addi    r4, r4, 1
        addi    r2, r2, 1
        jmp     count
counted: li     r3, 0
        hcall   7
        .else
putc:   ldb     r0, [r1]
        cmpi    r0, 0
        beq     putsend
        out     0x10, r0
        addi    r1, r1, 1
        jmp     putc
putsend:
        .endif
        ret

puthex: li      r8, hexbuf + 8
        li      r9, 28
digit:  shr     r10, r5, r9
        andi    r10, r10, 15
        cmpi    r10, 10
        blt     decimal
        addi    r10, r10, 87
        jmp     place
decimal: addi   r10, r10, 48
place:  stb     [r8], r10
        addi    r8, r8, 1
        cmpi    r9, 0
        beq     digits
        addi    r9, r9, -4
        jmp     digit
digits: li      r1, hexbuf
        call    puts
        ret

hello:  .asciz  "b: hello from vm1\n"
bye:    .asciz  "b: done\n"
hexbuf: .asciz  "b: hash ........\n"
)";

GuestImages vmB(bool paravirt) {
    assembler::Options options;
    options.defines = {{"PARAVIRT", paravirt ? 1 : 0}, {"SECRET_LO", kSecretLo}, {"SECRET_HI", kSecretHi}};
    for (size_t i = 0; i < std::size(kSecretSpots); ++i) options.defines[fmt::format("SPOT{}", i)] = kSecretSpots[i];
    auto result = assembler::assembleText(kVmBSource, "vm_b.s", options);
    INFO(result.errorText());
    REQUIRE(result.ok());
    GuestImages images;
    images.kernel = *result.program;
    return images;
}

// ---------------------------------------------------------------------------
// VM A: random. Its layout (guest-physical, identity-mapped when paging is on):
constexpr uint32_t kACodeLimit = 0x4000;   // prelude, random stream, stubs
constexpr uint32_t kATrapTable = 0x4000;
constexpr uint32_t kAMmuList = 0x4100;     // (pte address, value) pairs for the MMU-update hypercall
constexpr uint32_t kAPageDir = 0x5000;
constexpr uint32_t kAPageTable0 = 0x6000;  // virtual 0 .. 4 MiB
constexpr uint32_t kAPageTable1 = 0x7000;  // virtual 0xFFC00000 .. 4 GiB
constexpr uint32_t kAImageBytes = 0x8000;
constexpr uint32_t kAUserStack = 0x9000;
constexpr uint32_t kAKernelStack = 0xB000;
constexpr uint32_t kALoot = 0xC000;        // where A stores what it read while hunting for the secret

using isa::Opcode;

class VmAGenerator {
public:
    VmAGenerator(uint32_t seed, bool paravirt) : rng_(seed), paravirt_(paravirt) {}

    GuestImages generate() {
        image_.assign(kAImageBytes, 0);
        prelude();
        inStream_ = true;
        streamStart_ = here();
        const uint32_t length = 150 + pick(750);
        for (uint32_t i = 0; i < length && here() < kACodeLimit - 512; ++i) {
            if (chance(0.18))
                gadget();
            else if (chance(0.01))
                emitWord(random32());  // garbage: invalid opcodes and reserved bits
            else
                instruction();
        }
        inStream_ = false;
        emitImm(Opcode::Jmp, 0, 0, 0, streamStart_);  // A keeps going until the budget ends
        const uint32_t resetStub = here();
        emitImm(Opcode::Li, isa::kStackPointer, 0, 0, kAKernelStack);
        emitTarget(Opcode::Jmp);
        const uint32_t skipStub = here();  // step over the faulting word and return
        emit(Opcode::Push, 13);
        emitImm(Opcode::Ld, 13, isa::kStackPointer, 0, 4);
        emitImm(Opcode::Addi, 13, 13, 0, 4);
        emitImm(Opcode::St, 13, isa::kStackPointer, 0, 4);
        emit(Opcode::Pop, 13);
        returnFromTrap();
        REQUIRE(here() <= kACodeLimit);
        for (size_t at : fixups_)
            code_[at] = harmless(chance(0.03) ? address() : boundaries_[pick(uint32_t(boundaries_.size()))]);
        for (size_t i = 0; i < code_.size(); ++i) put32(uint32_t(i * 4), code_[i]);

        // Handlers land in A's own random code (or a stub), so A goes on after faults.
        for (uint32_t v = 0; v < isa::kVectorCount; ++v) {
            const double p = unit();
            put32(kATrapTable + v * 4,
                  p < 0.45 ? boundaries_[pick(uint32_t(boundaries_.size()))] : p < 0.65 ? resetStub : skipStub);
        }
        for (uint32_t i = 0; i < 8; ++i) {
            put32(kAMmuList + i * 8, chance(0.6) ? kAPageTable0 + pick(64) * 4 : address());
            put32(kAMmuList + i * 8 + 4, pte());
        }
        pageTables();

        GuestImages images;
        images.kernel.origin = 0;
        images.kernel.entry = 0;
        images.kernel.image = image_;
        if (paravirt_) images.kernel.constants["PARAVIRT"] = 1;
        return images;
    }

private:
    // Plain arithmetic on mt19937's output (fully specified), not <random>'s distributions (which are not), so
    // a seed names the same program with every standard library.
    uint32_t pick(uint32_t n) { return uint32_t(rng_() % n); }
    double unit() { return double(rng_()) / 4294967296.0; }
    bool chance(double p) { return unit() < p; }
    uint32_t random32() { return uint32_t(rng_()); }
    // A never names the secret itself: anything it holds of it must have leaked.
    static uint32_t harmless(uint32_t v) { return v == kSecretLo || v == kSecretHi ? v ^ 0x100 : v; }

    uint32_t here() const { return uint32_t(code_.size() * 4); }
    void emitWord(uint32_t w) { code_.push_back(harmless(w)); }
    void mark() {
        if (inStream_) boundaries_.push_back(here());
    }
    void emit(Opcode op, uint8_t a = 0, uint8_t b = 0, uint8_t c = 0) {
        mark();
        emitWord(isa::encodeFirstWord(op, {a, b, c, 0}));
    }
    void emitImm(Opcode op, uint8_t a, uint8_t b, uint8_t c, uint32_t imm) {
        emit(op, a, b, c);
        emitWord(imm);
    }
    // A direct branch: its target is drawn once the whole stream is known.
    void emitTarget(Opcode op) {
        emit(op);
        fixups_.push_back(code_.size());
        emitWord(0);
    }
    void put32(uint32_t at, uint32_t v) {
        v = harmless(v);
        std::memcpy(image_.data() + at, &v, 4);
    }

    // Mostly r0..r14: a random stack pointer makes the next trap a double fault, which ends A too soon.
    uint8_t reg() { return chance(0.03) ? uint8_t(isa::kStackPointer) : uint8_t(pick(15)); }
    uint8_t scratch() { return uint8_t(pick(15)); }

    // Addresses where isolation could break: A's edges, B's host range, the
    // monitor's reserve and trap table, the top of the address space, A's own tables.
    uint32_t address() {
        switch (pick(16)) {
        case 0: return 0;
        case 1: return kPartition - 4;
        case 2: return kPartition;
        case 3: return kPartition + 4 * pick(8);
        case 4: return kBHostBase + 4 * pick(16);
        case 5: return kBHostBase + kSecretSpots[pick(4)];
        case 6: return kPartition + kSecretSpots[pick(4)];  // B's secret if partitions were contiguous guest memory
        case 7: return kMonitorReserve - 4;
        case 8: return kMonitorTrapTable + 4 * pick(16);
        case 9: return 0xFFFFFFFC;
        case 10: return 0xFFFFF000 + 4 * pick(1024);
        case 11: return kAPageDir + 4 * pick(1024);
        case 12: return kAPageTable0 + 4 * pick(64);
        case 13: return kATrapTable + 4 * pick(16);
        case 14: return 4 * pick((kBHostBase + kPartition) / 4 + 64);
        default: return random32();
        }
    }
    // A sector's worth from here: straddling A's end, in B, in the reserve, wrapping around.
    uint32_t dmaAddress() {
        switch (pick(6)) {
        case 0: return kPartition - isa::kSectorSize + 4 * pick(isa::kSectorSize / 4 + 1);
        case 1: return kPartition + kSecretSpots[pick(4)] - 4 * pick(8);
        case 2: return kBHostBase + 4 * pick(kPartition / 4);
        case 3: return 0xFFFFFE00 + 4 * pick(128);
        case 4: return 4 * pick(kPartition / 4);
        default: return address();
        }
    }
    uint32_t immediate() {
        switch (pick(5)) {
        case 0: return address();
        case 1: return pick(64);
        case 2: return pte();
        case 3: return uint32_t(-int32_t(pick(64)));
        default: return random32();
        }
    }
    uint32_t frame() {
        switch (pick(8)) {
        case 0: case 1: return pick(kPartition >> 12);                       // A's own
        case 2: return (kPartition >> 12) + pick(2);                          // just beyond A
        case 3: return (kBHostBase >> 12) + pick(kPartition >> 12);           // B's host-physical pages
        case 4: return pick(kMonitorReserve >> 12);                          // the monitor's reserve
        case 5: return 0xFFFFF;
        case 6: return 0x100 + pick(0xFFE00);                                 // far away
        default: return pick(0x100);
        }
    }
    uint32_t pte() {
        return (frame() << 12) | (chance(0.85) ? isa::pte::Present : 0) | (chance(0.6) ? isa::pte::Writable : 0) |
               (chance(0.6) ? isa::pte::User : 0);
    }
    uint32_t hypercallNumber() {
        if (chance(0.1)) return random32();
        if (chance(0.4)) {  // the ones that take addresses
            static constexpr HypercallNumber kMemory[] = {
                HypercallNumber::SetTrapTable, HypercallNumber::SetPageTableBase, HypercallNumber::MmuUpdate,
                HypercallNumber::ConsoleWrite, HypercallNumber::BlockIo,          HypercallNumber::Iret};
            return uint32_t(kMemory[pick(uint32_t(std::size(kMemory)))]);
        }
        // Halt ends A, which leaves B alone: rare.
        for (;;)
            if (uint32_t n = pick(18); n != uint32_t(HypercallNumber::Halt) || chance(0.05)) return n;
    }
    uint32_t port() {
        namespace p = isa::port;
        static constexpr uint32_t kPorts[] = {p::ConsoleData,  p::ConsoleStatus, p::ConsoleStream, p::Container,
                                              p::ClockLow,     p::ClockHigh,     p::BlockSector,   p::BlockAddress,
                                              p::BlockCommand, p::BlockStatus,   p::BlockData,     p::BlockSectors};
        if (chance(0.15)) return chance(0.5) ? pick(256) : random32();
        return kPorts[pick(uint32_t(std::size(kPorts)))];
    }

    void returnFromTrap() {
        if (paravirt_)
            emitImm(Opcode::Hcall, 0, 0, 0, uint32_t(HypercallNumber::Iret));
        else
            emit(Opcode::Iret);
    }
    // hcall n where A runs paravirtualised, else the privileged instruction it replaces.
    void privileged(Opcode op, HypercallNumber n, uint8_t r1) {
        if (paravirt_) {
            if (r1 != 1) emit(Opcode::Mov, 1, r1);
            emitImm(Opcode::Hcall, 0, 0, 0, uint32_t(n));
        } else {
            emit(op, r1);
        }
    }

    void prelude() {
        emitImm(Opcode::Li, isa::kStackPointer, 0, 0, kAKernelStack);
        privileged(Opcode::Lksp, HypercallNumber::SetKernelStack, isa::kStackPointer);
        emitImm(Opcode::Li, 1, 0, 0, kATrapTable);
        privileged(Opcode::Ltt, HypercallNumber::SetTrapTable, 1);
        if (chance(0.6)) {
            emitImm(Opcode::Li, 1, 0, 0, kAPageDir | 1);
            privileged(Opcode::Lptb, HypercallNumber::SetPageTableBase, 1);
        }
        if (chance(0.5)) {
            emitImm(Opcode::Li, 1, 0, 0, 4 + pick(300));  // virtual time moves only in ring 3: short periods
            privileged(Opcode::Stimer, HypercallNumber::SetTimer, 1);
        }
        for (uint8_t r = 0; r < isa::kStackPointer; ++r) emitImm(Opcode::Li, r, 0, 0, immediate());
        if (chance(0.5)) {
            // Into ring 3 at the start of the stream, through a trap frame (the timer runs on ring-3 time).
            const uint32_t flags = (3u << isa::kSavedRingShift) | (chance(0.8) ? isa::flag::InterruptEnable : 0);
            emitImm(Opcode::Addi, isa::kStackPointer, isa::kStackPointer, 0, uint32_t(-12));
            emitImm(Opcode::Li, 14, 0, 0, 0);
            const size_t startWord = code_.size() - 1;  // the stream's start, known below
            emitImm(Opcode::St, 14, isa::kStackPointer, 0, 0);
            emitImm(Opcode::Li, 14, 0, 0, flags);
            emitImm(Opcode::St, 14, isa::kStackPointer, 0, 4);
            emitImm(Opcode::Li, 14, 0, 0, kAUserStack);
            emitImm(Opcode::St, 14, isa::kStackPointer, 0, 8);
            returnFromTrap();
            code_[startWord] = here();
        }
    }

    // One instruction of any class, drawn from the instruction table.
    void instruction() {
        static const std::vector<const isa::InstructionInfo*> table = [] {
            std::vector<const isa::InstructionInfo*> t;
            for (const auto& info : isa::instructionTable()) t.push_back(&info);
            return t;
        }();
        const isa::InstructionInfo* info = nullptr;
        for (;;) {
            info = table[pick(uint32_t(table.size()))];
            // hlt with interrupts off powers A off: rare, so A mostly runs beside B to the end.
            if (info->opcode == Opcode::Hlt && !chance(0.05)) continue;
            break;
        }
        const Opcode op = info->opcode;
        switch (info->format) {
        case isa::Format::None: emit(op); break;
        case isa::Format::R: emit(op, reg()); break;
        case isa::Format::RR: emit(op, reg(), reg()); break;
        case isa::Format::RRR: emit(op, reg(), reg(), reg()); break;
        case isa::Format::RI: emitImm(op, reg(), 0, 0, immediate()); break;
        case isa::Format::RRI: emitImm(op, reg(), reg(), 0, immediate()); break;
        case isa::Format::Target: emitTarget(op); break;
        case isa::Format::Imm: emitImm(op, 0, 0, 0, hypercallNumber()); break;
        case isa::Format::Load:
        case isa::Format::Store:
            if (chance(0.6)) {
                const uint8_t base = scratch();
                emitImm(Opcode::Li, base, 0, 0, address());
                emitImm(op, reg(), base, 0, chance(0.7) ? 0 : 4 * pick(4) - 8);
            } else {
                emitImm(op, reg(), reg(), 0, chance(0.5) ? address() : pick(64));
            }
            break;
        case isa::Format::PortIn:
        case isa::Format::PortOut: emitImm(op, reg(), 0, 0, port()); break;
        case isa::Format::Cr: emit(op, reg(), uint8_t(pick(isa::kControlRegisterCount))); break;
        }
    }

    // A few instructions with a purpose: the attacks a random stream would rarely assemble on its own.
    void gadget() {
        const uint8_t t = scratch(), u = scratch();
        switch (pick(7)) {
        case 0:  // DMA to or from somewhere interesting: by hypercall where A is paravirtual, else by ports
            if (paravirt_) {
                emitImm(Opcode::Li, 1, 0, 0, 1 + pick(2));
                emitImm(Opcode::Li, 2, 0, 0, pick(70));
                emitImm(Opcode::Li, 3, 0, 0, dmaAddress());
                emitImm(Opcode::Li, 4, 0, 0, 1 + pick(4));
                emitImm(Opcode::Hcall, 0, 0, 0, uint32_t(HypercallNumber::BlockIo));
                break;
            }
            emitImm(Opcode::Li, t, 0, 0, pick(70));
            emitImm(Opcode::Out, t, 0, 0, isa::port::BlockSector);
            emitImm(Opcode::Li, t, 0, 0, dmaAddress());
            emitImm(Opcode::Out, t, 0, 0, isa::port::BlockAddress);
            emitImm(Opcode::Li, t, 0, 0, 1 + pick(2));
            emitImm(Opcode::Out, t, 0, 0, isa::port::BlockCommand);
            emitImm(Opcode::In, u, 0, 0, isa::port::BlockStatus);
            break;
        case 1: {  // a hypercall with arguments that make sense for it
            const uint32_t n = hypercallNumber();
            switch (HypercallNumber(n)) {
            case HypercallNumber::SetTrapTable:
                emitImm(Opcode::Li, 1, 0, 0, chance(0.5) ? kATrapTable : address());
                break;
            case HypercallNumber::SetPageTableBase:
                emitImm(Opcode::Li, 1, 0, 0, chance(0.5) ? kAPageDir | 1 : address() | pick(2));
                break;
            case HypercallNumber::MmuUpdate:
                emitImm(Opcode::Li, 1, 0, 0, chance(0.7) ? kAMmuList : address());
                emitImm(Opcode::Li, 2, 0, 0, 1 + pick(8));
                break;
            case HypercallNumber::ConsoleWrite:
                emitImm(Opcode::Li, 1, 0, 0,
                        chance(0.3) ? kPartition + kSecretSpots[pick(4)] - 4 * pick(4) : address());
                emitImm(Opcode::Li, 2, 0, 0, 1 + pick(64));
                emitImm(Opcode::Li, 3, 0, 0, pick(4));
                break;
            case HypercallNumber::BlockIo:
                emitImm(Opcode::Li, 1, 0, 0, 1 + pick(2));
                emitImm(Opcode::Li, 2, 0, 0, pick(70));
                emitImm(Opcode::Li, 3, 0, 0, dmaAddress());
                emitImm(Opcode::Li, 4, 0, 0, 1 + pick(4));
                break;
            case HypercallNumber::SetTimer: emitImm(Opcode::Li, 1, 0, 0, pick(300)); break;
            case HypercallNumber::SetKernelStack:
                emitImm(Opcode::Li, 1, 0, 0, chance(0.7) ? kAKernelStack : address());
                break;
            default:
                for (uint8_t r = 1; r <= 4; ++r)
                    if (chance(0.5)) emitImm(Opcode::Li, r, 0, 0, immediate());
            }
            emitImm(Opcode::Hcall, 0, 0, 0, n);
            break;
        }
        case 2: {  // a trap frame of A's making, and a return through it
            const uint32_t ring = chance(0.6) ? 3 : pick(4);
            const uint32_t flags =
                (ring << isa::kSavedRingShift) | (chance(0.6) ? isa::flag::InterruptEnable : 0) | pick(16);
            emitImm(Opcode::Addi, isa::kStackPointer, isa::kStackPointer, 0, uint32_t(-12));
            emit(Opcode::Li, t);
            fixups_.push_back(code_.size());
            emitWord(0);
            emitImm(Opcode::St, t, isa::kStackPointer, 0, 0);
            emitImm(Opcode::Li, t, 0, 0, flags);
            emitImm(Opcode::St, t, isa::kStackPointer, 0, 4);
            emitImm(Opcode::Li, t, 0, 0, chance(0.8) ? kAUserStack : address());
            emitImm(Opcode::St, t, isa::kStackPointer, 0, 8);
            if (chance(0.3))
                emit(Opcode::Sysret);
            else
                returnFromTrap();
            break;
        }
        case 3:  // rewrite one of A's own page-table entries (the shadow tables must follow)
            emitImm(Opcode::Li, t, 0, 0, chance(0.3) ? kAPageDir + 4 * pick(4) : kAPageTable0 + 4 * pick(64));
            emitImm(Opcode::Li, u, 0, 0, pte());
            emitImm(Opcode::St, u, t, 0, 0);
            if (chance(0.5)) emit(chance(0.5) ? Opcode::Tlbflush : Opcode::Nop);
            break;
        case 4: {  // hunt for the secret where B keeps it, and keep both words of what was read
            uint8_t lo = scratch(), hi = scratch();
            while (lo == t) lo = scratch();
            while (hi == t || hi == lo) hi = scratch();
            const uint32_t spot = kSecretSpots[pick(4)];
            const double where = unit();
            emitImm(Opcode::Li, t, 0, 0,
                    where < 0.35 ? kBHostBase + spot : where < 0.7 ? kPartition + spot : address() & ~3u);
            emitImm(Opcode::Ld, lo, t, 0, 0);
            emitImm(Opcode::Ld, hi, t, 0, 4);
            emitImm(Opcode::Li, t, 0, 0, kALoot + 8 * pick(64));
            emitImm(Opcode::St, lo, t, 0, 0);
            emitImm(Opcode::St, hi, t, 0, 4);
            break;
        }
        case 5:  // load the page-table base with something of A's choosing
            emitImm(Opcode::Li, t, 0, 0, chance(0.5) ? kAPageDir | 1 : address() | pick(2));
            privileged(Opcode::Lptb, HypercallNumber::SetPageTableBase, t);
            break;
        default:  // programmed I/O through the disk
            emitImm(Opcode::Li, t, 0, 0, pick(70));
            emitImm(Opcode::Out, t, 0, 0, isa::port::BlockSector);
            for (uint32_t i = 0, n = 1 + pick(4); i < n; ++i) {
                if (chance(0.5))
                    emitImm(Opcode::In, u, 0, 0, isa::port::BlockData);
                else
                    emitImm(Opcode::Out, u, 0, 0, isa::port::BlockData);
            }
        }
    }

    // Mostly a 1:1 map of A's own pages (so it survives), with random
    // entries — present or not, writable or not, user or not — that point at
    // frames beyond A, in B's host range, in the reserve, far away, 0xFFFFF.
    void pageTables() {
        auto entry = [&](uint32_t table, uint32_t index, uint32_t value) { put32(table + index * 4, value); };
        for (uint32_t page = 0; page < (kPartition >> 12); ++page)
            entry(kAPageTable0, page, chance(0.93) ? (page << 12) | 7 : pte());
        for (uint32_t page = kPartition >> 12; page < 64; ++page)
            if (chance(0.5)) entry(kAPageTable0, page, pte());
        for (uint32_t i = 0; i < 24; ++i) entry(kAPageTable0, pick(1024), pte());
        for (uint32_t i = 0; i < 24; ++i) entry(kAPageTable1, pick(1024), pte());
        if (chance(0.7)) entry(kAPageTable1, 1023, pte());
        entry(kAPageDir, 0, chance(0.95) ? kAPageTable0 | 7 : (kAPageTable0 | pick(8)));
        entry(kAPageDir, 1023, kAPageTable1 | (chance(0.8) ? 7 : pick(8)));
        for (uint32_t i = 0; i < 8; ++i) entry(kAPageDir, 1 + pick(1022), pte());
    }

    std::mt19937 rng_;
    bool paravirt_;
    bool inStream_ = false;
    uint32_t streamStart_ = 0;
    std::vector<uint8_t> image_;
    std::vector<uint32_t> code_;
    std::vector<uint32_t> boundaries_;  // addresses of the stream's instructions: branch and handler targets
    std::vector<size_t> fixups_;        // words of code_ that get a branch target
};

// ---------------------------------------------------------------------------

bool holdsPair(const uint8_t* data, size_t size) {
    uint8_t needle[8];
    std::memcpy(needle, &kSecretLo, 4);
    std::memcpy(needle + 4, &kSecretHi, 4);
    return std::search(data, data + size, needle, needle + 8) != data + size;
}
size_t firstDifference(const uint8_t* a, const uint8_t* b, size_t size) {
    return size_t(std::mismatch(a, a + size, b).first - a);
}
bool holdsPair(const std::string& s) { return holdsPair(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
bool registersHoldPair(const ArchState& state) {
    bool lo = false, hi = false;
    for (uint32_t r : state.r) {
        lo = lo || r == kSecretLo;
        hi = hi || r == kSecretHi;
    }
    return lo && hi;
}

RunOptions optionsFor(const ModeCase& mode, uint32_t vms) {
    RunOptions options;
    options.mode = mode.mode;
    options.paging = mode.paging;
    options.memoryBytes = kPartition;
    options.instances = vms;
    options.eventCapacity = 64;  // only the counts are read; a fresh machine per case should be cheap
    return options;
}

struct Reference {
    std::string console;
    std::vector<uint8_t> partition;
    std::vector<uint8_t> disk;
    uint64_t cycles = 0;
};

// B alone in the mode: what it must also do beside A.
Reference referenceRun(const ModeCase& mode, const GuestImages& b) {
    Machine machine(machineConfigFor(optionsFor(mode, 1)));
    VmHost host(machine, mode.mode, kPartition, 3000);
    host.start({VmSpec{b}});
    const uint64_t start = machine.cpu.account.now;
    REQUIRE(host.run(start + 10'000'000) == StopReason::Halted);
    const auto results = host.results();
    Reference ref;
    ref.console = results.at(0).console;
    const uint8_t* base = machine.memory.data() + kMonitorReserve;
    ref.partition.assign(base, base + kPartition);
    ref.disk = host.monitor(0).guestDevices().disk.contents();
    ref.cycles = machine.cpu.account.now - start;
    // The reference is what it should be: three lines, and the secret really sits in B's memory.
    CHECK_THAT(ref.console, Catch::StartsWith("b: hello from vm1\nb: hash ") && Catch::EndsWith("\nb: done\n"));
    for (uint32_t spot : kSecretSpots) CHECK(holdsPair(ref.partition.data() + spot, 8));
    return ref;
}

// A known monitor bug, reported, not fixed here: the paravirtual hypercalls
// that take a count — MMU update (r2 entries), block I/O (r4 sectors), console
// write (r2 bytes) — do all of it in one go, without preemption. A guest that
// asks for a huge count holds the physical CPU while the other VMs wait (tens
// of billions of cycles for an MMU update over a suitable page table, half a
// million for a disk's worth of sectors, a hundred million or two for 64 KiB
// of console at a device access a byte), and the run overshoots its budget.
// When A did that, B is given the time it lost before its liveness is judged;
// every other check stays as strict.
bool heldTheCpu(const Event& e, const ArchState& s) {
    if (e.vm != 0 || e.kind != EventKind::Hypercall) return false;
    // Larger than A's gadgets ever ask for: its registers held something random.
    return (e.detail == uint32_t(HypercallNumber::MmuUpdate) && s.r[2] > 64) ||
           (e.detail == uint32_t(HypercallNumber::BlockIo) && s.r[4] > 4) ||
           (e.detail == uint32_t(HypercallNumber::ConsoleWrite) && s.r[2] > 64);
}
constexpr uint64_t kHeldSlack = 400'000'000;  // cycles: far more than A's 64 KiB and 64-sector disk can take

struct ModeTally {
    uint32_t cases = 0, failed = 0, heldByHypercall = 0;
    uint64_t violationsA = 0, casesWithViolation = 0;
    uint32_t aHalted = 0, aFaulted = 0, aRunning = 0;
    uint64_t aInstructions = 0, switches = 0;
    double seconds = 0;
};

}  // namespace

// TLB entries B refills at a turn on the CPU, at most (its code, stack, data and tables).
constexpr uint64_t kPagesPerTurn = 8;

TEST_CASE("VMs stay isolated from a random neighbour, in every VM mode", "[property]") {
    const uint32_t cases = envNumber("RINGSIM_PROPERTY_CASES", kDefaultCasesPerMode);
    const uint32_t firstSeed = envNumber("RINGSIM_PROPERTY_SEED", 1);
    const char* only = std::getenv("RINGSIM_PROPERTY_MODE");
    std::string summary = fmt::format("isolation property: {} cases per mode from seed {}{}\n", cases, firstSeed,
                                      kSanitized ? " (sanitizer build: smaller default)" : "");

    for (const ModeCase& mode : kModes) {
        if (only && *only && std::string(only) != mode.label) continue;
        INFO("mode " << mode.label);
        const bool paravirt = mode.mode == ringsim::Mode::Paravirt;
        const GuestImages b = vmB(paravirt);
        const Reference ref = referenceRun(mode, b);
        ModeTally tally;
        const auto begin = std::chrono::steady_clock::now();

        for (uint32_t i = 0; i < cases && tally.failed < 3; ++i) {
            const uint32_t seed = firstSeed + i;
            INFO("seed " << seed << " (reproduce: RINGSIM_PROPERTY_MODE=" << mode.label << " RINGSIM_PROPERTY_SEED="
                         << seed << " RINGSIM_PROPERTY_CASES=1)");
            const GuestImages a = VmAGenerator(seed, paravirt).generate();
            std::mt19937 schedule(seed ^ 0x9E3779B9u);
            const uint64_t slice = 2000 + schedule() % 3001;

            Machine machine(machineConfigFor(optionsFor(mode, 2)));
            REQUIRE(machine.memory.size() == kBHostBase + kPartition);
            VmHost host(machine, mode.mode, kPartition, slice);
            host.start({VmSpec{a}, VmSpec{b}});
            const std::vector<uint8_t> reserve(machine.memory.data(), machine.memory.data() + kMonitorReserve);
            const std::string hostConsole = machine.devices.console.text();
            const std::vector<uint8_t> hostDisk = machine.devices.disk.contents();

            // A's registers are looked at whenever A is on the CPU and something
            // happens (its events, and each switch back to it).
            bool aHeldSecret = false;
            bool heldCpu = false;  // the known bug, see heldTheCpu
            machine.events.setListener([&](const Event& e) {
                if (e.vm == 0 || (e.kind == EventKind::ContextSwitch && e.extra == 0))
                    aHeldSecret = aHeldSecret || registersHoldPair(machine.cpu.state);
                heldCpu = heldCpu || heldTheCpu(e, machine.cpu.state);  // as the hypercall starts
            });
            const uint64_t start = machine.cpu.account.now;
            // B gets half the CPU: twice its time alone, plus slack for switches
            // and cold TLBs. Every turn of B's starts with an empty TLB; under
            // emulation each refill is a software walk, which with slices this
            // short costs B as much again as its own work.
            const uint64_t refill = 2ull * machine.costs.pageWalkRef +
                                    (mode.mode == ringsim::Mode::Emulation ? machine.costs.emuTlbFill : 0);
            const uint64_t turnsOfB = 3 * ref.cycles / slice + 1;
            host.run(start + 3 * ref.cycles + 20 * slice + turnsOfB * kPagesPerTurn * refill);
            if (heldCpu && host.results().at(1).stopReason != StopReason::Halted) {
                ++tally.heldByHypercall;
                host.run(machine.cpu.account.now + kHeldSlack);
            }
            if (host.current() == 0) aHeldSecret = aHeldSecret || registersHoldPair(machine.cpu.state);
            machine.events.setListener({});
            const auto results = host.results();

            const uint8_t* aMemory = machine.memory.data() + kMonitorReserve;
            const uint8_t* bMemory = machine.memory.data() + kBHostBase;
            const auto& aDisk = host.monitor(0).guestDevices().disk.contents();
            const uint64_t bViolations = machine.events.countsFor(1)[size_t(EventKind::IsolationViolation)];
            const struct {
                const char* what;
                bool ok;
            } checks[] = {
                {"B halted cleanly", results.at(1).stopReason == StopReason::Halted},
                {"B's console is what it prints alone", results.at(1).console == ref.console},
                {"B's memory is what it is alone",
                 firstDifference(bMemory, ref.partition.data(), kPartition) == kPartition},
                {"B's disk is what it is alone", host.monitor(1).guestDevices().disk.contents() == ref.disk},
                {"B never reached outside its partition", bViolations == 0},
                {"the monitor's reserve is untouched",
                 firstDifference(machine.memory.data(), reserve.data(), kMonitorReserve) == kMonitorReserve},
                {"the physical devices are untouched",
                 machine.devices.console.text() == hostConsole && machine.devices.disk.contents() == hostDisk},
                {"A's registers never held the secret", !aHeldSecret},
                {"A's memory does not hold the secret", !holdsPair(aMemory, kPartition)},
                {"A's console never showed the secret", !holdsPair(results.at(0).console)},
                {"A's disk does not hold the secret", !holdsPair(aDisk.data(), aDisk.size())},
            };
            if (!std::all_of(std::begin(checks), std::end(checks), [](const auto& c) { return c.ok; })) {
                ++tally.failed;
                INFO("B: " << stopReasonName(results.at(1).stopReason) << ": " << results.at(1).stopMessage);
                INFO("A: " << stopReasonName(results.at(0).stopReason) << ": " << results.at(0).stopMessage);
                INFO("B's partition differs first at offset "
                     << firstDifference(bMemory, ref.partition.data(), kPartition) << ", the reserve at "
                     << firstDifference(machine.memory.data(), reserve.data(), kMonitorReserve));
                for (const auto& check : checks) {
                    INFO(check.what);
                    CHECK(check.ok);
                }
            }

            ++tally.cases;
            const uint64_t v = machine.events.countsFor(0)[size_t(EventKind::IsolationViolation)];
            tally.violationsA += v;
            tally.casesWithViolation += v > 0;
            const StopReason aStop = results.at(0).stopReason;
            tally.aHalted += aStop == StopReason::Halted;
            tally.aFaulted += aStop == StopReason::GuestFault;
            tally.aRunning += aStop != StopReason::Halted && aStop != StopReason::GuestFault;
            tally.aInstructions += results.at(0).instructions;
            tally.switches += host.switches();
        }
        tally.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        // Not vacuous: A did reach outside its partition, and was stopped (a
        // handful of cases, as when reproducing one seed, may not).
        if (tally.cases >= 100) CHECK(tally.violationsA > 0);
        summary += fmt::format(
            "  {:<19} {:>5} cases {:>6.1f} s  A's isolation violations {:>7} (in {} cases)  A ended: halted {}, "
            "guest-fault {}, still running {}  A insns/case {:>6}  switches/case {:>4}  B alone {} cycles{}{}\n",
            mode.label, tally.cases, tally.seconds, tally.violationsA, tally.casesWithViolation, tally.aHalted,
            tally.aFaulted, tally.aRunning, tally.cases ? tally.aInstructions / tally.cases : 0,
            tally.cases ? tally.switches / tally.cases : 0, ref.cycles,
            tally.heldByHypercall ? fmt::format("  (known bug: one hypercall of A's held the CPU past B's budget in {} "
                                                "cases)", tally.heldByHypercall)
                                  : "",
            tally.failed ? "  FAILED" : "");
    }
    std::fputs(summary.c_str(), stdout);
}
