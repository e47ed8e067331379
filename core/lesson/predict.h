// "Predict, then reveal": before a student sees what a transition did, they
// say where control goes and by which mechanism. This decides which events
// make a question and what the right answer is; the GUI asks and keeps score.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "machine/events.h"
#include "monitors/modes.h"

namespace ringsim {

// The ways control can leave an instruction, as the lecture names them.
enum class Mechanism : uint8_t {
    SyscallGate,         // the system call gate into the kernel
    ExceptionToKernel,   // a fault or an interrupt through the trap table to the kernel
    TrapToMonitor,       // a privileged instruction traps to the monitor, which emulates it
    ReflectedByMonitor,  // under ring compression a syscall, fault or interrupt lands in the monitor, which passes it on
    SilentlyExecuted,    // a sensitive instruction that does not trap runs with the wrong effect
    TranslationCallout,  // translated code calls the monitor in place of the instruction
    Hypercall,           // the paravirtual kernel calls the monitor
    VmExit,              // the hardware leaves the guest for root mode
    Count
};
constexpr size_t kMechanismCount = static_cast<size_t>(Mechanism::Count);
std::string_view mechanismName(Mechanism m);         // "system call gate", ...
std::string_view mechanismExplanation(Mechanism m);  // one sentence

struct Question {
    uint64_t event = 0;         // the event's number in the log
    EventKind kind = EventKind::Count;
    uint32_t pc = 0;
    int ringBefore = 0;
    int ringAfter = 0;          // the answer: where control went
    Mechanism mechanism = Mechanism::Count;  // the answer: how
    std::string situation;      // what the student is told before answering
};

// The question an event makes in `mode`, if it makes one: syscalls, faults,
// interrupts, trapped and silent sensitive instructions, translation
// callouts, hypercalls and VM exits.
std::optional<Question> questionFor(const Event& e, uint64_t number, Mode mode);

}  // namespace ringsim
