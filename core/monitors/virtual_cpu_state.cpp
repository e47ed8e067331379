#include "monitors/virtual_cpu_state.h"

#include "cpu-model/cpu.h"

namespace ringsim {

VirtualCpuState realCpuState(const Cpu& cpu) {
    using isa::ControlRegister;
    const ArchState& s = cpu.state;
    VirtualCpuState real;
    real.holder = VirtualCpuState::Holder::Hardware;
    real.interruptsEnabled = s.interruptsEnabled();
    real.ring = s.rootMode ? -1 : int(s.cpl);
    real.trapTable = s.cr_(ControlRegister::TrapTableBase);
    real.pageTable = s.cr_(ControlRegister::PageTableBase);
    real.kernelStack = s.cr_(ControlRegister::KernelStack);
    real.timerPeriod = s.cr_(ControlRegister::TimerPeriod);
    real.interruptPending = cpu.timerPending();
    return real;
}

}  // namespace ringsim
