// "Predict, then reveal": before a student sees what a transition did, they
// say where control goes and by which mechanism. This decides which events
// make a question and what the right answer is; the GUI asks and keeps score.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lesson/explain.h"
#include "machine/events.h"
#include "machine/guest.h"
#include "monitors/modes.h"

namespace ringsim {

// The answers a student picks from: the ways control can leave an
// instruction, as the lecture names them (coarser than a receipt's Mechanism).
enum class Choice : uint8_t {
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
constexpr size_t kChoiceCount = static_cast<size_t>(Choice::Count);
std::string_view choiceName(Choice c);         // "system call gate", ...
std::string_view choiceExplanation(Choice c);  // one sentence
// The choice that names what a receipt's mechanism did, if it makes a question.
std::optional<Choice> choiceFor(Mechanism m);

struct Question {
    uint64_t event = 0;         // the event's number in the log
    EventKind kind = EventKind::Count;
    uint32_t pc = 0;
    int ringBefore = 0;
    int ringAfter = 0;          // the answer: where control went
    Choice mechanism = Choice::Count;  // the answer: how (from the event's receipt)
    std::string situation;      // what the student is told before answering
    // The instruction about to run (for an interrupt, the one it comes
    // before): its disassembly and source line, when the guest tells.
    std::optional<CodeLocation> code;
    std::string sourceText;     // the text of that source line; a front end with the files fills it
};

// The question an event makes in `mode`, if it makes one: an event whose
// receipt names one of the choices (syscalls, faults, interrupts, trapped and
// silent sensitive instructions, translation callouts, hypercalls, VM exits).
// It is asked before the instruction runs, so it names the instruction, found
// in `guest` when given, and says what is about to happen, not what did.
std::optional<Question> questionFor(const Event& e, uint64_t number, Mode mode, const GuestImages* guest = nullptr);

}  // namespace ringsim
