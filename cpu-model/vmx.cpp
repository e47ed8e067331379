#include "vmx.h"

namespace ringsim {
namespace {
constexpr std::string_view kNames[] = {
    "hlt", "io-instruction", "page-table-base-load", "trap-table-load", "timer-programming", "tlb-invalidate",
    "control-register-read", "external-interrupt", "page-fault", "hypercall", "guest-page-table-write",
    "memory-backing"};
static_assert(std::size(kNames) == kVmExitReasonCount);
}  // namespace

std::string_view vmExitReasonName(VmExitReason r) {
    auto i = size_t(r);
    return i < kVmExitReasonCount ? kNames[i] : "?";
}

std::optional<VmExitReason> exitReasonFor(isa::Opcode op) {
    using isa::Opcode;
    switch (op) {
    case Opcode::Hlt: return VmExitReason::Hlt;
    case Opcode::In:
    case Opcode::Out: return VmExitReason::IoInstruction;
    case Opcode::Lptb: return VmExitReason::PageTableBaseLoad;
    case Opcode::Ltt: return VmExitReason::TrapTableLoad;
    case Opcode::Stimer: return VmExitReason::TimerProgramming;
    case Opcode::Invlpg:
    case Opcode::Tlbflush: return VmExitReason::TlbInvalidate;
    case Opcode::Rdcr: return VmExitReason::ControlRegisterRead;
    case Opcode::Hcall: return VmExitReason::Hypercall;
    default: return std::nullopt;  // cli, sti, lksp, iret...: guest state, handled in non-root mode
    }
}

}  // namespace ringsim
