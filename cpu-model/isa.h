// The one table of instruction facts. The CPU, the assembler, the
// disassembler, the monitors, the GUI and docs/isa.md all read it; nothing
// else lists instructions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ringsim::isa {

constexpr int kRegisterCount = 16;
constexpr int kStackPointer = 15;  // r15, written `sp`
constexpr uint32_t kPageSize = 4096;
constexpr uint32_t kPageShift = 12;

// Every opcode; values are the encoding (bits 31..24 of the first word).
enum class Opcode : uint8_t {
    // ordinary: data movement and arithmetic
    Nop = 0x00, Mov = 0x01, Li = 0x02,
    Add = 0x03, Sub = 0x04, And = 0x05, Or = 0x06, Xor = 0x07,
    Shl = 0x08, Shr = 0x09, Sar = 0x0A, Mul = 0x0B, Div = 0x0C, Rem = 0x0D,
    Addi = 0x0E, Andi = 0x0F, Ori = 0x10, Xori = 0x11, Shli = 0x12, Shri = 0x13, Muli = 0x14,
    Cmp = 0x15, Cmpi = 0x16,
    // ordinary: memory and stack
    Ld = 0x18, St = 0x19, Ldb = 0x1A, Stb = 0x1B, Push = 0x1C, Pop = 0x1D,
    // ordinary: control flow
    Jmp = 0x20, Jmpr = 0x21, Call = 0x22, Callr = 0x23, Ret = 0x24,
    Beq = 0x25, Bne = 0x26, Blt = 0x27, Bge = 0x28, Bgt = 0x29, Ble = 0x2A, Bltu = 0x2B, Bgeu = 0x2C,
    Brk = 0x2D,
    // sensitive but unprivileged (the x86 flaw)
    Pushf = 0x30, Popf = 0x31, Getcpl = 0x32, Stt = 0x33,
    // privileged
    Hlt = 0x40, Cli = 0x41, Sti = 0x42, In = 0x43, Out = 0x44,
    Ltt = 0x45, Lptb = 0x46, Invlpg = 0x47, Tlbflush = 0x48, Lksp = 0x49,
    Stimer = 0x4A, Rdcr = 0x4B, Iret = 0x4C,
    // gates
    Syscall = 0x50, Sysret = 0x51,
    // hypercall
    Hcall = 0x58,
};

enum class InsnClass : uint8_t {
    Ordinary,               // same effect at every ring
    Privileged,             // faults (general protection) when CPL > 0
    SensitiveUnprivileged,  // behaves differently by ring but never traps (unless the CPU is strict)
    Gate,                   // controlled change of ring: syscall / sysret
    Hypercall,              // call into the monitor; invalid opcode on bare hardware
};

// How the operands are written and where they sit in the encoding.
// First word: opcode(8) | a(4) | b(4) | c(4) | zero(12). Formats that take an
// immediate, a memory offset, a port or a branch target carry a second word.
enum class Format : uint8_t {
    None,     // nop
    R,        // op ra                  (push r1, ltt r1, getcpl r1)
    RR,       // op ra, rb              (mov r1, r2; cmp r1, r2)
    RRR,      // op ra, rb, rc          (add r1, r2, r3)
    RI,       // op ra, imm             (li r1, 42; cmpi r1, 7)
    RRI,      // op ra, rb, imm         (addi r1, r2, 4)
    Target,   // op label               (jmp loop; call f)
    Imm,      // op imm                 (hcall 3)
    Load,     // op ra, [rb + imm]      (ld r1, [sp + 4])
    Store,    // op [rb + imm], ra      (st [r2 + 8], r1)
    PortIn,   // op ra, port            (in r1, 0x10)
    PortOut,  // op port, ra            (out 0x10, r1)
    Cr,       // op ra, crname          (rdcr r1, fault): field b holds the control register number
};

constexpr bool hasImmediateWord(Format f) {
    switch (f) {
    case Format::RI: case Format::RRI: case Format::Target: case Format::Imm:
    case Format::Load: case Format::Store: case Format::PortIn: case Format::PortOut:
        return true;
    default:
        return false;
    }
}
constexpr uint32_t lengthOf(Format f) { return hasImmediateWord(f) ? 8u : 4u; }

struct InstructionInfo {
    Opcode opcode;
    std::string_view mnemonic;
    Format format;
    InsnClass cls;
    uint8_t cycles;               // base cost in cycles (a preset may override it)
    bool endsBlock;               // control may leave the straight line: ends a basic block
    std::string_view summary;     // what it does, one line
    std::string_view atRings;     // how the behaviour differs by ring
    std::string_view x86Model;    // the x86 instruction it stands for, when it models one
};

// The table itself, in opcode order.
std::span<const InstructionInfo> instructionTable();

// Lookups. Unknown opcode / mnemonic -> nullptr.
const InstructionInfo* infoFor(uint8_t opcodeByte);
inline const InstructionInfo* infoFor(Opcode op) { return infoFor(static_cast<uint8_t>(op)); }
const InstructionInfo* infoForMnemonic(std::string_view mnemonic);

std::string_view className(InsnClass c);
// True for privileged and sensitive-but-unprivileged: the Popek-Goldberg "sensitive" set.
constexpr bool isSensitive(InsnClass c) {
    return c == InsnClass::Privileged || c == InsnClass::SensitiveUnprivileged;
}

// FLAGS bits.
namespace flag {
constexpr uint32_t Zero = 1u << 0;
constexpr uint32_t Negative = 1u << 1;
constexpr uint32_t Carry = 1u << 2;     // unsigned borrow of the last compare (a < b)
constexpr uint32_t Overflow = 1u << 3;  // signed overflow of the last compare
constexpr uint32_t InterruptEnable = 1u << 9;  // IF, as on x86
constexpr uint32_t Condition = Zero | Negative | Carry | Overflow;
constexpr uint32_t Defined = Condition | InterruptEnable;
}  // namespace flag

// Saved FLAGS words on a trap frame carry the interrupted ring in bits 12..13.
constexpr uint32_t kSavedRingShift = 12;

// Control registers, read with `rdcr`; written by their own privileged instructions.
enum class ControlRegister : uint8_t {
    TrapTableBase = 0,  // ttb: physical address of the trap table (ltt)
    PageTableBase = 1,  // ptb: physical address of the page directory | 1 when paging is on (lptb)
    KernelStack = 2,    // ksp: stack pointer loaded on entry to ring 0 from a higher ring (lksp)
    FaultAddress = 3,   // fault: virtual address of the last page fault (like x86 CR2)
    FaultCause = 4,     // cause: page-fault error code (present/write/user bits, like x86)
    TimerPeriod = 5,    // timer: timer interrupt period in virtual-time cycles, 0 = off (stimer)
};
constexpr int kControlRegisterCount = 6;
std::string_view controlRegisterName(ControlRegister cr);
std::optional<ControlRegister> controlRegisterFromName(std::string_view name);

// Trap vectors: entry i of the trap table holds the handler address for vector i.
enum class Vector : uint8_t {
    DivideError = 0,
    Breakpoint = 1,
    InvalidOpcode = 2,
    GeneralProtection = 3,  // privileged instruction above ring 0
    PageFault = 4,
    Alignment = 5,
    BusError = 6,           // physical address outside memory
    Syscall = 8,
    Timer = 9,
    Console = 10,
    Block = 11,
    IdeDisk = 12,     // the IDE-like controller finished a request
    VirtioDisk = 13,  // the virtio-like block device gave back a batch
};
constexpr int kVectorCount = 16;
std::string_view vectorName(Vector v);
std::string_view vectorName(uint8_t v);

// Page-table entries (both levels): frame number in bits 31..12, flags below.
namespace pte {
constexpr uint32_t Present = 1u << 0;
constexpr uint32_t Writable = 1u << 1;
constexpr uint32_t User = 1u << 2;
constexpr uint32_t FrameMask = 0xFFFFF000u;
}  // namespace pte
// Page-fault cause bits (the `cause` control register).
namespace fault_cause {
constexpr uint32_t Present = 1u << 0;  // the page was present: a protection violation
constexpr uint32_t Write = 1u << 1;
constexpr uint32_t User = 1u << 2;     // the access came from ring 3
constexpr uint32_t Fetch = 1u << 3;
}  // namespace fault_cause

// I/O ports of the devices.
namespace port {
constexpr uint32_t ConsoleData = 0x10;    // out: write one byte to the console
constexpr uint32_t ConsoleStatus = 0x11;  // in: 1 = ready
constexpr uint32_t ConsoleStream = 0x12;  // out: the stream the following console bytes belong to (0 = the host's)
constexpr uint32_t Container = 0x13;      // out: the container whose process runs next (a host kernel's cgroup
                                          // bookkeeping on a switch); in: the value written last
constexpr uint32_t ClockLow = 0x20;       // in: cycle counter, low 32 bits
constexpr uint32_t ClockHigh = 0x21;      // in: cycle counter, high 32 bits (latched by reading ClockLow)
constexpr uint32_t BlockSector = 0x30;    // out: sector number for the next command
constexpr uint32_t BlockAddress = 0x31;   // out: physical memory address for DMA
constexpr uint32_t BlockCommand = 0x32;   // out: 1 = read sector to memory, 2 = write sector from memory
constexpr uint32_t BlockStatus = 0x33;    // in: 0 = ok, 1 = error
constexpr uint32_t BlockData = 0x34;      // in/out: programmed I/O, one word of the current sector per access
constexpr uint32_t BlockSectors = 0x35;   // in: number of sectors on the disk
// The e1000-like NIC (cpu-model/nic.h), 0x50-0x5F. Ring bases are guest-physical.
constexpr uint32_t NicTxRing = 0x50;      // out: base of the transmit descriptor ring (resets head and tail)
constexpr uint32_t NicTxCount = 0x51;     // out: descriptors in the transmit ring (1-256)
constexpr uint32_t NicTxHead = 0x52;      // in: the next transmit descriptor the NIC will take
constexpr uint32_t NicTxTail = 0x53;      // out: one past the last filled descriptor: the NIC sends up to it
constexpr uint32_t NicRxRing = 0x54;      // out: base of the receive descriptor ring (resets head and tail)
constexpr uint32_t NicRxCount = 0x55;     // out: descriptors in the receive ring (1-256)
constexpr uint32_t NicRxHead = 0x56;      // in: the next receive descriptor the NIC will fill
constexpr uint32_t NicRxTail = 0x57;      // out: one past the last free buffer the driver gave
constexpr uint32_t NicCause = 0x58;       // in: interrupt cause bits (nic_cause); reading clears them
constexpr uint32_t NicMask = 0x59;        // out/in: which cause bits raise the interrupt line
constexpr uint32_t NicMacLow = 0x5A;      // in: MAC address bytes 0-3 (byte 0 lowest)
constexpr uint32_t NicMacHigh = 0x5B;     // in: MAC address bytes 4-5
constexpr uint32_t NicFirst = 0x50, NicLast = 0x5F;
// The virtio-like block device (cpu-model/virtio_block.h): requests travel on a
// shared ring in guest memory (cpu-model/shared_ring.h); registers only set it up and kick it.
constexpr uint32_t VirtioQueueAddress = 0x40;    // out: the queue's address (guest-physical); attaches it
constexpr uint32_t VirtioQueueSize = 0x41;       // out: entries the driver's queue has (a power of two); in: the most
constexpr uint32_t VirtioNotify = 0x42;          // out: the driver made requests available: serve them all
constexpr uint32_t VirtioInterruptStatus = 0x43; // in: bit 0 = requests given back, bit 1 = the queue is broken
constexpr uint32_t VirtioInterruptAck = 0x44;    // out: clears the status bits written
constexpr uint32_t VirtioSectors = 0x45;         // in: number of sectors on the disk
constexpr uint32_t VirtioReset = 0x46;           // out: forgets the queue (after a break, before a new address)
// The IDE-like controller (cpu-model/ide_controller.h): every register by port I/O, the data a word at a time.
constexpr uint32_t IdeSector = 0x48;   // out: first sector of the next command
constexpr uint32_t IdeCount = 0x49;    // out: sectors the next command moves (1..kIdeMaxCount)
constexpr uint32_t IdeCommand = 0x4A;  // out: 0x20 = read, 0x30 = write (ATA's READ/WRITE SECTORS)
constexpr uint32_t IdeStatus = 0x4B;   // in: ide_status bits; reading it acknowledges the interrupt
constexpr uint32_t IdeData = 0x4C;     // in/out: the next word of the request's data
constexpr uint32_t IdeSectors = 0x4D;  // in: number of sectors on the disk
constexpr uint32_t IdeError = 0x4E;    // in: why the last command failed (ide_error)
}  // namespace port
constexpr uint32_t kSectorSize = 512;
namespace ide_command {
constexpr uint32_t Read = 0x20;
constexpr uint32_t Write = 0x30;
}  // namespace ide_command
namespace ide_status {
constexpr uint32_t Error = 0x01;
constexpr uint32_t DataRequest = 0x08;  // the data port has (or wants) the request's words
constexpr uint32_t Ready = 0x40;
}  // namespace ide_status
namespace ide_error {
constexpr uint32_t None = 0;
constexpr uint32_t PastEnd = 1;     // the sectors are not on the disk, or the count is 0 or too big
constexpr uint32_t Backend = 2;     // the storage behind failed
constexpr uint32_t BadCommand = 3;
}  // namespace ide_error
constexpr uint32_t kIdeMaxCount = 16;
// The virtio-like block device's requests: a header { type, sector }, data
// buffers (a whole number of sectors), a status word the device fills.
namespace virtio_block {
constexpr uint32_t Read = 0;
constexpr uint32_t Write = 1;
constexpr uint32_t StatusOk = 0;
constexpr uint32_t StatusIoError = 1;
constexpr uint32_t StatusUnsupported = 2;
constexpr uint32_t InterruptUsed = 1;
constexpr uint32_t InterruptBroken = 2;
constexpr uint32_t kMaxQueueSize = 64;
}  // namespace virtio_block

// Decoded form of one instruction word pair.
struct Fields {
    uint8_t a = 0, b = 0, c = 0;
    uint32_t imm = 0;
};
constexpr uint32_t encodeFirstWord(Opcode op, const Fields& f) {
    return (uint32_t(op) << 24) | (uint32_t(f.a & 15) << 20) | (uint32_t(f.b & 15) << 16) |
           (uint32_t(f.c & 15) << 12);
}
// Which register fields a format uses (others must be zero for a valid encoding).
constexpr int registerFieldsUsed(Format f) {
    switch (f) {
    case Format::R: case Format::RI: case Format::PortIn: case Format::PortOut: case Format::Cr: return 1;
    case Format::RR: case Format::RRI: case Format::Load: case Format::Store: return 2;
    case Format::RRR: return 3;
    default: return 0;
    }
}
// The instruction a first word encodes, or nullptr when the word is not a valid
// encoding (unknown opcode, low 12 bits set, an unused register field not zero,
// a control register that does not exist). The decoder and the disassembler
// both ask this, so what runs and what is listed agree.
const InstructionInfo* validEncoding(uint32_t firstWord);

}  // namespace ringsim::isa
