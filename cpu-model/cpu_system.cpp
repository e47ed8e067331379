// Privileged and sensitive-but-unprivileged instructions: the ones whose
// behaviour depends on the ring, which is what virtualisation is about.
#include "cpu.h"

namespace ringsim {

using isa::Opcode;
using isa::ControlRegister;
namespace flag = isa::flag;

bool moveControlRegister(ControlRegisters& cr, const Decoded& d, std::array<uint32_t, isa::kRegisterCount>& r) {
    switch (static_cast<Opcode>(d.op)) {
    case Opcode::Ltt: cr[size_t(ControlRegister::TrapTableBase)] = r[d.a]; return true;
    case Opcode::Lptb: cr[size_t(ControlRegister::PageTableBase)] = r[d.a]; return true;
    case Opcode::Lksp: cr[size_t(ControlRegister::KernelStack)] = r[d.a]; return true;
    case Opcode::Stimer: cr[size_t(ControlRegister::TimerPeriod)] = r[d.a]; return true;
    case Opcode::Rdcr: r[d.a] = cr[d.b]; return true;
    default: return false;
    }
}

bool Cpu::exitIfSelected(VmExitReason reason, uint32_t pc, const Decoded* d, uint32_t qualification) {
    if (!state.nonRoot || !vmControls.exits(reason) || !hooks_) return false;
    hooks_->vmExit(*this, VmExit{reason, pc, d, qualification});
    return true;
}

bool Cpu::calloutTaken(const Decoded& d, uint32_t pc) {
    return calloutRing_ >= 0 && state.cpl == calloutRing_ && hooks_ && hooks_->callout(*this, d, pc);
}

void Cpu::executePrivileged(const Decoded& d, uint32_t pc) {
    if (calloutTaken(d, pc)) return;
    if (state.cpl != 0) {
        if (d.op == uint8_t(Opcode::Iret) && config.outwardIret) return executeIret(d, pc);
        raiseFault(isa::Vector::GeneralProtection, pc);
        return;
    }
    if (state.nonRoot) {
        // An I/O exit's qualification names the port, as VT-x's does.
        if (auto reason = exitReasonFor(static_cast<Opcode>(d.op));
            reason && exitIfSelected(*reason, pc, &d, *reason == VmExitReason::IoInstruction ? d.imm : 0))
            return;
    }
    const uint32_t next = pc + d.length;
    uint32_t* r = state.r.data();
    switch (static_cast<Opcode>(d.op)) {
    case Opcode::Hlt: return executeHlt(d, pc);
    case Opcode::Cli:
        state.flags &= ~flag::InterruptEnable;
        break;
    case Opcode::Sti:
        state.flags |= flag::InterruptEnable;
        retireInstruction(d, next);
        recomputeDeadline();  // a pending interrupt is taken now
        return;
    case Opcode::In: {
        if (hooks_ && hooks_->portRefused(*this, d.imm, pc)) {
            raiseFault(isa::Vector::GeneralProtection, pc);
            return;
        }
        retireInstruction(d, next);
        ++stats_.portAccesses;
        const uint32_t value = hooks_ ? hooks_->portIn(*this, d.imm) : 0xFFFFFFFFu;
        r[d.a] = value;
        emit(CpuEventKind::PortIo, int8_t(ring()), int8_t(ring()), 0, pc, directDeviceReceipt(), d.imm, value);
        return;
    }
    case Opcode::Out:
        if (hooks_ && hooks_->portRefused(*this, d.imm, pc)) {
            raiseFault(isa::Vector::GeneralProtection, pc);
            return;
        }
        retireInstruction(d, next);
        ++stats_.portAccesses;
        emit(CpuEventKind::PortIo, int8_t(ring()), int8_t(ring()), 1, pc, directDeviceReceipt(), d.imm, r[d.a]);
        if (hooks_) hooks_->portOut(*this, d.imm, r[d.a]);
        return;
    case Opcode::Ltt:
    case Opcode::Lksp:
    case Opcode::Rdcr:
        moveControlRegister(state.cr, d, state.r);
        break;
    case Opcode::Lptb:
        retireInstruction(d, next);
        loadPageTableBase(r[d.a]);
        return;
    case Opcode::Invlpg:
        flushTlbEntry(r[d.a]);
        break;
    case Opcode::Tlbflush:
        flushTlb();
        break;
    case Opcode::Stimer:
        retireInstruction(d, next);
        setTimerPeriod(r[d.a]);
        return;
    case Opcode::Iret: return executeIret(d, pc);
    default:
        raiseFault(isa::Vector::InvalidOpcode, pc);
        return;
    }
    retireInstruction(d, next);
}

void Cpu::executeIret(const Decoded& d, uint32_t pc) {
    retireInstruction(d, pc);
    if (const int8_t before = int8_t(ring()); returnFromTrap()) {
        account.charge(CycleCategory::GuestKernel, costs_.trapReturn);
        emit(CpuEventKind::TrapReturn, before, int8_t(ring()), 0, pc, returnReceipt(before, &Costs::trapReturn), 0, 0,
             costs_.trapReturn);
    }
}

void Cpu::executeSensitive(const Decoded& d, uint32_t pc) {
    if (calloutTaken(d, pc)) return;
    if (state.cpl != 0 && config.strict) {
        // A Popek-Goldberg-clean CPU: every sensitive instruction is privileged.
        raiseFault(isa::Vector::GeneralProtection, pc);
        return;
    }
    const uint32_t next = pc + d.length;
    uint32_t* r = state.r.data();
    switch (static_cast<Opcode>(d.op)) {
    case Opcode::Pushf: {
        const uint32_t sp = state.sp() - 4;
        if (!writeVirtual32(sp, state.flags & flag::Defined, pc)) return;
        state.sp() = sp;
        break;
    }
    case Opcode::Popf: {
        uint32_t value = 0;
        if (!readVirtual32(state.sp(), value, pc)) return;
        state.sp() += 4;
        // Models x86 POPF: outside ring 0 the interrupt flag is silently kept.
        const uint32_t writable = state.cpl == 0 ? flag::Defined : flag::Condition;
        state.flags = (state.flags & ~writable) | (value & writable);
        retireInstruction(d, next);
        if (state.cpl != 0) emit(CpuEventKind::SensitiveSilent, int8_t(ring()), int8_t(ring()), 0, pc, silentReceipt(d.op), d.op, value);
        recomputeDeadline();
        return;
    }
    case Opcode::Getcpl:
        r[d.a] = state.cpl;
        break;
    case Opcode::Stt:
        r[d.a] = state.cr_(ControlRegister::TrapTableBase);
        break;
    default:
        raiseFault(isa::Vector::InvalidOpcode, pc);
        return;
    }
    retireInstruction(d, next);
    if (state.cpl != 0) emit(CpuEventKind::SensitiveSilent, int8_t(ring()), int8_t(ring()), 0, pc, silentReceipt(d.op), d.op, 0);
}

}  // namespace ringsim
