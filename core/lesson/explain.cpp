#include "lesson/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cpu-model/devices.h"
#include "cpu-model/disassembler.h"
#include "cpu-model/vmx.h"
#include "machine/errors.h"
#include "machine/hypercalls.h"
#include "monitors/monitor.h"

namespace ringsim {

using isa::InsnClass;
using isa::Opcode;

namespace {

// Ring compression: the guest kernel in ring 1, the monitor in ring 0 (the mode table's word).
bool compressesRings(Mode m) { return modeInfo(m).kernelDeprivileged; }

// Collects the parts of one event's cost.
struct Parts {
    const Costs& costs;
    std::vector<CostPart>& out;
    void add(uint32_t Costs::*field, bool inEvent, uint64_t count = 1, std::string meaning = {}) {
        for (const auto& entry : costEntries())
            if (entry.field == field) {
                out.push_back({std::string(entry.name), meaning.empty() ? std::string(entry.meaning) : std::move(meaning),
                               count, costs.*field, inEvent});
                return;
            }
    }
    void instruction(uint8_t opcode, bool inEvent) {
        const auto* info = isa::infoFor(opcode);
        if (!info) return;
        out.push_back({fmt::format("insn.{}", info->mnemonic), "the instruction's own cycles", 1,
                       costs.instruction[opcode], inEvent});
    }
};

// The instruction an event of this kind must have at its pc, when its kind
// says (a syscall event sits on a syscall), or the opcode it carries.
std::optional<uint8_t> expectedOpcode(const Event& e) {
    switch (e.kind) {
    case EventKind::SensitiveTrapped:
    case EventKind::SensitiveSilent:
    case EventKind::EmulatedInstruction: return uint8_t(e.detail);
    case EventKind::Syscall: return uint8_t(Opcode::Syscall);
    case EventKind::Hypercall: return uint8_t(Opcode::Hcall);
    case EventKind::Halt: return uint8_t(Opcode::Hlt);
    default: return std::nullopt;
    }
}

bool opcodeFits(const Event& e, uint8_t op) {
    if (auto want = expectedOpcode(e)) return *want == op;
    switch (e.kind) {
    case EventKind::PortIo: return op == uint8_t(Opcode::In) || op == uint8_t(Opcode::Out);
    case EventKind::TrapReturn: return op == uint8_t(Opcode::Iret) || op == uint8_t(Opcode::Hcall);
    case EventKind::SyscallReturn: return op == uint8_t(Opcode::Sysret) || op == uint8_t(Opcode::Hcall);
    case EventKind::VmExit:
        if (auto reason = VmExitReason(e.detail); reason == VmExitReason::Hypercall) return op == uint8_t(Opcode::Hcall);
        return true;
    default: return true;
    }
}

// What the event's pc is to the event.
std::string_view roleOfInstruction(EventKind k, const Event& e) {
    switch (k) {
    case EventKind::Interrupt: return "the instruction about to run when the interrupt came";
    case EventKind::VmEntry: return "where the guest resumes";
    case EventKind::Translation:
    case EventKind::TranslationHit: return "the first instruction of the block";
    case EventKind::ContextSwitch: return "the instruction running when the switch came";
    case EventKind::TranslationInvalidate:
    case EventKind::ShadowUpdate: return "the instruction running when it happened";
    case EventKind::PageWalk: return "the instruction whose memory access missed in the TLB";
    case EventKind::VmExit:
        if (VmExitReason(e.detail) == VmExitReason::ExternalInterrupt) return "the instruction about to run when the timer ticked";
        if (VmExitReason(e.detail) == VmExitReason::GuestPageTableWrite) return "the instruction running when the page table was written";
        return "the instruction that caused it";
    default: return "the instruction that caused it";
    }
}

std::string ringLine(int ring, Mode mode) { return fmt::format("ring {} ({})", ring, ringOccupant(ring, mode)); }

std::string_view mnemonicOf(uint8_t op) {
    const auto* info = isa::infoFor(op);
    return info ? info->mnemonic : "?";
}

// What a sensitive-unprivileged instruction did when it ran outside ring 0.
std::string silentEffect(uint8_t op) {
    switch (Opcode(op)) {
    case Opcode::Popf:
        return "popf outside ring 0 loads the condition flags but silently keeps the interrupt flag: the kernel's "
               "wish to turn interrupts on or off was dropped";
    case Opcode::Pushf: return "pushf pushed the real interrupt flag, not the one the guest kernel believes it set";
    case Opcode::Getcpl: return "getcpl returned the real ring, so a kernel that asks learns it is not in ring 0";
    case Opcode::Stt: return "stt read the real trap-table base: the monitor's table, not the guest kernel's";
    default: return "it behaved as it does at this ring, with no trap";
    }
}

// Why the CPU raised a fault, by its vector.
std::string faultCause(const Event& e, bool hypercall) {
    switch (isa::Vector(e.vector)) {
    case isa::Vector::GeneralProtection:
        return " It was raised because a privileged instruction ran outside ring 0 (or a port had no device).";
    case isa::Vector::PageFault:
        return fmt::format(" It was raised because address {:#x} is not mapped, or not allowed from this ring.", e.detail);
    case isa::Vector::InvalidOpcode:
        return hypercall ? " It was raised because hcall has nobody to answer it on bare hardware: no monitor."
                         : " It was raised because the CPU has no such instruction.";
    case isa::Vector::DivideError: return " It was raised by a division by zero.";
    case isa::Vector::Breakpoint: return " It was raised by brk, on purpose.";
    case isa::Vector::BusError: return " It was raised because the physical address is outside the machine's memory.";
    case isa::Vector::Alignment: return " It was raised by a misaligned access.";
    default: return "";
    }
}

void explainTrapMechanism(const Event& e, Mode a, Parts& parts, EventExplanation& x);

void explainTrapLike(const Event& e, Mode a, Parts& parts, EventExplanation& x) {
    explainTrapMechanism(e, a, parts, x);
    if (e.kind == EventKind::Fault) x.mechanismText += faultCause(e, x.instructionClass == "hypercall");
}

void explainTrapMechanism(const Event& e, Mode a, Parts& parts, EventExplanation& x) {
    const bool syscall = e.kind == EventKind::Syscall;
    const bool interrupt = e.kind == EventKind::Interrupt;
    const std::string_view vector = isa::vectorName(e.vector);
    const std::string what = syscall     ? "the system call"
                             : interrupt ? fmt::format("the {} interrupt", vector)
                             : vector.find("fault") != std::string_view::npos ? fmt::format("the {}", vector)
                                                                               : fmt::format("the {} fault", vector);
    if (e.cost == 0) {
        // deliverThroughTable found no handler: the trap is counted, then the guest stops.
        x.mechanism = "no handler: the guest stopped";
        x.mechanismText = fmt::format("The trap table has no handler for {} (vector {}), so nothing could take it "
                                      "and the run ended with a guest fault.",
                                      what, e.vector);
        return;
    }
    if (compressesRings(a) && !(syscall && a == Mode::Paravirt)) {
        x.mechanism = interrupt ? "into the monitor, passed on as a virtual interrupt" : "trap to the monitor, reflected";
        x.mechanismText = fmt::format(
            "The CPU's trap table is the monitor's, so {} landed in the monitor in ring 0 first. The monitor then "
            "delivered it to the guest kernel's own handler in ring 1, building the trap frame the kernel expects "
            "(reflecting it){}.",
            what,
            interrupt ? "; a tick is delivered only while the guest's virtual interrupt flag is on, else it waits" : "");
        parts.add(&Costs::reflectTrap, true);
        parts.add(&Costs::monitorTrap, false, 1,
                  interrupt ? "the trap into the monitor when the tick arrived (not paid again for a tick held pending)"
                            : "the trap into the monitor, charged as it arrived");
        return;
    }
    if (syscall) {
        x.mechanism = a == Mode::Paravirt ? "fast system-call path (no monitor)" : "the hardware syscall gate";
        if (a == Mode::Paravirt)
            x.mechanismText = "The paravirtual kernel registered its handler with the monitor, so the gate goes "
                              "straight to the guest kernel in ring 1 (Xen's fast path): the monitor is not entered.";
        else if (a == Mode::HwAssist)
            x.mechanismText = "In non-root mode the gate works as on bare hardware: straight to the guest kernel's "
                              "handler in ring 0, with no VM exit.";
        else if (a == Mode::Emulation)
            x.mechanismText = "The emulator carried out the gate on its emulated CPU: into the guest kernel's handler "
                              "in (emulated) ring 0.";
        else
            x.mechanismText = "The syscall instruction entered ring 0 at the kernel's handler in one step, through the "
                              "syscall entry of the trap table. No monitor is involved.";
        parts.add(&Costs::syscallEntry, true);
        return;
    }
    x.mechanism = interrupt ? "hardware interrupt through the trap table" : "hardware trap through the trap table";
    if (a == Mode::HwAssist)
        x.mechanismText = interrupt ? "The timer tick caused an external-interrupt VM exit earlier; the monitor "
                                      "injected it as a virtual interrupt, and now the CPU delivers it through the "
                                      "guest's own trap table to the guest kernel in ring 0."
                                    : "In non-root mode this fault is not one the monitor asked to see: the CPU "
                                      "delivers it through the guest's own trap table to the guest kernel, no VM exit.";
    else if (a == Mode::Emulation)
        x.mechanismText = fmt::format("The emulator delivered {} on its emulated CPU, through the guest's trap table.", what);
    else
        x.mechanismText = fmt::format("The CPU delivered {} through the trap table to the kernel's handler in ring 0.", what);
    parts.add(&Costs::trapEntry, true);
}

void explainReturn(const Event& e, Mode a, Parts& parts, EventExplanation& x) {
    const bool sysret = e.kind == EventKind::SyscallReturn;
    const char* insn = sysret ? "sysret" : "iret";
    if (compressesRings(a)) {
        x.mechanism = a == Mode::TrapEmulate      ? fmt::format("{} trapped and emulated", insn)
                      : a == Mode::BinaryTranslation ? fmt::format("{} emulated by a callout", insn)
                                                          : "the iret hypercall";
        if (a == Mode::TrapEmulate) {
            x.mechanismText = fmt::format("The guest kernel runs in ring 1, where {} is not allowed: it faulted into "
                                          "the monitor (the sensitive-trapped event just before), which popped the "
                                          "trap frame for the guest.",
                                          insn);
            parts.add(&Costs::monitorTrap, false, 1, "the trap into the monitor (in the sensitive-trapped event)");
            parts.add(&Costs::emulatePrivileged, false, 1, "emulating it (in the sensitive-trapped event)");
        } else if (a == Mode::BinaryTranslation) {
            x.mechanismText = fmt::format("The translator turned {} into a callout; the monitor popped the trap frame "
                                          "for the guest (the emulated-instruction event just before).",
                                          insn);
            parts.add(&Costs::btCallout, false, 1, "the callout (in the emulated-instruction event)");
            parts.add(&Costs::emulatePrivileged, false, 1, "emulating it (in the emulated-instruction event)");
        } else {
            x.mechanismText = "The paravirtual kernel does not execute iret or sysret: it asks the monitor with the "
                              "iret hypercall (the event just before), and the monitor pops the frame.";
            parts.add(&Costs::hypercall, false, 1, "the iret hypercall (in the hypercall event)");
        }
        return;
    }
    x.mechanism = fmt::format("{} executed by the kernel", insn);
    x.mechanismText = fmt::format("The kernel's {} in ring 0 popped the {} frame and went back to the ring saved in "
                                  "it{}.",
                                  insn, sysret ? "system call's" : "trap",
                                  a == Mode::HwAssist ? "; in non-root mode this needs no VM exit" : "");
    parts.add(sysret ? &Costs::syscallReturn : &Costs::trapReturn, true);
}

void explainVmExit(const Event& e, Parts& parts, EventExplanation& x) {
    const auto reason = VmExitReason(e.detail);
    x.mechanism = fmt::format("VM exit ({})", vmExitReasonName(reason));
    std::string why;
    switch (reason) {
    case VmExitReason::Hlt: why = "The guest kernel executed hlt; the monitor lets the VM idle until its next interrupt."; break;
    case VmExitReason::IoInstruction:
        why = "The guest executed in/out. The exit controls send every port access to the monitor, which emulates "
              "the VM's virtual device.";
        parts.add(&Costs::emulatedIo, false, 1, "the monitor emulating the virtual device (a port-io event)");
        parts.add(&Costs::ioPort, false, 1, "the device itself");
        break;
    case VmExitReason::PageTableBaseLoad:
        why = "The guest loaded its page-table base (like a CR3 write). Under shadow paging the monitor must switch "
              "the shadow tables the CPU really walks.";
        parts.add(&Costs::shadowPtbSwitch, false, 1, "switching the shadow tables (a shadow-update event)");
        break;
    case VmExitReason::TrapTableLoad: why = "The guest loaded its trap table; the monitor records it and carries it out."; break;
    case VmExitReason::TimerProgramming: why = "The guest programmed its timer; the monitor sets the timer on its behalf."; break;
    case VmExitReason::TlbInvalidate: why = "The guest flushed TLB entries; the monitor does it for the VM."; break;
    case VmExitReason::ControlRegisterRead: why = "The guest read a control register; the monitor supplies the value."; break;
    case VmExitReason::ExternalInterrupt:
        why = "A timer tick arrived while the guest ran. Physical interrupts belong to the monitor, whatever the "
              "guest's interrupt flag says; it turns the tick into a virtual interrupt injected into the guest.";
        parts.add(&Costs::trapEntry, false, 1, "delivering the injected interrupt to the guest later (an interrupt event)");
        break;
    case VmExitReason::PageFault:
        why = "A page fault in the guest, with page-fault exiting on: the monitor hands it back to the guest kernel.";
        parts.add(&Costs::trapEntry, false, 1, "delivering the fault to the guest kernel (a fault event)");
        break;
    case VmExitReason::Hypercall:
        why = "hcall always exits, but an unmodified guest has no hypercalls to make: the monitor gives it an "
              "invalid-opcode fault, as bare hardware would.";
        parts.add(&Costs::trapEntry, false, 1, "delivering the invalid-opcode fault (a fault event)");
        break;
    case VmExitReason::GuestPageTableWrite:
        why = "The guest wrote one of its page tables, which the monitor write-protects under shadow paging: it "
              "mirrors the write in the shadow tables.";
        parts.add(&Costs::shadowPteUpdate, false, 1, "updating the shadow tables (a shadow-update event)");
        break;
    case VmExitReason::Count: break;
    }
    x.mechanismText = why + " The CPU leaves non-root mode for the monitor in root mode (ring -1), saving the guest's "
                            "state; after handling it, a VM entry resumes the guest.";
    parts.add(&Costs::vmExit, true);
    parts.add(&Costs::exitHandling, false);
    parts.add(&Costs::vmEntry, false, 1, "the VM entry that follows (its own event)");
}

void explainHypercall(const Event& e, Parts& parts, EventExplanation& x) {
    const HypercallInfo* h = hypercallByNumber(e.detail);
    x.mechanism = h ? fmt::format("hypercall {} ({})", h->name, e.detail) : fmt::format("hypercall {}", e.detail);
    x.mechanismText = fmt::format(
        "The paravirtual guest kernel calls the monitor directly, as a program makes a system call to its kernel: "
        "ring 1 to the monitor in ring 0 and back.{}{}",
        h ? fmt::format(" {}: {}.", h->name, h->summary) : std::string(" The monitor knows no such hypercall and returns -1."),
        h && !h->replaces.empty() ? fmt::format(" It replaces {} of the unmodified kernel.", h->replaces) : std::string());
    parts.add(&Costs::hypercall, true);
    if (!h) return;
    switch (h->number) {
    case HypercallNumber::ConsoleWrite:
        parts.add(&Costs::emulatedIo, false, 1, "one emulated device operation for the whole buffer");
        parts.add(&Costs::ioPort, false, 1, "one write by the console device");
        break;
    case HypercallNumber::BlockIo:
        parts.add(&Costs::emulatedIo, false, 1, "one emulated device operation for the whole request");
        parts.add(&Costs::ioPort, false, 1, "the disk's command");
        parts.add(&Costs::blockSector, false, 1, "each sector moved");
        break;
    case HypercallNumber::MmuUpdate:
        parts.add(&Costs::emulatePrivileged, false, 1, "checking and writing each page-table entry of the batch (per entry)");
        break;
    default: break;
    }
}

void explainPortIo(const Event& e, Mode a, Parts& parts, EventExplanation& x) {
    const std::string access = fmt::format("{} port {:#x} ({})", e.vector ? "out to" : "in from", e.detail, portName(e.detail));
    if (a == Mode::Native || a == Mode::Container) {
        x.mechanism = "direct device access";
        x.mechanismText = fmt::format("The kernel in ring 0 may use I/O ports: {} went to the physical device.", access);
        parts.add(&Costs::ioPort, false, 1, "the device's access time (counted as device cycles)");
        return;
    }
    x.mechanism = "emulated device access";
    if (a == Mode::HwAssist)
        x.mechanismText = fmt::format("This follows an io-instruction VM exit: the monitor, in root mode, emulated {} "
                                      "on the VM's virtual device.",
                                      access);
    else if (a == Mode::Emulation)
        x.mechanismText = fmt::format("The emulator carried out {} on the VM's virtual device.", access);
    else if (a == Mode::BinaryTranslation)
        x.mechanismText = fmt::format("The translated in/out called out to the monitor (the event before), which "
                                      "emulated {} on the VM's virtual device.",
                                      access);
    else
        x.mechanismText = fmt::format("in/out is privileged: in ring 1 it trapped into the monitor (the event "
                                      "before), which emulated {} on the VM's virtual device.",
                                      access);
    parts.add(&Costs::emulatedIo, e.cost != 0, 1, "the monitor emulating the virtual device");
    parts.add(&Costs::ioPort, false, 1, "the device's access time (counted as device cycles)");
}

void explainShadowUpdate(const Event& e, Mode a, Parts& parts, EventExplanation& x, const Costs& c) {
    // Which shadow-paging operation: the cost tells them apart.
    if (a == Mode::TrapEmulate && e.cost == uint64_t(c.monitorTrap) + c.shadowPteUpdate && e.cost != c.shadowPtbSwitch) {
        x.mechanism = "write-protect fault, shadow entry updated";
        x.mechanismText = "The guest kernel wrote one of its page tables. The monitor keeps those pages "
                          "write-protected, so the write faulted into it; it mirrored the change in the shadow "
                          "tables the CPU really uses.";
        parts.add(&Costs::monitorTrap, true);
        parts.add(&Costs::shadowPteUpdate, true);
        return;
    }
    if (e.cost == c.shadowPtbSwitch) {
        x.mechanism = "shadow tables switched";
        x.mechanismText = "The guest loaded a new page-table base (a new address space). The monitor switched to "
                          "the shadow tables for it, which the CPU walks instead of the guest's own.";
        parts.add(&Costs::shadowPtbSwitch, true);
        return;
    }
    x.mechanism = "shadow entry updated";
    x.mechanismText = a == Mode::BinaryTranslation
                          ? "The translated store to a guest page table was rewritten to tell the monitor, which "
                            "mirrored the write in the shadow tables inline, without a trap."
                          : "The monitor mirrored the guest's page-table write in the shadow tables.";
    parts.add(&Costs::shadowPteUpdate, true);
}

void explainMechanism(const Event& e, Mode a, const Costs& c, Parts& parts, EventExplanation& x) {
    switch (e.kind) {
    case EventKind::Syscall:
    case EventKind::Fault:
    case EventKind::Interrupt: explainTrapLike(e, a, parts, x); break;
    case EventKind::TrapReturn:
    case EventKind::SyscallReturn: explainReturn(e, a, parts, x); break;
    case EventKind::SensitiveTrapped: {
        const bool unprivileged = isa::infoFor(uint8_t(e.detail)) &&
                                  isa::infoFor(uint8_t(e.detail))->cls == InsnClass::SensitiveUnprivileged;
        x.mechanism = "fault to the monitor, emulated";
        x.mechanismText = fmt::format(
            "The guest kernel runs in ring 1, so {} raised a general-protection fault{}. The fault landed in the "
            "monitor (ring 0), which carried the instruction out on the guest's virtual CPU as ring 0 would have, "
            "then resumed the guest after it.",
            mnemonicOf(uint8_t(e.detail)),
            unprivileged ? ": only because this CPU is strict: every sensitive instruction is privileged on it" : "");
        parts.add(&Costs::monitorTrap, true);
        parts.add(&Costs::emulatePrivileged, true);
        break;
    }
    case EventKind::SensitiveSilent:
        if (e.ringBefore == 3) {
            x.mechanism = "nothing: ran directly in ring 3";
            x.mechanismText = fmt::format("A user program executed {} in ring 3. It does not trap; it simply "
                                          "behaves as ring 3's version ({}), which is what a user program should see.",
                                          mnemonicOf(uint8_t(e.detail)), silentEffect(uint8_t(e.detail)));
        } else {
            x.mechanism = "nothing: executed silently in the wrong ring";
            x.mechanismText = fmt::format(
                "The deprivileged guest kernel executed {} in ring {}. It is sensitive but not privileged, so the CPU "
                "did not trap and the monitor never saw it: {}. This is the flaw that defeats trap-and-emulate on "
                "x86 before VT-x; binary translation (a callout), paravirtualisation (a hypercall) and hardware "
                "assistance (the kernel really in ring 0) each avoid it.",
                mnemonicOf(uint8_t(e.detail)), e.ringBefore, silentEffect(uint8_t(e.detail)));
        }
        parts.instruction(uint8_t(e.detail), false);
        break;
    case EventKind::Hypercall: explainHypercall(e, parts, x); break;
    case EventKind::VmExit: explainVmExit(e, parts, x); break;
    case EventKind::VmEntry:
        x.mechanism = "VM entry";
        x.mechanismText = fmt::format("The monitor finished handling the exit and entered the guest again: the CPU "
                                      "loads the guest's state and goes back to non-root mode, ring {}.",
                                      e.ringAfter);
        parts.add(&Costs::vmEntry, true);
        break;
    case EventKind::Translation:
        x.mechanism = "block translated";
        x.mechanismText = fmt::format(
            "This block of {} {} ran for the first time (or its old translation was dropped), so the {} translated "
            "it: ordinary instructions copied, sensitive and privileged ones turned into callouts to the monitor. "
            "Later runs use the cached translation.",
            e.extra, e.extra == 1 ? "instruction" : "instructions", a == Mode::Emulation ? "emulator" : "monitor");
        parts.add(&Costs::btTranslatePerBlock, true);
        parts.add(&Costs::btTranslatePerInsn, true, e.extra);
        if (a == Mode::Emulation)
            parts.add(&Costs::emuPerInsn, false, e.extra, "interpreting each instruction, every time the block runs");
        break;
    case EventKind::TranslationHit:
        x.mechanism = "translation-cache lookup";
        x.mechanismText = "Control reached this block without a direct chain from the last one (an indirect jump, a "
                          "return, a trap): the monitor looked its translation up in the cache and found it. Chained "
                          "entries cost nothing and leave no event.";
        parts.add(&Costs::btLookup, true);
        break;
    case EventKind::TranslationInvalidate:
        x.mechanism = "translations dropped";
        x.mechanismText = fmt::format("A store wrote over guest code that had been translated; {} translated {} "
                                      "dropped and will be translated again when they next run.",
                                      e.extra, e.extra == 1 ? "block was" : "blocks were");
        break;
    case EventKind::EmulatedInstruction:
        x.mechanism = "translation callout, emulated";
        x.mechanismText = fmt::format(
            "The translator had rewritten {} in this kernel block into a callout. Translated code called the monitor, "
            "which carried the instruction out correctly on the guest's virtual CPU: no fault needed, so even the "
            "sensitive-unprivileged instructions that slip past trap-and-emulate are caught.",
            mnemonicOf(uint8_t(e.detail)));
        parts.add(&Costs::btCallout, true);
        parts.add(&Costs::emulatePrivileged, true);
        break;
    case EventKind::PortIo: explainPortIo(e, a, parts, x); break;
    case EventKind::PageWalk: {
        const bool nested = a == Mode::HwAssist && e.extra == c.nestedWalkRefs && e.extra > 2;
        x.mechanism = nested ? "two-dimensional (nested) page walk" : "page walk after a TLB miss";
        x.mechanismText = fmt::format("The address {:#x} was not in the TLB, so the MMU walked the page tables: {} "
                                      "memory references{}.",
                                      e.detail, e.extra,
                                      nested ? ", because with nested paging each guest table is itself found through "
                                            "the monitor's tables"
                                          : "");
        parts.add(&Costs::pageWalkRef, false, e.extra, "each memory reference of the walk (counted as page-walk cycles)");
        break;
    }
    case EventKind::ShadowUpdate: explainShadowUpdate(e, a, parts, x, c); break;
    case EventKind::IsolationViolation:
        x.mechanism = "refused by the monitor";
        x.mechanismText = fmt::format("The guest reached for {:#x}, outside what it owns (its partition of memory, "
                                      "or a port with no virtual device behind it). The monitor refused, logged it, "
                                      "and the guest got a fault instead.",
                                      e.detail);
        break;
    case EventKind::ContextSwitch:
        if (e.vm == kHostGuest) {
            x.mechanism = "VM switch";
            x.mechanismText = fmt::format("The monitor's scheduler moved the physical CPU from vm{} to vm{}: it saved "
                                          "one VM's CPU state and loaded the other's.",
                                          e.detail, e.extra);
            parts.add(&Costs::vmSwitch, true);
        } else {
            x.mechanism = "container switch";
            x.mechanismText = fmt::format("The host kernel switched from a process in container {} to one in "
                                          "container {}: ordinary process scheduling plus the cgroup and namespace "
                                          "bookkeeping: no second kernel, no monitor.",
                                          e.extra, e.detail);
            parts.add(&Costs::containerSwitch, true);
        }
        break;
    case EventKind::WorldSwitch:
        x.mechanism = "world switch";
        x.mechanismText = "The physical CPU moved between the monitor and a VM.";
        break;
    case EventKind::Halt:
        x.mechanism = e.extra ? "idle until the next interrupt" : "halt";
        x.mechanismText = e.extra ? fmt::format("hlt: the CPU slept {} cycles until the timer's next tick.", e.extra)
                                  : "hlt: the CPU stopped (no interrupt could wake it, or the guest was done).";
        break;
    case EventKind::Count: break;
    }
}

std::string controlFor(const Event& e, Mode a, Mode mode) {
    if (e.ringBefore == e.ringAfter) {
        std::string text = fmt::format("Control stayed in ring {} ({}).", e.ringBefore, ringOccupant(e.ringBefore, mode));
        if (compressesRings(a) && (e.kind == EventKind::EmulatedInstruction || e.kind == EventKind::PortIo))
            text += " The monitor ran for a moment in between, on the guest's behalf.";
        if (e.kind == EventKind::PortIo && a == Mode::HwAssist) text = "The monitor handled it in root mode (ring -1), between a VM exit and the VM entry.";
        return text;
    }
    std::string text = fmt::format("Control went from ring {} ({}) to ring {} ({}).", e.ringBefore,
                                   ringOccupant(e.ringBefore, mode), e.ringAfter, ringOccupant(e.ringAfter, mode));
    const bool reflected = compressesRings(a) && e.ringAfter == 1 &&
                           (e.kind == EventKind::Fault || e.kind == EventKind::Interrupt ||
                            (e.kind == EventKind::Syscall && a != Mode::Paravirt));
    if (reflected) text += " It passed through the monitor in ring 0 on the way.";
    const bool returns = (e.kind == EventKind::SensitiveTrapped &&
                          (e.detail == uint8_t(Opcode::Iret) || e.detail == uint8_t(Opcode::Sysret))) ||
                         (e.kind == EventKind::Hypercall && e.detail == uint32_t(HypercallNumber::Iret));
    if (returns)
        text += " The monitor then popped the guest's trap frame and went on in the ring saved there.";
    else if (e.kind == EventKind::SensitiveTrapped || e.kind == EventKind::Hypercall)
        text += fmt::format(" The monitor then resumed the guest kernel in ring {}.", e.ringBefore);
    return text;
}

}  // namespace

std::string CodeLocation::where() const {
    std::string out = line > 0 ? fmt::format("{}:{}", file, line) : image;
    if (!label.empty()) out += fmt::format(" ({})", label);
    return out;
}

std::optional<CodeLocation> locateCode(const GuestImages& guest, uint32_t address,
                                       const std::function<bool(uint8_t)>& fits) {
    struct Candidate {
        const assembler::Program* program;
        std::string image;
    };
    std::vector<Candidate> holding;
    auto consider = [&](const assembler::Program& p, const std::string& name) {
        if (address >= p.origin && uint64_t(address) - p.origin < p.image.size()) holding.push_back({&p, name});
    };
    consider(guest.kernel, "kernel");
    for (size_t i = 0; i < guest.programs.size(); ++i)
        consider(guest.programs[i], i < guest.programNames.size() ? guest.programNames[i] : fmt::format("program {}", i + 1));
    if (holding.empty()) return std::nullopt;

    auto decode = [&](const Candidate& c) {
        const auto& p = *c.program;
        const size_t offset = address - p.origin;
        disassembler::SymbolNamer namer = [&p](uint32_t a) { return p.labelAt(a); };
        return disassembler::disassembleOne(std::span<const uint8_t>(p.image).subspan(offset), address, namer);
    };
    std::vector<size_t> fitting;
    for (size_t i = 0; i < holding.size(); ++i) {
        const auto line = decode(holding[i]);
        if (!fits || (line.info && fits(uint8_t(line.info->opcode)))) fitting.push_back(i);
    }
    if (fitting.empty())  // nothing fits: show the first holder rather than nothing
        fitting.push_back(0);

    const Candidate& chosen = holding[fitting.front()];
    const auto& p = *chosen.program;
    CodeLocation loc;
    loc.image = chosen.image;
    const auto line = decode(chosen);
    loc.instruction = line.text;
    loc.decoded = line.info != nullptr;
    if (line.info) loc.opcode = uint8_t(line.info->opcode);
    if (auto source = p.locationOf(address)) {
        loc.path = source->file;
        loc.file = std::filesystem::path(source->file).filename().string();
        loc.line = source->line;
    }
    loc.label = p.nearestLabel(address).value_or("");
    for (size_t i = 1; i < fitting.size(); ++i) loc.alsoPossible.push_back(holding[fitting[i]].image);
    return loc;
}

std::string ringOccupant(int ring, Mode a) {
    switch (ring) {
    case -1: return a == Mode::HwAssist ? "the monitor, in root mode" : "root mode (unused in this mode)";
    case 0:
        switch (a) {
        case Mode::Native: return "the kernel";
        case Mode::Container: return "the host kernel, shared by every container";
        case Mode::Emulation: return "the guest kernel, on the emulated CPU";
        case Mode::HwAssist: return "the guest kernel, in non-root mode";
        default: return "the monitor";
        }
    case 1: return compressesRings(a) ? "the guest kernel, deprivileged" : "unused";
    case 2: return "unused";
    case 3:
        switch (a) {
        case Mode::Native: return "a user program";
        case Mode::Container: return "a program in a container";
        case Mode::Emulation: return "a user program, on the emulated CPU";
        default: return "a user program of the guest";
        }
    default: return "?";
    }
}

std::string_view instructionClassMeaning(InsnClass c) {
    switch (c) {
    case InsnClass::Ordinary:
        return "Ordinary: it does the same at every ring, so a monitor never needs to see it; it runs directly (a "
               "translator copies it unchanged).";
    case InsnClass::Privileged:
        return "Privileged: only ring 0 may execute it; anywhere else the CPU raises a general-protection fault. That "
               "fault is what lets a monitor catch it and emulate it.";
    case InsnClass::SensitiveUnprivileged:
        return "Sensitive but unprivileged: it reads or changes privileged state (the interrupt flag, the current "
               "ring, the trap table), yet never faults outside ring 0: it quietly behaves differently. A monitor "
               "that waits for faults never sees it.";
    case InsnClass::Gate:
        return "Gate: a controlled change of ring: syscall enters the kernel at the handler it set up, sysret goes "
               "back.";
    case InsnClass::Hypercall:
        return "Hypercall: a paravirtual kernel's call into the monitor, as a syscall is a program's call into its "
               "kernel. Bare hardware has nobody to answer it (invalid opcode).";
    }
    return "";
}

EventExplanation explainEvent(const Event& e, Mode a, const Costs& costs, const GuestImages& guest) {
    const Mode mode = a;
    EventExplanation x;
    x.kind = std::string(eventKindName(e.kind));
    x.eventCost = e.cost;

    x.code = locateCode(guest, e.pc, [&e](uint8_t op) { return opcodeFits(e, op); });
    x.instructionRole = std::string(roleOfInstruction(e.kind, e));
    // The opcode the event carries is what ran, whatever the image says.
    std::optional<uint8_t> op = expectedOpcode(e);
    if (!op && x.code && x.code->decoded) op = x.code->opcode;
    if (x.code && !x.code->decoded && op) x.code->instruction = std::string(mnemonicOf(*op));
    if (!x.code && op) {
        x.code = CodeLocation{};
        x.code->image = "?";
        x.code->instruction = std::string(mnemonicOf(*op));
        x.code->opcode = *op;
        x.code->decoded = true;
    }
    if (op)
        if (const auto* info = isa::infoFor(*op)) {
            x.instructionClass = std::string(isa::className(info->cls));
            x.classMeaning = std::string(instructionClassMeaning(info->cls));
        }

    Parts parts{costs, x.costs};
    explainMechanism(e, a, costs, parts, x);
    std::stable_partition(x.costs.begin(), x.costs.end(), [](const CostPart& p) { return p.inEventCost; });

    x.ringBefore = ringLine(e.ringBefore, mode);
    x.ringAfter = ringLine(e.ringAfter, mode);
    x.controlText = controlFor(e, a, mode);

    const std::string instr = x.code && !x.code->instruction.empty() ? x.code->instruction : "";
    x.summary = fmt::format("{} in {}{}: {}.", x.kind, mode,
                            instr.empty() ? "" : fmt::format(" at `{}`", instr), x.mechanism);

    // What the cost figures cover.
    uint64_t inEvent = 0;
    for (const auto& p : x.costs) inEvent += p.inEventCost ? p.cycles() : 0;
    std::string note;
    if (e.cost == 0 && inEvent == 0)
        note = "This event carries no cost of its own.";
    else if (inEvent == e.cost)
        note = fmt::format("The event's {} cycles are the parts marked 'in event'.", e.cost);
    else
        note = fmt::format("The event records {} cycles; the cost table's parts add up to {} (costs were changed "
                           "during the run, or this case is not modelled here).",
                           e.cost, inEvent);
    if (std::any_of(x.costs.begin(), x.costs.end(), [](const CostPart& p) { return !p.inEventCost; }))
        note += " The parts marked 'apart' are charged separately, in their own events or straight to the cycle counters.";
    note += " Not included: the instructions of whichever handler runs next";
    if (a == Mode::Emulation) note += ", and the emulator's emu_insn for every instruction it interprets";
    note += ".";
    x.costNote = note;
    return x;
}

std::string explanationText(const EventExplanation& x) {
    std::string out = x.summary + "\n\n";
    if (x.code) {
        out += fmt::format("instruction: {}  at {}  [{}]\n", x.code->instruction.empty() ? "?" : x.code->instruction,
                           x.code->where(), x.code->image);
        out += fmt::format("             ({})\n", x.instructionRole);
        if (!x.code->alsoPossible.empty()) {
            std::string others;
            for (const auto& o : x.code->alsoPossible) {
                if (!others.empty()) others += ", ";
                others += o;
            }
            out += fmt::format("             (the same address in {} fits too: user programs share their origin)\n", others);
        }
    }
    if (!x.instructionClass.empty()) out += fmt::format("class:       {}\n             {}\n", x.instructionClass, x.classMeaning);
    out += fmt::format("mechanism:   {}\n             {}\n", x.mechanism, x.mechanismText);
    out += fmt::format("control:     {}\n", x.controlText);
    out += fmt::format("cost:        {} cycles in the event\n", x.eventCost);
    for (const auto& p : x.costs) {
        const std::string amount = p.count == 1 ? fmt::format("{}", p.each) : fmt::format("{} x {} = {}", p.count, p.each, p.cycles());
        out += fmt::format("  {:<9} {:<20} {:>16}  {}\n", p.inEventCost ? "in event" : "apart", p.name, amount, p.meaning);
    }
    out += fmt::format("             {}\n", x.costNote);
    return out;
}

}  // namespace ringsim
