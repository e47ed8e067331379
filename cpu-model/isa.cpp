#include "isa.h"

#include <array>

namespace ringsim::isa {
namespace {

using enum Opcode;
using F = Format;
using C = InsnClass;

constexpr std::string_view kSame = "same at every ring";
constexpr std::string_view kFaultsAbove0 = "ring 0: executes; rings 1-3: general-protection fault (vector 3)";

// clang-format off
constexpr InstructionInfo kTable[] = {
    // opcode  mnemonic  format    class        cyc ends  summary / at rings / x86 model
    {Nop,    "nop",    F::None,  C::Ordinary, 1, false, "do nothing", kSame, ""},
    {Mov,    "mov",    F::RR,    C::Ordinary, 1, false, "ra = rb", kSame, ""},
    {Li,     "li",     F::RI,    C::Ordinary, 1, false, "ra = imm (any 32-bit value or label)", kSame, ""},
    {Add,    "add",    F::RRR,   C::Ordinary, 1, false, "ra = rb + rc", kSame, ""},
    {Sub,    "sub",    F::RRR,   C::Ordinary, 1, false, "ra = rb - rc", kSame, ""},
    {And,    "and",    F::RRR,   C::Ordinary, 1, false, "ra = rb & rc", kSame, ""},
    {Or,     "or",     F::RRR,   C::Ordinary, 1, false, "ra = rb | rc", kSame, ""},
    {Xor,    "xor",    F::RRR,   C::Ordinary, 1, false, "ra = rb ^ rc", kSame, ""},
    {Shl,    "shl",    F::RRR,   C::Ordinary, 1, false, "ra = rb << (rc & 31)", kSame, ""},
    {Shr,    "shr",    F::RRR,   C::Ordinary, 1, false, "ra = rb >> (rc & 31), zero-filling", kSame, ""},
    {Sar,    "sar",    F::RRR,   C::Ordinary, 1, false, "ra = rb >> (rc & 31), sign-filling", kSame, ""},
    {Mul,    "mul",    F::RRR,   C::Ordinary, 3, false, "ra = rb * rc (low 32 bits)", kSame, ""},
    {Div,    "div",    F::RRR,   C::Ordinary, 12, false, "ra = rb / rc, unsigned; divide-error fault (vector 0) if rc = 0", kSame, ""},
    {Rem,    "rem",    F::RRR,   C::Ordinary, 12, false, "ra = rb % rc, unsigned; divide-error fault (vector 0) if rc = 0", kSame, ""},
    {Addi,   "addi",   F::RRI,   C::Ordinary, 1, false, "ra = rb + imm", kSame, ""},
    {Andi,   "andi",   F::RRI,   C::Ordinary, 1, false, "ra = rb & imm", kSame, ""},
    {Ori,    "ori",    F::RRI,   C::Ordinary, 1, false, "ra = rb | imm", kSame, ""},
    {Xori,   "xori",   F::RRI,   C::Ordinary, 1, false, "ra = rb ^ imm", kSame, ""},
    {Shli,   "shli",   F::RRI,   C::Ordinary, 1, false, "ra = rb << (imm & 31)", kSame, ""},
    {Shri,   "shri",   F::RRI,   C::Ordinary, 1, false, "ra = rb >> (imm & 31), zero-filling", kSame, ""},
    {Muli,   "muli",   F::RRI,   C::Ordinary, 3, false, "ra = rb * imm (low 32 bits)", kSame, ""},
    {Cmp,    "cmp",    F::RR,    C::Ordinary, 1, false, "set the condition flags from ra - rb", kSame, ""},
    {Cmpi,   "cmpi",   F::RI,    C::Ordinary, 1, false, "set the condition flags from ra - imm", kSame, ""},

    {Ld,     "ld",     F::Load,  C::Ordinary, 2, false, "ra = 32-bit word at virtual address rb + imm (4-byte aligned)", kSame, ""},
    {St,     "st",     F::Store, C::Ordinary, 2, false, "32-bit word at virtual address rb + imm = ra (4-byte aligned)", kSame, ""},
    {Ldb,    "ldb",    F::Load,  C::Ordinary, 2, false, "ra = byte at virtual address rb + imm, zero-extended", kSame, ""},
    {Stb,    "stb",    F::Store, C::Ordinary, 2, false, "byte at virtual address rb + imm = low 8 bits of ra", kSame, ""},
    {Push,   "push",   F::R,     C::Ordinary, 2, false, "sp -= 4; word at sp = ra", kSame, ""},
    {Pop,    "pop",    F::R,     C::Ordinary, 2, false, "ra = word at sp; sp += 4", kSame, ""},

    {Jmp,    "jmp",    F::Target, C::Ordinary, 1, true, "pc = target", kSame, ""},
    {Jmpr,   "jmpr",   F::R,     C::Ordinary, 2, true, "pc = ra (indirect jump)", kSame, ""},
    {Call,   "call",   F::Target, C::Ordinary, 2, true, "push the return address; pc = target", kSame, ""},
    {Callr,  "callr",  F::R,     C::Ordinary, 3, true, "push the return address; pc = ra (indirect call)", kSame, ""},
    {Ret,    "ret",    F::None,  C::Ordinary, 2, true, "pop the return address into pc", kSame, ""},
    {Beq,    "beq",    F::Target, C::Ordinary, 1, true, "branch if equal (Z)", kSame, ""},
    {Bne,    "bne",    F::Target, C::Ordinary, 1, true, "branch if not equal (!Z)", kSame, ""},
    {Blt,    "blt",    F::Target, C::Ordinary, 1, true, "branch if less, signed (N != V)", kSame, ""},
    {Bge,    "bge",    F::Target, C::Ordinary, 1, true, "branch if greater or equal, signed (N == V)", kSame, ""},
    {Bgt,    "bgt",    F::Target, C::Ordinary, 1, true, "branch if greater, signed (!Z and N == V)", kSame, ""},
    {Ble,    "ble",    F::Target, C::Ordinary, 1, true, "branch if less or equal, signed (Z or N != V)", kSame, ""},
    {Bltu,   "bltu",   F::Target, C::Ordinary, 1, true, "branch if below, unsigned (C)", kSame, ""},
    {Bgeu,   "bgeu",   F::Target, C::Ordinary, 1, true, "branch if above or equal, unsigned (!C)", kSame, ""},
    {Brk,    "brk",    F::None,  C::Ordinary, 1, true, "breakpoint trap (vector 1) at every ring", kSame, "INT3"},

    {Pushf,  "pushf",  F::None,  C::SensitiveUnprivileged, 2, false,
     "push FLAGS, including the real interrupt-enable bit",
     "every ring: pushes the real FLAGS; a deprivileged kernel sees the real IF, not the one it believes it set",
     "PUSHF"},
    {Popf,   "popf",   F::None,  C::SensitiveUnprivileged, 3, true,
     "pop FLAGS",
     "ring 0: sets all flags, IF included; rings 1-3: sets the condition flags and silently keeps IF",
     "POPF"},
    {Getcpl, "getcpl", F::R,     C::SensitiveUnprivileged, 1, false,
     "ra = the current privilege level",
     "every ring: reads the real ring, so a kernel moved to ring 1 sees 1",
     "MOV r, CS / PUSH CS (the low bits of CS are the CPL)"},
    {Stt,    "stt",    F::R,     C::SensitiveUnprivileged, 1, false,
     "ra = the trap table base",
     "every ring: reads the real trap table base, which under a monitor is the monitor's, not the guest's",
     "SIDT"},

    {Hlt,    "hlt",    F::None,  C::Privileged, 1, true,
     "wait for an interrupt; with interrupts disabled, stop the machine", kFaultsAbove0, "HLT"},
    {Cli,    "cli",    F::None,  C::Privileged, 1, false, "disable interrupts (clear IF)", kFaultsAbove0, "CLI"},
    {Sti,    "sti",    F::None,  C::Privileged, 1, true, "enable interrupts (set IF)", kFaultsAbove0, "STI"},
    {In,     "in",     F::PortIn, C::Privileged, 2, false, "ra = read from I/O port", kFaultsAbove0, "IN"},
    {Out,    "out",    F::PortOut, C::Privileged, 2, false, "write ra to I/O port", kFaultsAbove0, "OUT"},
    {Ltt,    "ltt",    F::R,     C::Privileged, 2, false, "trap table base = ra (a physical address)", kFaultsAbove0, "LIDT"},
    {Lptb,   "lptb",   F::R,     C::Privileged, 5, true,
     "page table base = ra (physical address of the page directory, | 1 to turn paging on; 0 turns it off); flushes the TLB",
     kFaultsAbove0, "MOV CR3, r"},
    {Invlpg, "invlpg", F::R,     C::Privileged, 2, false, "drop the TLB entry for virtual address ra", kFaultsAbove0, "INVLPG"},
    {Tlbflush, "tlbflush", F::None, C::Privileged, 5, false, "drop every TLB entry", kFaultsAbove0, "MOV CR3, CR3"},
    {Lksp,   "lksp",   F::R,     C::Privileged, 1, false,
     "kernel stack pointer = ra (loaded into sp when a trap enters ring 0 from a higher ring)", kFaultsAbove0, "TSS.ESP0"},
    {Stimer, "stimer", F::R,     C::Privileged, 2, false,
     "timer period = ra cycles of virtual time (0 stops the timer); restarts the count", kFaultsAbove0, "LAPIC timer"},
    {Rdcr,   "rdcr",   F::Cr,    C::Privileged, 1, false, "ra = control register", kFaultsAbove0, "MOV r, CRn"},
    {Iret,   "iret",   F::None,  C::Privileged, 2, true,
     "return from a trap or interrupt: pop pc, FLAGS (with the ring to return to) and sp",
     "ring 0: executes; rings 1-3: general-protection fault (vector 3), unless the CPU allows outward returns "
     "(x86's rule, which a paravirtualising monitor turns on): then it returns to the same or a less privileged "
     "ring and keeps IF",
     "IRET"},

    {Syscall, "syscall", F::None, C::Gate, 1, true,
     "enter the kernel: trap through vector 8 to ring 0 with the address of the next instruction saved",
     "any ring: enters ring 0 through the gate", "SYSCALL / INT 0x80"},
    {Sysret, "sysret", F::None,  C::Gate, 1, true,
     "return from a system call: pop pc, FLAGS and sp like iret (the fast path back to the caller's ring)",
     kFaultsAbove0, "SYSRET"},

    {Hcall,  "hcall",  F::Imm,   C::Hypercall, 1, true,
     "call the monitor: service number imm, arguments in r1..r4, result in r0",
     "under a monitor: handled by it; on bare hardware: invalid-opcode fault (vector 2) at every ring",
     "VMCALL / int 0x82 (Xen)"},
};
// clang-format on

constexpr std::array<const InstructionInfo*, 256> buildIndex() {
    std::array<const InstructionInfo*, 256> index{};
    for (const auto& info : kTable) index[static_cast<uint8_t>(info.opcode)] = &info;
    return index;
}
constexpr auto kIndex = buildIndex();

constexpr std::string_view kControlRegisterNames[kControlRegisterCount] = {
    "ttb", "ptb", "ksp", "fault", "cause", "timer"};

}  // namespace

std::span<const InstructionInfo> instructionTable() { return kTable; }

const InstructionInfo* infoFor(uint8_t opcodeByte) { return kIndex[opcodeByte]; }

const InstructionInfo* infoForMnemonic(std::string_view mnemonic) {
    for (const auto& info : kTable)
        if (info.mnemonic == mnemonic) return &info;
    return nullptr;
}

std::string_view className(InsnClass c) {
    switch (c) {
    case InsnClass::Ordinary: return "ordinary";
    case InsnClass::Privileged: return "privileged";
    case InsnClass::SensitiveUnprivileged: return "sensitive-unprivileged";
    case InsnClass::Gate: return "gate";
    case InsnClass::Hypercall: return "hypercall";
    }
    return "?";
}

std::string_view controlRegisterName(ControlRegister cr) {
    auto i = static_cast<size_t>(cr);
    return i < std::size(kControlRegisterNames) ? kControlRegisterNames[i] : "?";
}

std::optional<ControlRegister> controlRegisterFromName(std::string_view name) {
    for (size_t i = 0; i < std::size(kControlRegisterNames); ++i)
        if (kControlRegisterNames[i] == name) return static_cast<ControlRegister>(i);
    return std::nullopt;
}

std::string_view vectorName(uint8_t v) {
    switch (static_cast<Vector>(v)) {
    case Vector::DivideError: return "divide-error";
    case Vector::Breakpoint: return "breakpoint";
    case Vector::InvalidOpcode: return "invalid-opcode";
    case Vector::GeneralProtection: return "general-protection";
    case Vector::PageFault: return "page-fault";
    case Vector::Alignment: return "alignment";
    case Vector::BusError: return "bus-error";
    case Vector::Syscall: return "syscall";
    case Vector::Timer: return "timer";
    case Vector::Console: return "console";
    case Vector::Block: return "block";
    case Vector::IdeDisk: return "ide-disk";
    case Vector::VirtioDisk: return "virtio-disk";
    }
    return "reserved";
}
const InstructionInfo* validEncoding(uint32_t firstWord) {
    const InstructionInfo* info = infoFor(uint8_t(firstWord >> 24));
    if (!info || (firstWord & 0xFFF)) return nullptr;
    const uint32_t a = (firstWord >> 20) & 15, b = (firstWord >> 16) & 15, c = (firstWord >> 12) & 15;
    if (info->format == Format::Cr) return c == 0 && b < kControlRegisterCount ? info : nullptr;
    const int used = registerFieldsUsed(info->format);
    if ((used < 1 && a) || (used < 2 && b) || (used < 3 && c)) return nullptr;
    return info;
}

std::string_view vectorName(Vector v) { return vectorName(static_cast<uint8_t>(v)); }

}  // namespace ringsim::isa
