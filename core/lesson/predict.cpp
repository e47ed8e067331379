#include "lesson/predict.h"

#include <fmt/format.h>

#include "cpu-model/isa.h"
#include "cpu-model/vmx.h"
#include "monitors/modes.h"

namespace ringsim {

std::string_view choiceName(Choice m) {
    switch (m) {
    case Choice::SyscallGate: return "system call gate";
    case Choice::ExceptionToKernel: return "fault or interrupt to the kernel";
    case Choice::TrapToMonitor: return "trap to the monitor";
    case Choice::ReflectedByMonitor: return "to the monitor, passed on";
    case Choice::SilentlyExecuted: return "nothing: it runs silently";
    case Choice::TranslationCallout: return "callout from translated code";
    case Choice::Hypercall: return "hypercall";
    case Choice::VmExit: return "VM exit";
    case Choice::Count: break;
    }
    return "?";
}

std::string_view choiceExplanation(Choice m) {
    switch (m) {
    case Choice::SyscallGate:
        return "The syscall instruction enters the kernel at the address the kernel registered, one ring down.";
    case Choice::ExceptionToKernel:
        return "The CPU saves where it was and enters the kernel's handler for that vector through the trap table.";
    case Choice::TrapToMonitor:
        return "The guest kernel runs deprivileged, so a privileged instruction faults; the monitor, in ring 0, "
               "emulates it on the virtual CPU and returns.";
    case Choice::ReflectedByMonitor:
        return "The monitor owns ring 0 and the real trap table, so the trap lands in the monitor first; it then "
               "delivers it to the guest kernel's own handler in ring 1, with the trap frame the kernel expects.";
    case Choice::SilentlyExecuted:
        return "A sensitive instruction that is not privileged does not fault outside ring 0: it runs with its "
               "user-mode meaning and the monitor never sees it (the Popek-Goldberg gap).";
    case Choice::TranslationCallout:
        return "The monitor rewrote this instruction when it translated the block: the translated code calls the "
               "monitor instead, with no fault.";
    case Choice::Hypercall:
        return "The paravirtual kernel asks the monitor directly, like a system call one level down.";
    case Choice::VmExit:
        return "The exit controls say this event leaves non-root mode: the CPU saves the guest's state and enters "
               "the monitor in root mode (ring -1).";
    case Choice::Count: break;
    }
    return "";
}

std::optional<Choice> choiceFor(Mechanism m) {
    switch (m) {
    case Mechanism::SyscallGate: return Choice::SyscallGate;
    case Mechanism::ExceptionToKernel:
    case Mechanism::InjectedInterrupt: return Choice::ExceptionToKernel;
    case Mechanism::ReflectedByMonitor: return Choice::ReflectedByMonitor;
    case Mechanism::TrapToMonitor: return Choice::TrapToMonitor;
    case Mechanism::SilentlyExecuted: return Choice::SilentlyExecuted;
    case Mechanism::TranslationCallout: return Choice::TranslationCallout;
    case Mechanism::Hypercall: return Choice::Hypercall;
    case Mechanism::VmExit: return Choice::VmExit;
    default: return std::nullopt;
    }
}

std::optional<Question> questionFor(const Event& e, uint64_t number, Mode mode, const GuestImages* guest) {
    const auto answer = choiceFor(e.receipt.mechanism);
    if (!answer) return std::nullopt;
    Question q;
    q.event = number;
    q.kind = e.kind;
    q.pc = e.pc;
    q.ringBefore = e.ringBefore;
    q.ringAfter = e.ringAfter;
    q.mechanism = *answer;
    if (guest) q.code = locateEventCode(e, *guest);
    // The instruction by its disassembly; by the opcode the event carries, or its address, if the image cannot say.
    std::string instruction = fmt::format("the instruction at {:#x}", e.pc);
    if (q.code && !q.code->instruction.empty()) instruction = q.code->instruction;
    else if (const auto* info = isa::infoFor(uint8_t(e.detail)); info && e.kind != EventKind::VmExit &&
                                                                 e.kind != EventKind::Fault && e.kind != EventKind::Interrupt)
        instruction = std::string(info->mnemonic);
    switch (e.kind) {
    case EventKind::Syscall:
        q.situation = fmt::format("A program in ring {} under {} is about to execute {}.", e.ringBefore, mode, instruction);
        break;
    case EventKind::Fault:
        q.situation = fmt::format("In ring {} under {}, the CPU is about to execute {}, which raises {} (vector {}).",
                                  e.ringBefore, mode, instruction, isa::vectorName(e.vector), e.vector);
        break;
    case EventKind::Interrupt:
        q.situation = fmt::format("The CPU is in ring {} under {}, about to execute {}, when interrupt vector {} ({}) arrives.",
                                  e.ringBefore, mode, instruction, e.vector, isa::vectorName(e.vector));
        break;
    case EventKind::SensitiveTrapped:
    case EventKind::SensitiveSilent:
        q.situation = fmt::format("The guest kernel, in ring {} under {}, is about to execute {}.", e.ringBefore, mode,
                                  instruction);
        break;
    case EventKind::EmulatedInstruction:
        q.situation = fmt::format("The guest kernel, in ring {} under {}, is about to reach {} in a translated block.",
                                  e.ringBefore, mode, instruction);
        break;
    case EventKind::Hypercall:
        q.situation = fmt::format("The paravirtual kernel, in ring {} under {}, is about to execute {} (hypercall {}).",
                                  e.ringBefore, mode, instruction, e.detail);
        break;
    case EventKind::VmExit:
        q.situation =
            VmExitReason(e.detail) == VmExitReason::ExternalInterrupt
                ? fmt::format("The guest, in ring {} of non-root mode under {}, is about to execute {} when the timer "
                              "interrupt arrives.",
                              e.ringBefore, mode, instruction)
                : fmt::format("The guest, in ring {} of non-root mode under {}, is about to execute {}.", e.ringBefore,
                              mode, instruction);
        break;
    default: return std::nullopt;
    }
    return q;
}

}  // namespace ringsim
