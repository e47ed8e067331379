// Traps, interrupts, the timer and the run loop's deadline.
#include <algorithm>
#include <fmt/format.h>

#include "cpu.h"

namespace ringsim {

std::string_view stopReasonName(StopReason r) {
    switch (r) {
    case StopReason::Running: return "running";
    case StopReason::Halted: return "halted";
    case StopReason::CycleBudget: return "cycle-budget";
    case StopReason::GuestFault: return "guest-fault";
    case StopReason::StopRequested: return "stopped";
    case StopReason::Breakpoint: return "breakpoint";
    }
    return "?";
}

void Cpu::emit(CpuEventKind kind, int8_t ringBefore, int8_t ringAfter, uint8_t vector, uint32_t pc,
               const Receipt& receipt, uint32_t detail, uint32_t extra, uint32_t cost) {
    if (!hooks_) return;
    CpuEvent e;
    e.kind = kind;
    e.ringBefore = ringBefore;
    e.ringAfter = ringAfter;
    e.vector = vector;
    e.pc = pc;
    e.detail = detail;
    e.extra = extra;
    e.cost = cost;
    e.cycle = account.now;
    e.receipt = receipt;
    hooks_->onEvent(*this, e);
}

void Cpu::failGuest(std::string message) {
    if (stopReason_ == StopReason::GuestFault) return;  // keep the first cause
    stopReason_ = StopReason::GuestFault;
    stopMessage_ = std::move(message);
    stopRequested_ = true;
    deadline_ = 0;
}

void Cpu::raise(const Trap& trap) {
    if (hooks_ && trap.vector == uint8_t(isa::Vector::BusError) && trap.address >= windowLimit_)
        hooks_->outsideWindow(*this, trap);
    if (inDelivery_) {
        failGuest(fmt::format("double fault: {} (vector {}) at address {:#x} while entering a trap handler "
                              "(cycle {}, pc {:#010x}); the kernel stack or trap table is not usable",
                              isa::vectorName(trap.vector), trap.vector, trap.address, account.now, trap.faultPc));
        return;
    }
    if (trap.vector == uint8_t(isa::Vector::PageFault) &&
        exitIfSelected(VmExitReason::PageFault, trap.faultPc, nullptr, trap.address))
        return;
    if (hooks_ && hooks_->interceptTrap(*this, trap)) return;
    deliverThroughTable(trap);
}

void Cpu::deliverThroughTable(const Trap& trap) {
    const uint32_t table = state.cr_(isa::ControlRegister::TrapTableBase);
    uint32_t handler = 0;
    if (!readGuestPhysical32(table + trap.vector * 4u, handler) || handler == 0) {
        std::string what = fmt::format("{} (vector {})", isa::vectorName(trap.vector), trap.vector);
        if (trap.kind == CpuEventKind::Fault && trap.address)
            what += fmt::format(" at address {:#x}", trap.address);
        // The trap happened even though nothing can take it: it is counted.
        emit(trap.kind, int8_t(ring()), int8_t(ring()), trap.vector, trap.faultPc,
             Receipt(Mechanism::NoHandler).via(ring(), actorAt(ring())), trap.address);
        failGuest(fmt::format("{} at cycle {}, pc {:#010x}, ring {}, and no handler for it in the trap table "
                              "(base {:#x})",
                              what, account.now, trap.faultPc, state.cpl, table));
        return;
    }
    const uint8_t ringBefore = state.cpl;
    const uint32_t stack = ringBefore > 0 ? state.cr_(isa::ControlRegister::KernelStack) : state.sp();
    const uint32_t savedFlags = (state.flags & isa::flag::Defined) | (uint32_t(ringBefore) << isa::kSavedRingShift);
    if (!enterHandler(0, handler, stack, trap.savedPc, savedFlags)) return;
    state.flags &= ~isa::flag::InterruptEnable;  // every gate is an interrupt gate
    const bool syscall = trap.kind == CpuEventKind::Syscall;
    const uint32_t cost = syscall ? costs_.syscallEntry : costs_.trapEntry;
    account.charge(CycleCategory::GuestKernel, cost);
    Receipt receipt(syscall ? Mechanism::SyscallGate
                    : trap.injected ? Mechanism::InjectedInterrupt
                                    : Mechanism::ExceptionToKernel);
    receipt.via(ringBefore, actorAt(ringBefore)).via(0, Actor::Kernel);
    receipt.in(syscall ? &Costs::syscallEntry : &Costs::trapEntry, cost);
    uint32_t emulatorCost = 0;
    if (softwareMachine_) {
        emulatorCost = costs_.emuException;
        account.charge(CycleCategory::Translation, emulatorCost);
        receipt.in(&Costs::emuException, emulatorCost);
    }
    emit(trap.kind, int8_t(ringBefore), 0, trap.vector, trap.faultPc, receipt, trap.address, 0, cost + emulatorCost);
    recomputeDeadline();
}

bool Cpu::enterHandler(uint8_t targetRing, uint32_t handler, uint32_t stack, uint32_t savedPc, uint32_t savedFlags) {
    const uint32_t oldSp = state.sp();
    const uint8_t oldRing = state.cpl;
    state.cpl = targetRing;
    updateAccessMasks();
    inDelivery_ = true;
    const bool ok = writeVirtual32(stack - 4, oldSp, savedPc) && writeVirtual32(stack - 8, savedFlags, savedPc) &&
                    writeVirtual32(stack - 12, savedPc, savedPc);
    inDelivery_ = false;
    if (!ok) {
        state.cpl = oldRing;
        privilegeOrMappingChanged();
        return false;
    }
    state.sp() = stack - 12;
    state.pc = handler;
    privilegeOrMappingChanged();
    return true;
}

bool Cpu::readTrapFrame(TrapFrame& frame, uint32_t faultPc) {
    const uint32_t sp = state.sp();
    return readVirtual32(sp, frame.pc, faultPc) && readVirtual32(sp + 4, frame.flags, faultPc) &&
           readVirtual32(sp + 8, frame.sp, faultPc);
}

void Cpu::resumeFrom(const TrapFrame& frame, uint8_t ring, uint32_t flags) {
    state.flags = flags;
    state.cpl = ring;
    state.pc = frame.pc;
    state.sp() = frame.sp;
    privilegeOrMappingChanged();
}

bool Cpu::returnFromTrap() {
    const uint32_t pc = state.pc;
    TrapFrame frame;
    if (!readTrapFrame(frame, pc)) return false;
    if (frame.ring() < state.cpl) {  // a return may not raise privilege
        raiseFault(isa::Vector::GeneralProtection, pc);
        return false;
    }
    // Above ring 0 (outwardIret) IF stays as it is, as x86's iret keeps it
    // when the CPL is above IOPL: the frame's IF is the kernel's business.
    const uint32_t keep = state.cpl == 0 ? 0 : (state.flags & isa::flag::InterruptEnable);
    const uint32_t popped = frame.flags & isa::flag::Defined & (state.cpl == 0 ? ~0u : ~isa::flag::InterruptEnable);
    resumeFrom(frame, frame.ring(), popped | keep);
    return true;
}

void Cpu::setTimerPeriod(uint32_t period) {
    state.cr[size_t(isa::ControlRegister::TimerPeriod)] = period;
    nextTick_ = virtualTime() + period;
    if (period == 0) {
        // Stopping the timer drops its pending tick — also one a monitor has
        // already made the guest's injected interrupt (hardware assistance),
        // or the guest would take a tick bare hardware never delivers.
        timerPending_ = false;
        if (injected_ == uint16_t(isa::Vector::Timer) + 1) injected_ = 0;
    }
    recomputeDeadline();
}

void Cpu::mergeDueTick() {
    updateTimer();
    timerPending_ = false;
    recomputeDeadline();
}

void Cpu::recomputeDeadline() {
    uint64_t d = std::min(budgetEnd_, stopAt_);
    if (stopRequested_ || restyle_ || stopReason_ != StopReason::Running) {
        d = 0;
    } else if ((timerPending_ && (state.interruptsEnabled() || interruptExits())) ||
               (injected_ && state.interruptsEnabled())) {
        d = account.now;
    } else if (state.cr_(isa::ControlRegister::TimerPeriod) != 0 &&
               account.running() == CycleCategory::GuestUser) {
        // Virtual time moves with ring-3 cycles: the tick cannot come before this.
        const uint64_t vt = virtualTime();
        d = std::min(d, nextTick_ > vt ? account.now + (nextTick_ - vt) : account.now);
    }
    deadline_ = d;
}

void Cpu::updateTimer() {
    const uint32_t period = state.cr_(isa::ControlRegister::TimerPeriod);
    if (period == 0) return;
    const uint64_t vt = virtualTime();
    if (vt < nextTick_) return;
    timerPending_ = true;
    nextTick_ += period;
    if (nextTick_ <= vt) nextTick_ = vt + period;  // missed ticks coalesce into one
}

void Cpu::injectInterrupt(uint8_t vector) {
    injected_ = uint16_t(vector + 1);
    recomputeDeadline();
}

void Cpu::takeInterruptIfPending() {
    if (injected_ && state.interruptsEnabled()) {
        const uint8_t vector = uint8_t(injected_ - 1);
        injected_ = 0;
        deliverThroughTable(Trap{vector, state.pc, state.pc, 0, CpuEventKind::Interrupt, true});
        return;
    }
    if (!timerPending_ || !state.interruptsEnabled()) return;
    timerPending_ = false;
    raise(Trap{uint8_t(isa::Vector::Timer), state.pc, state.pc, 0, CpuEventKind::Interrupt});
}

bool Cpu::handleDeadline() {
    if (stopReason_ != StopReason::Running || restyle_) return false;
    if (stopRequested_) {
        stopReason_ = StopReason::StopRequested;
        return false;
    }
    if (account.now >= budgetEnd_) {
        stopReason_ = StopReason::CycleBudget;
        stopMessage_ = fmt::format("the cycle budget ran out at cycle {} (pc {:#010x})", account.now, state.pc);
        return false;
    }
    if (account.now >= stopAt_) {
        stopReason_ = StopReason::StopRequested;
        return false;
    }
    updateTimer();
    if (timerPending_ && interruptExits()) {
        // Non-root mode: the interrupt belongs to the monitor, whatever the guest's IF says.
        timerPending_ = false;
        exitIfSelected(VmExitReason::ExternalInterrupt, state.pc, nullptr);
    } else {
        takeInterruptIfPending();
    }
    recomputeDeadline();
    return true;
}

void Cpu::powerOff(std::string message) {
    stopReason_ = StopReason::Halted;
    stopMessage_ = std::move(message);
    deadline_ = 0;
}

void Cpu::executeHlt(const Decoded& d, uint32_t pc) {
    retireInstruction(d, pc + d.length);
    if (!state.interruptsEnabled()) {
        emit(CpuEventKind::Halt, int8_t(ring()), int8_t(ring()), 0, pc, Receipt(Mechanism::Halt).via(ring(), actorAt(ring())));
        powerOff(fmt::format("hlt with interrupts disabled at cycle {}, pc {:#010x}", account.now, pc));
        return;
    }
    waitForInterrupt(pc);
}

void Cpu::waitForInterrupt(uint32_t pc) {
    if (timerPending_ || injected_) {  // the deadline check delivers it now
        deadline_ = account.now;
        return;
    }
    const uint32_t period = state.cr_(isa::ControlRegister::TimerPeriod);
    if (period == 0) {
        emit(CpuEventKind::Halt, int8_t(ring()), int8_t(ring()), 0, pc, Receipt(Mechanism::Halt).via(ring(), actorAt(ring())));
        powerOff(fmt::format("hlt at cycle {}, pc {:#010x}, with no timer running: nothing can wake the CPU",
                             account.now, pc));
        return;
    }
    // Sleep until the next tick, but not past the run's budget or stop point.
    const uint64_t vt = virtualTime();
    uint64_t idle = nextTick_ > vt ? nextTick_ - vt : 0;
    const uint64_t end = std::min(budgetEnd_, stopAt_);
    const uint64_t room = end > account.now ? end - account.now : 0;
    if (idle > room) {
        idle = room;
        state.pc = pc;  // still halted: execute hlt again when the run continues
    }
    account.charge(CycleCategory::Idle, idle);
    emit(CpuEventKind::Halt, int8_t(ring()), int8_t(ring()), 0, pc, Receipt(Mechanism::Idle).via(ring(), actorAt(ring())), 0,
         uint32_t(std::min<uint64_t>(idle, UINT32_MAX)));
    updateTimer();
    deadline_ = account.now;
}

}  // namespace ringsim
