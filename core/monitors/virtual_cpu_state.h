// The privileged state a kernel believes its CPU has — interrupt flag, ring,
// trap table, page tables, kernel stack, timer, a tick waiting — in one plain
// struct, so that the virtual CPU a monitor keeps for its guest can be put
// beside the real CPU's and every difference shown.
#pragma once

#include <cstdint>

namespace ringsim {

class Cpu;

struct VirtualCpuState {
    // Who holds the guest's state. Ring compression (trap-and-emulate, binary
    // translation, paravirtualisation): the monitor, in a copy of its own
    // that the real CPU never sees. Hardware assistance: the CPU itself, in
    // non-root mode (VT-x keeps it in the VMCS while the monitor runs), so
    // there is no second copy and nothing to emulate.
    enum class Holder : uint8_t { Monitor, Hardware };
    Holder holder = Holder::Monitor;
    bool interruptsEnabled = false;
    int ring = 0;  // the CPL: the guest's belief, or the real one (-1: root mode)
    uint32_t trapTable = 0;
    uint32_t pageTable = 0;  // | 1 when paging is on
    uint32_t kernelStack = 0;
    uint32_t timerPeriod = 0;  // 0: the timer is off
    bool interruptPending = false;  // a timer tick not yet taken

    bool operator==(const VirtualCpuState&) const = default;
};

// The same fields read from the real CPU (its ring is -1 in root mode).
VirtualCpuState realCpuState(const Cpu& cpu);

}  // namespace ringsim
