#include "lesson/predict.h"

#include <fmt/format.h>

#include "cpu-model/isa.h"
#include "monitors/modes.h"

namespace ringsim {

std::string_view mechanismName(Mechanism m) {
    switch (m) {
    case Mechanism::SyscallGate: return "system call gate";
    case Mechanism::ExceptionToKernel: return "fault or interrupt to the kernel";
    case Mechanism::TrapToMonitor: return "trap to the monitor";
    case Mechanism::ReflectedByMonitor: return "to the monitor, passed on";
    case Mechanism::SilentlyExecuted: return "nothing: it runs silently";
    case Mechanism::TranslationCallout: return "callout from translated code";
    case Mechanism::Hypercall: return "hypercall";
    case Mechanism::VmExit: return "VM exit";
    case Mechanism::Count: break;
    }
    return "?";
}

std::string_view mechanismExplanation(Mechanism m) {
    switch (m) {
    case Mechanism::SyscallGate:
        return "The syscall instruction enters the kernel at the address the kernel registered, one ring down.";
    case Mechanism::ExceptionToKernel:
        return "The CPU saves where it was and enters the kernel's handler for that vector through the trap table.";
    case Mechanism::TrapToMonitor:
        return "The guest kernel runs deprivileged, so a privileged instruction faults; the monitor, in ring 0, "
               "emulates it on the virtual CPU and returns.";
    case Mechanism::ReflectedByMonitor:
        return "The monitor owns ring 0 and the real trap table, so the trap lands in the monitor first; it then "
               "delivers it to the guest kernel's own handler in ring 1, with the trap frame the kernel expects.";
    case Mechanism::SilentlyExecuted:
        return "A sensitive instruction that is not privileged does not fault outside ring 0: it runs with its "
               "user-mode meaning and the monitor never sees it (the Popek-Goldberg gap).";
    case Mechanism::TranslationCallout:
        return "The monitor rewrote this instruction when it translated the block: the translated code calls the "
               "monitor instead, with no fault.";
    case Mechanism::Hypercall:
        return "The paravirtual kernel asks the monitor directly, like a system call one level down.";
    case Mechanism::VmExit:
        return "The exit controls say this event leaves non-root mode: the CPU saves the guest's state and enters "
               "the monitor in root mode (ring -1).";
    case Mechanism::Count: break;
    }
    return "";
}

std::optional<Question> questionFor(const Event& e, uint64_t number, Mode mode) {
    Question q;
    q.event = number;
    q.kind = e.kind;
    q.pc = e.pc;
    q.ringBefore = e.ringBefore;
    q.ringAfter = e.ringAfter;
    // Ring compression (the mode table's word): traps reach the monitor first.
    const bool deprivileged = modeInfo(mode).kernelDeprivileged;
    const auto* info = isa::infoFor(uint8_t(e.detail));
    const std::string mnemonic = info ? std::string(info->mnemonic) : "an instruction";
    switch (e.kind) {
    case EventKind::Syscall:
        // The paravirtual kernel registers its handler with the monitor: the gate goes straight to it.
        q.mechanism = deprivileged && mode != Mode::Paravirt ? Mechanism::ReflectedByMonitor : Mechanism::SyscallGate;
        q.situation = fmt::format("A program in ring {} executes syscall.", e.ringBefore);
        break;
    case EventKind::Fault:
        q.mechanism = deprivileged ? Mechanism::ReflectedByMonitor : Mechanism::ExceptionToKernel;
        q.situation = fmt::format("In ring {}, the instruction at {:#x} raises {} (vector {}).", e.ringBefore, e.pc,
                                  isa::vectorName(e.vector), e.vector);
        break;
    case EventKind::Interrupt:
        q.mechanism = deprivileged ? Mechanism::ReflectedByMonitor : Mechanism::ExceptionToKernel;
        q.situation = fmt::format("The CPU is in ring {} when interrupt vector {} ({}) arrives.", e.ringBefore, e.vector,
                                  isa::vectorName(e.vector));
        break;
    case EventKind::SensitiveTrapped:
        q.mechanism = Mechanism::TrapToMonitor;
        q.situation = fmt::format("The guest kernel, in ring {} under {}, executes {}.", e.ringBefore, mode, mnemonic);
        break;
    case EventKind::SensitiveSilent:
        q.mechanism = Mechanism::SilentlyExecuted;
        q.situation = fmt::format("The guest kernel, in ring {} under {}, executes {}.", e.ringBefore, mode, mnemonic);
        break;
    case EventKind::EmulatedInstruction:
        if (mode != Mode::BinaryTranslation) return std::nullopt;
        q.mechanism = Mechanism::TranslationCallout;
        q.situation = fmt::format("The guest kernel, in ring {} under {}, reaches {} in a translated block.",
                                  e.ringBefore, mode, mnemonic);
        break;
    case EventKind::Hypercall:
        q.mechanism = Mechanism::Hypercall;
        q.situation = fmt::format("The paravirtual kernel, in ring {}, executes hcall {}.", e.ringBefore, e.detail);
        break;
    case EventKind::VmExit:
        q.mechanism = Mechanism::VmExit;
        q.situation = fmt::format("The guest, in ring {} of non-root mode under {}, reaches the instruction at {:#x}.",
                                  e.ringBefore, mode, e.pc);
        break;
    default: return std::nullopt;
    }
    return q;
}

}  // namespace ringsim
