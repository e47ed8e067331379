// Hardware assistance for virtualisation (like Intel VT-x / AMD-V): a CPU
// configured with it has a root mode ("ring -1") for a monitor and a
// non-root mode in which an unmodified guest kernel runs in ring 0. Events
// the control block selects cause a VM exit to root mode, each with a reason.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "isa.h"

namespace ringsim {

enum class VmExitReason : uint8_t {
    Hlt,                 // hlt
    IoInstruction,       // in / out
    PageTableBaseLoad,   // lptb (like a CR3 load)
    TrapTableLoad,       // ltt (like LIDT with descriptor-table exiting)
    TimerProgramming,    // stimer (like a local APIC timer write)
    TlbInvalidate,       // invlpg / tlbflush
    ControlRegisterRead, // rdcr
    ExternalInterrupt,   // a timer interrupt arrived while the guest ran
    PageFault,           // a page fault in the guest (when selected)
    Hypercall,           // hcall (like VMCALL): always exits
    GuestPageTableWrite, // a write to a guest page table the monitor shadows (not a VT-x control: shadow paging)
    MemoryBacking,       // first touch of a guest frame the monitor has not backed yet (an EPT violation)
    Count
};
constexpr size_t kVmExitReasonCount = static_cast<size_t>(VmExitReason::Count);
std::string_view vmExitReasonName(VmExitReason r);  // "hlt", "io-instruction", ...

// The exit controls of the control block (like the VMCS execution controls).
struct VmControls {
    std::array<bool, kVmExitReasonCount> exitOn{};
    static VmControls defaults() {
        VmControls c;
        for (auto r : {VmExitReason::Hlt, VmExitReason::IoInstruction, VmExitReason::PageTableBaseLoad,
                       VmExitReason::TimerProgramming, VmExitReason::ExternalInterrupt, VmExitReason::Hypercall,
                       VmExitReason::GuestPageTableWrite, VmExitReason::MemoryBacking})
            c.exitOn[size_t(r)] = true;
        return c;
    }
    bool exits(VmExitReason r) const { return exitOn[size_t(r)]; }
};

// Which exit reason an instruction in non-root ring 0 would raise, if any.
std::optional<VmExitReason> exitReasonFor(isa::Opcode op);

}  // namespace ringsim
