#include "lesson/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cpu-model/devices.h"
#include "cpu-model/disassembler.h"
#include "cpu-model/vmx.h"
#include "machine/errors.h"
#include "machine/hypercalls.h"
#include "monitors/deprivileged.h"
#include "monitors/monitor.h"

namespace ringsim {

using isa::InsnClass;
using isa::Opcode;

namespace {

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

void explainTrap(const Event& e, Mode mode, EventExplanation& x) {
    const Mechanism m = e.receipt.mechanism;
    const bool interrupt = e.kind == EventKind::Interrupt;
    const std::string_view vector = isa::vectorName(e.vector);
    const std::string what = e.kind == EventKind::Syscall ? "the system call"
                             : interrupt ? fmt::format("the {} interrupt", vector)
                             : vector.find("fault") != std::string_view::npos ? fmt::format("the {}", vector)
                                                                               : fmt::format("the {} fault", vector);
    switch (m) {
    case Mechanism::NoHandler:
        x.mechanism = "no handler: the guest stopped";
        x.mechanismText = fmt::format("The trap table has no handler for {} (vector {}), so nothing could take it "
                                      "and the run ended with a guest fault.",
                                      what, e.vector);
        return;
    case Mechanism::ReflectedByMonitor:
        x.mechanism = interrupt ? "into the monitor, passed on as a virtual interrupt" : "trap to the monitor, reflected";
        x.mechanismText = fmt::format(
            "The CPU's trap table is the monitor's, so {} landed in the monitor in ring 0 first. The monitor then "
            "delivered it to the guest kernel's own handler in ring 1, building the trap frame the kernel expects "
            "(reflecting it){}.",
            what,
            interrupt ? "; a tick is delivered only while the guest's virtual interrupt flag is on, else it waits" : "");
        return;
    case Mechanism::SyscallGate:
        if (e.ringAfter == kGuestKernelRing) {
            x.mechanism = "fast system-call path (no monitor)";
            x.mechanismText = "The paravirtual kernel registered its handler with the monitor, so the gate goes "
                              "straight to the guest kernel in ring 1 (Xen's fast path): the monitor is not entered.";
            return;
        }
        x.mechanism = "the hardware syscall gate";
        if (mode == Mode::HwAssist)
            x.mechanismText = "In non-root mode the gate works as on bare hardware: straight to the guest kernel's "
                              "handler in ring 0, with no VM exit.";
        else if (mode == Mode::Emulation)
            x.mechanismText = "The emulator carried out the gate on its emulated CPU: into the guest kernel's handler "
                              "in (emulated) ring 0.";
        else
            x.mechanismText = "The syscall instruction entered ring 0 at the kernel's handler in one step, through the "
                              "syscall entry of the trap table. No monitor is involved.";
        return;
    case Mechanism::InjectedInterrupt:
        x.mechanism = "injected interrupt through the guest's trap table";
        x.mechanismText = "The timer tick caused an external-interrupt VM exit earlier; the monitor injected it as a "
                          "virtual interrupt, and now the CPU delivers it through the guest's own trap table to the "
                          "guest kernel in ring 0.";
        return;
    default:
        x.mechanism = interrupt ? "hardware interrupt through the trap table" : "hardware trap through the trap table";
        if (mode == Mode::HwAssist)
            x.mechanismText = "In non-root mode this is not an event the monitor asked to see: the CPU delivers it "
                              "through the guest's own trap table to the guest kernel, no VM exit.";
        else if (mode == Mode::Emulation)
            x.mechanismText = fmt::format("The emulator delivered {} on its emulated CPU, through the guest's trap table.", what);
        else
            x.mechanismText = fmt::format("The CPU delivered {} through the trap table to the kernel's handler in ring 0.", what);
        return;
    }
}

void explainReturn(const Event& e, Mode mode, EventExplanation& x) {
    const char* insn = e.kind == EventKind::SyscallReturn ? "sysret" : "iret";
    if (e.receipt.mechanism == Mechanism::ReturnByMonitor) {
        // How the request reached the monitor is on the receipt: the cost it names apart.
        const auto items = e.receipt.costItems();
        auto names = [&](std::string_view name) {
            return std::any_of(items.begin(), items.end(), [&](const CostItem& i) { return i.name() == name; });
        };
        if (names("hypercall")) {
            x.mechanism = "the iret hypercall";
            x.mechanismText = "A tick was waiting as the paravirtual kernel returned, so instead of its own iret it "
                              "asked the monitor with the iret hypercall (the event just before), which pops the frame "
                              "and delivers the tick.";
        } else if (names("bt_callout")) {
            x.mechanism = fmt::format("{} emulated by a callout", insn);
            x.mechanismText = fmt::format("The translator turned {} into a callout; the monitor popped the trap frame "
                                          "for the guest (the emulated-instruction event just before).",
                                          insn);
        } else {
            x.mechanism = fmt::format("{} trapped and emulated", insn);
            x.mechanismText = fmt::format("The guest kernel runs in ring 1, where {} is not allowed: it faulted into "
                                          "the monitor (the sensitive-trapped event just before), which popped the "
                                          "trap frame for the guest.",
                                          insn);
        }
        return;
    }
    x.mechanism = fmt::format("{} executed by the kernel", insn);
    x.mechanismText = fmt::format("The kernel's {} in ring {} popped the {} frame and went back to the ring saved in "
                                  "it{}.",
                                  insn, int(e.ringBefore), e.kind == EventKind::SyscallReturn ? "system call's" : "trap",
                                  mode == Mode::HwAssist   ? "; in non-root mode this needs no VM exit"
                                  : mode == Mode::Paravirt ? ": the monitor lets ring 1 return outward (x86's rule), and "
                                                             "the kernel keeps its interrupt flag in the page it shares "
                                                             "with the monitor, so no monitor was needed"
                                                           : "");
}

// A page-fault exit is the guest's own fault (the monitor injects it) or a
// hidden one (it fills a shadow entry): the exit's receipt bills which.
bool fillsShadowEntry(const Receipt& receipt) {
    for (const auto& item : receipt.costItems())
        if (!item.instruction && item.name() == "shadow_pte_update") return true;
    return false;
}

std::string_view vmExitWhy(VmExitReason reason, const Receipt& receipt) {
    switch (reason) {
    case VmExitReason::Hlt: return "The guest kernel executed hlt; the monitor lets the VM idle until its next interrupt.";
    case VmExitReason::IoInstruction:
        return "The guest executed in/out. The exit controls send every port access to the monitor, which emulates "
               "the VM's virtual device.";
    case VmExitReason::PageTableBaseLoad:
        return "The guest loaded its page-table base (like a CR3 write). Under shadow paging the monitor must switch "
               "the shadow tables the CPU really walks.";
    case VmExitReason::TrapTableLoad: return "The guest loaded its trap table; the monitor records it and carries it out.";
    case VmExitReason::TimerProgramming: return "The guest programmed its timer; the monitor sets the timer on its behalf.";
    case VmExitReason::TlbInvalidate: return "The guest flushed TLB entries; the monitor does it for the VM.";
    case VmExitReason::ControlRegisterRead: return "The guest read a control register; the monitor supplies the value.";
    case VmExitReason::ExternalInterrupt:
        return "A timer tick arrived while the guest ran. Physical interrupts belong to the monitor, whatever the "
               "guest's interrupt flag says; it turns the tick into a virtual interrupt injected into the guest.";
    case VmExitReason::PageFault:
        if (fillsShadowEntry(receipt))
            return "A page fault of the shadow tables alone, with page-fault exiting on: the guest's own tables map "
                   "the address, but the monitor fills shadow entries only on a page's first use in an address "
                   "space. It fills the entry and resumes the guest, which never sees this hidden fault.";
        return "A page fault in the guest, with page-fault exiting on: the monitor hands it back to the guest kernel.";
    case VmExitReason::Hypercall:
        return "hcall always exits, but an unmodified guest has no hypercalls to make: the monitor gives it an "
               "invalid-opcode fault, as bare hardware would.";
    case VmExitReason::GuestPageTableWrite:
        return "The guest wrote one of its page tables, which the monitor write-protects under shadow paging: it "
               "mirrors the write in the shadow tables.";
    case VmExitReason::MemoryBacking:
        return "The guest touched a frame of its memory for the first time. The monitor backs a VM's memory lazily: "
               "the access found no mapping in its tables (an EPT violation), so it allocated a host frame, zeroed "
               "it and mapped it. Each frame exits once; the frame counts as the VM's from now on.";
    case VmExitReason::Count: break;
    }
    return "";
}

void explainHypercall(const Event& e, EventExplanation& x) {
    const HypercallInfo* h = hypercallByNumber(e.detail);
    x.mechanism = h ? fmt::format("hypercall {} ({})", h->name, e.detail) : fmt::format("hypercall {}", e.detail);
    x.mechanismText = fmt::format(
        "The paravirtual guest kernel calls the monitor directly, as a program makes a system call to its kernel: "
        "ring 1 to the monitor in ring 0 and back.{}{}",
        h ? fmt::format(" {}: {}.", h->name, h->summary) : std::string(" The monitor knows no such hypercall and returns -1."),
        h && !h->replaces.empty() ? fmt::format(" It replaces {} of the unmodified kernel.", h->replaces) : std::string());
}

void explainDevice(const Event& e, Mode mode, EventExplanation& x) {
    const std::string access = fmt::format("{} port {:#x} ({})", e.vector ? "out to" : "in from", e.detail, portName(e.detail));
    if (e.receipt.mechanism == Mechanism::DirectDevice) {
        x.mechanism = "direct device access";
        x.mechanismText = fmt::format("The kernel in ring 0 may use I/O ports: {} went to the physical device.", access);
        return;
    }
    x.mechanism = "emulated device access";
    if (mode == Mode::HwAssist)
        x.mechanismText = fmt::format("The monitor, in root mode, emulated {} on the VM's virtual device (after an "
                                      "io-instruction VM exit, unless the exit controls let the access through).",
                                      access);
    else if (mode == Mode::Emulation)
        x.mechanismText = fmt::format("The emulator carried out {} on the VM's virtual device.", access);
    else if (mode == Mode::BinaryTranslation)
        x.mechanismText = fmt::format("The translated in/out called out to the monitor (the event before), which "
                                      "emulated {} on the VM's virtual device.",
                                      access);
    else
        x.mechanismText = fmt::format("in/out is privileged: in ring 1 it trapped into the monitor (the event "
                                      "before), which emulated {} on the VM's virtual device.",
                                      access);
}

void explainMechanism(const Event& e, Mode mode, EventExplanation& x) {
    switch (e.receipt.mechanism) {
    case Mechanism::SyscallGate:
    case Mechanism::ExceptionToKernel:
    case Mechanism::NoHandler:
    case Mechanism::ReflectedByMonitor:
    case Mechanism::InjectedInterrupt:
        explainTrap(e, mode, x);
        if (e.kind == EventKind::Fault) x.mechanismText += faultCause(e, x.instructionClass == "hypercall");
        break;
    case Mechanism::ReturnByKernel:
    case Mechanism::ReturnByMonitor: explainReturn(e, mode, x); break;
    case Mechanism::TrapToMonitor: {
        const auto* info = isa::infoFor(uint8_t(e.detail));
        const bool unprivileged = info && info->cls == InsnClass::SensitiveUnprivileged;
        x.mechanism = "fault to the monitor, emulated";
        x.mechanismText = fmt::format(
            "The guest kernel runs in ring 1, so {} raised a general-protection fault{}. The fault landed in the "
            "monitor (ring 0), which carried the instruction out on the guest's virtual CPU as ring 0 would have, "
            "then resumed the guest after it.",
            mnemonicOf(uint8_t(e.detail)),
            unprivileged ? ": only because this CPU is strict: every sensitive instruction is privileged on it" : "");
        break;
    }
    case Mechanism::SilentlyExecuted:
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
        break;
    case Mechanism::TranslationCallout:
        x.mechanism = "translation callout, emulated";
        x.mechanismText = fmt::format(
            "The translator had rewritten {} in this kernel block into a callout. Translated code called the monitor, "
            "which carried the instruction out correctly on the guest's virtual CPU: no fault needed, so even the "
            "sensitive-unprivileged instructions that slip past trap-and-emulate are caught.",
            mnemonicOf(uint8_t(e.detail)));
        break;
    case Mechanism::Hypercall: explainHypercall(e, x); break;
    case Mechanism::VmExit: {
        const auto reason = VmExitReason(e.detail);
        x.mechanism = fmt::format("VM exit ({})", vmExitReasonName(reason));
        x.mechanismText = std::string(vmExitWhy(reason, e.receipt)) +
                          " The CPU leaves non-root mode for the monitor in root mode (ring -1), saving the guest's "
                          "state; after handling it, a VM entry resumes the guest.";
        break;
    }
    case Mechanism::VmEntry:
        x.mechanism = "VM entry";
        x.mechanismText = fmt::format("The monitor finished handling the exit and entered the guest again: the CPU "
                                      "loads the guest's state and goes back to non-root mode, ring {}.{}",
                                      e.ringAfter,
                                      e.detail ? " This CPU's TLB has no VM tags (no VPID, as on first-generation "
                                                 "VT-x), so the exit and this entry flushed it: the guest's next "
                                                 "accesses miss the TLB and walk the page tables again."
                                               : "");
        break;
    case Mechanism::DirectDevice:
    case Mechanism::EmulatedDevice: explainDevice(e, mode, x); break;
    case Mechanism::BlockTranslated:
        x.mechanism = "block translated";
        x.mechanismText = fmt::format(
            "This block of {} {} ran for the first time (or its old translation was dropped), so the {} translated "
            "it: ordinary instructions copied, sensitive and privileged ones turned into callouts to the monitor. "
            "Later runs use the cached translation.",
            e.extra, e.extra == 1 ? "instruction" : "instructions", mode == Mode::Emulation ? "emulator" : "monitor");
        break;
    case Mechanism::CacheLookup:
        x.mechanism = "translation-cache lookup";
        x.mechanismText = "Control reached this block without a direct chain from the last one (an indirect jump, a "
                          "return, a trap): the monitor looked its translation up in the cache and found it. Chained "
                          "entries cost nothing and leave no event.";
        break;
    case Mechanism::TranslationsDropped:
        x.mechanism = "translations dropped";
        x.mechanismText = fmt::format("A store wrote over guest code that had been translated; {} translated {} "
                                      "dropped and will be translated again when they next run.",
                                      e.extra, e.extra == 1 ? "block was" : "blocks were");
        break;
    case Mechanism::ShadowWriteFault:
        x.mechanism = "write-protect fault, shadow entry updated";
        x.mechanismText = "The guest kernel wrote one of its page tables. The monitor keeps those pages "
                          "write-protected, so the write faulted into it; it mirrored the change in the shadow "
                          "tables the CPU really uses.";
        break;
    case Mechanism::ShadowTracedStore:
        x.mechanism = "shadow entry updated";
        x.mechanismText = "The translated store to a guest page table was rewritten to tell the monitor, which "
                          "mirrored the write in the shadow tables inline, without a trap.";
        break;
    case Mechanism::ShadowExitUpdate:
        x.mechanism = "shadow entry updated";
        x.mechanismText = "The monitor mirrored the guest's page-table write in the shadow tables (the write left "
                          "the guest through a VM exit, the event before).";
        break;
    case Mechanism::ShadowSwitch:
        x.mechanism = "shadow tables switched";
        x.mechanismText = "The guest loaded a new page-table base (a new address space). The monitor switched to "
                          "the shadow tables for it, which the CPU walks instead of the guest's own.";
        break;
    case Mechanism::HiddenFault:
        x.mechanism = "hidden page fault, shadow entry filled";
        x.mechanismText = fmt::format(
            "The address {:#x} is mapped in the guest's page tables, but the shadow tables the CPU really walks had "
            "no entry for it yet: the monitor fills shadow entries on first use in each address space. The CPU "
            "faulted into the monitor, which walked the guest's tables, filled the shadow entry and let the "
            "guest go on. The guest never sees this fault.",
            e.detail);
        break;
    case Mechanism::PageWalk:
    case Mechanism::NestedPageWalk: {
        const bool nested = e.receipt.mechanism == Mechanism::NestedPageWalk;
        x.mechanism = nested ? "two-dimensional (nested) page walk" : "page walk after a TLB miss";
        x.mechanismText = fmt::format("The address {:#x} was not in the TLB, so the MMU walked the page tables: {} "
                                      "memory references{}.",
                                      e.detail, e.extra,
                                      nested ? ", because with nested paging each guest table is itself found through "
                                               "the monitor's tables"
                                             : "");
        break;
    }
    case Mechanism::IsolationRefused:
        x.mechanism = "refused by the monitor";
        x.mechanismText = fmt::format("The guest reached for {:#x}, outside what it owns (its partition of memory, "
                                      "or a port with no virtual device behind it). The monitor refused, logged it, "
                                      "and the guest got a fault instead.",
                                      e.detail);
        break;
    case Mechanism::VmSwitch:
        x.mechanism = "VM switch";
        x.mechanismText = fmt::format("The monitor's scheduler moved the physical CPU from vm{} to vm{}: it saved "
                                      "one VM's CPU state and loaded the other's.",
                                      e.detail, e.extra);
        break;
    case Mechanism::ContainerSwitch:
        x.mechanism = "container switch";
        x.mechanismText = fmt::format("The host kernel switched from a process in container {} to one in "
                                      "container {}: ordinary process scheduling plus the cgroup and namespace "
                                      "bookkeeping: no second kernel, no monitor.",
                                      e.extra, e.detail);
        break;
    case Mechanism::Halt:
        x.mechanism = "halt";
        x.mechanismText = "hlt: the CPU stopped (no interrupt could wake it, or the guest was done).";
        break;
    case Mechanism::Idle:
        x.mechanism = "idle until the next interrupt";
        x.mechanismText = fmt::format("hlt: the CPU slept {} cycles until the timer's next tick.", e.extra);
        break;
    case Mechanism::Count:
        x.mechanism = "not recorded";
        x.mechanismText = "Nothing recorded how this event was handled.";
        break;
    }
}

// What each cost item of a receipt pays for, where the cost table's own words would mislead.
std::string partMeaning(const Event& e, const CostItem& item) {
    if (item.instruction) return "the instruction's own cycles";
    const std::string_view name = item.name();
    const Mechanism m = e.receipt.mechanism;
    const bool afterExit = m == Mechanism::VmExit;
    if (name == "monitor_trap") {
        if (m == Mechanism::ReflectedByMonitor)
            return e.kind == EventKind::Interrupt
                       ? "the trap into the monitor when the tick arrived (not paid again for a tick held pending)"
                       : "the trap into the monitor, charged as it arrived";
        if (m == Mechanism::ReturnByMonitor) return "the trap into the monitor (in the sensitive-trapped event)";
    }
    if (name == "emulate_privileged") {
        if (m == Mechanism::ReturnByMonitor) return "emulating it (in the event just before)";
        if (m == Mechanism::Hypercall) return "checking and writing each page-table entry of the batch";
    }
    if (name == "bt_callout" && m == Mechanism::ReturnByMonitor) return "the callout (in the emulated-instruction event)";
    if (name == "hypercall" && m == Mechanism::ReturnByMonitor) return "the iret hypercall (in the hypercall event)";
    if (name == "emulated_io")
        return afterExit ? "the monitor emulating the virtual device (a port-io event)"
               : m == Mechanism::Hypercall ? "one emulated device operation for the whole buffer or request"
                                           : "the monitor emulating the virtual device";
    if (name == "io_port")
        return m == Mechanism::EmulatedDevice
                   ? "the backend sending the finished line or request to the physical device (device cycles)"
                   : "the device's access time (counted as device cycles)";
    if (name == "guest_table_walk" && afterExit) return "walking the guest's page tables in software after the exit";
    if (name == "device_model_trip" && afterExit) return "the trip to the device-model process (in the port-io event)";
    if (name == "block_sector") return "each sector moved by the disk";
    if (name == "page_walk_ref") return "each memory reference of the walk (counted as page-walk cycles)";
    if (name == "vm_entry" && afterExit) return "the VM entry that follows (its own event)";
    if (name == "shadow_ptb_switch" && afterExit) return "switching the shadow tables (a shadow-update event)";
    if (name == "shadow_pte_update" && afterExit) return "updating the shadow tables (a shadow-update event)";
    if (name == "trap_entry" && afterExit) return "delivering the interrupt or fault to the guest later (its own event)";
    if (name == "emu_insn") return "interpreting each instruction, every time the block runs";
    for (const auto& entry : costEntries())
        if (entry.name == name) return std::string(entry.meaning);
    return "";
}

std::vector<CostPart> costParts(const Event& e) {
    std::vector<CostPart> parts;
    for (const auto& item : e.receipt.costItems()) {
        const std::string name = item.instruction ? fmt::format("insn.{}", item.name()) : std::string(item.name());
        parts.push_back({name, partMeaning(e, item), item.count, item.each, item.inEvent});
    }
    std::stable_partition(parts.begin(), parts.end(), [](const CostPart& p) { return p.inEventCost; });
    return parts;
}

// Who is at a stop of the route, in this mode's words.
std::string hopLine(const Hop& hop, Mode mode) {
    if (hop.who == Actor::Monitor)
        return fmt::format("ring {} ({})", hop.ring,
                           hop.ring < 0 ? "the monitor, in root mode"
                           : mode == Mode::Emulation ? "the emulator"
                                                     : "the monitor");
    return ringLine(hop.ring, mode);
}

std::string controlFor(const Event& e, Mode mode) {
    const auto hops = e.receipt.hops();
    if (hops.size() <= 1) {
        const Hop here = hops.empty() ? Hop{e.ringBefore, actorAt(e.ringBefore)} : hops.front();
        return fmt::format("Control stayed in {}.", hopLine(here, mode));
    }
    // "from A to B", "from A through B to C", or "from A to B and back".
    const bool roundTrip = hops.size() == 3 && hops[0].ring == hops[2].ring && hops[0].who == hops[2].who;
    std::string text = fmt::format("Control went from {}", hopLine(hops.front(), mode));
    if (roundTrip) {
        text += fmt::format(" to {} and back.", hopLine(hops[1], mode));
    } else {
        for (size_t i = 1; i + 1 < hops.size(); ++i) text += fmt::format(" through {}", hopLine(hops[i], mode));
        text += fmt::format(" to {}.", hopLine(hops.back(), mode));
    }
    const bool returns = (e.receipt.mechanism == Mechanism::TrapToMonitor &&
                          (e.detail == uint8_t(Opcode::Iret) || e.detail == uint8_t(Opcode::Sysret))) ||
                         (e.receipt.mechanism == Mechanism::Hypercall && e.detail == uint32_t(HypercallNumber::Iret));
    if (returns) text += " The monitor then popped the guest's trap frame and went on in the ring saved there.";
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
    case 1: return modeInfo(a).kernelDeprivileged ? "the guest kernel, deprivileged" : "unused";
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

std::optional<CodeLocation> locateEventCode(const Event& e, const GuestImages& guest) {
    std::optional<CodeLocation> code = locateCode(guest, e.pc, [&e](uint8_t op) { return opcodeFits(e, op); });
    // The opcode the event carries is what ran, whatever the image says.
    const std::optional<uint8_t> op = expectedOpcode(e);
    if (code && !code->decoded && op) code->instruction = std::string(mnemonicOf(*op));
    if (!code && op) {
        code = CodeLocation{};
        code->image = "?";
        code->instruction = std::string(mnemonicOf(*op));
        code->opcode = *op;
        code->decoded = true;
    }
    return code;
}

EventExplanation explainEvent(const Event& e, Mode mode, const GuestImages& guest) {
    EventExplanation x;
    x.kind = std::string(eventKindName(e.kind));
    x.eventCost = e.cost;

    x.code = locateEventCode(e, guest);
    x.instructionRole = std::string(roleOfInstruction(e.kind, e));
    std::optional<uint8_t> op = expectedOpcode(e);
    if (!op && x.code && x.code->decoded) op = x.code->opcode;
    if (op)
        if (const auto* info = isa::infoFor(*op)) {
            x.instructionClass = std::string(isa::className(info->cls));
            x.classMeaning = std::string(instructionClassMeaning(info->cls));
        }

    explainMechanism(e, mode, x);
    x.costs = costParts(e);

    x.ringBefore = ringLine(e.ringBefore, mode);
    x.ringAfter = ringLine(e.ringAfter, mode);
    x.controlText = controlFor(e, mode);

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
        note = fmt::format("The event records {} cycles; its receipt's parts add up to {}.", e.cost, inEvent);
    if (std::any_of(x.costs.begin(), x.costs.end(), [](const CostPart& p) { return !p.inEventCost; }))
        note += " The parts marked 'apart' are charged separately, in their own events or straight to the cycle counters.";
    note += " Not included: the instructions of whichever handler runs next";
    if (mode == Mode::Emulation) note += ", and the emulator's emu_insn for every instruction it interprets";
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
