#include "monitors/deprivileged.h"

#include <fmt/format.h>

#include "monitors/monitor_receipts.h"
#include "monitors/native.h"

namespace ringsim {

using isa::ControlRegister;
using isa::Opcode;
namespace flag = isa::flag;

namespace {
size_t cr(ControlRegister c) { return static_cast<size_t>(c); }

// pushf as the guest expects it in either of its rings: its condition codes
// and its virtual IF. False if the push faulted (the fault was reflected).
bool pushGuestFlags(Cpu& cpu, const VirtualCpu& vcpu, uint32_t pc) {
    const uint32_t value = (cpu.state.flags & flag::Condition) | (vcpu.interruptsEnabled ? flag::InterruptEnable : 0);
    const uint32_t sp = cpu.state.sp() - 4;
    if (!cpu.writeVirtual32(sp, value, pc)) return false;
    cpu.state.sp() = sp;
    return true;
}

// popf for the guest: the condition codes go to the CPU and the real IF stays
// on; what becomes of the popped IF is the caller's. The popped word, or
// nothing if the read faulted (the fault was reflected).
std::optional<uint32_t> popGuestFlags(Cpu& cpu, uint32_t pc) {
    uint32_t value = 0;
    if (!cpu.readVirtual32(cpu.state.sp(), value, pc)) return std::nullopt;
    cpu.state.sp() += 4;
    cpu.state.flags = (value & flag::Condition) | flag::InterruptEnable;
    return value;
}
}  // namespace

DeprivilegedGuest::DeprivilegedGuest(Machine& machine, MonitorCounters& counters, Mechanism entry)
    : machine_(machine), counters_(counters), entry_(entry) {
    devices.disk = BlockDevice(machine.config.diskSectors);
    devices.nic = machine.nic;
    devices.diskFrontEnd.attach(machine.config.diskFrontEnd, machine.config.diskSectors, machine.config.diskBackend);
}

void DeprivilegedGuest::boot(const GuestImages& guest, const Partition& partition) {
    Cpu& cpu = machine_.cpu;
    machine_.boot(guest, partition.base, partition.limit);
    // The guest kernel starts where it believes it is — ring 0, interrupts
    // off — but really in ring 1, with the monitor's trap table in the CPU
    // and real interrupts on, so the monitor sees every tick.
    vcpu = VirtualCpu{};
    cpu.state.cpl = kGuestKernelRing;
    cpu.state.flags = flag::InterruptEnable;
    cpu.state.cr[cr(ControlRegister::TrapTableBase)] = kMonitorTrapTable;
    cpu.privilegeOrMappingChanged();
    // Shadow paging (paravirtualisation, with direct paging, turns it off).
    cpu.setShadowFilling(true);
}

bool DeprivilegedGuest::emulate(Cpu& cpu, const Decoded& d, uint32_t pc) {
    uint32_t* r = cpu.state.r.data();
    if (!inKernelRing(cpu)) return emulateInRing1(cpu, d, pc);
    const uint32_t next = pc + d.length;
    const int8_t ring = int8_t(cpu.ring());
    switch (static_cast<Opcode>(d.op)) {
    case Opcode::Cli:
        vcpu.interruptsEnabled = false;
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Sti:
        vcpu.interruptsEnabled = true;
        cpu.retireInstruction(d, next);
        deliverPending(cpu);
        return true;
    case Opcode::Pushf:
        if (!pushGuestFlags(cpu, vcpu, pc)) return true;  // the fault was reflected
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Popf: {
        const std::optional<uint32_t> value = popGuestFlags(cpu, pc);
        if (!value) return true;
        vcpu.interruptsEnabled = *value & flag::InterruptEnable;
        cpu.retireInstruction(d, next);
        deliverPending(cpu);
        return true;
    }
    case Opcode::Getcpl:
        r[d.a] = uint32_t(vcpu.virtualRing(cpu.state.cpl));
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Stt:
        r[d.a] = vcpu.cr[cr(ControlRegister::TrapTableBase)];
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Hlt:
        cpu.retireInstruction(d, next);
        if (!vcpu.interruptsEnabled) {
            record(EventKind::Halt, ring, ring, pc, Receipt(Mechanism::Halt).via(ring, Actor::Kernel));
            cpu.powerOff(fmt::format("the guest kernel executed hlt with its interrupts disabled at cycle {}, pc {:#010x}",
                                     cpu.account.now, pc));
        } else if (vcpu.interruptPending) {
            deliverPending(cpu);
        } else {
            cpu.waitForInterrupt(pc);
        }
        return true;
    case Opcode::In: {
        if (refuseUnassignedPort(machine_, cpu, d.imm, pc, 0)) return false;
        cpu.retireInstruction(d, next);
        const bool host = devices.finishesHostRequest(d.imm, 0, false);
        r[d.a] = portIn(cpu, d.imm);
        record(EventKind::PortIo, ring, ring, pc, emulatedDeviceReceipt(machine_.costs, ring, 0, true, host, d.imm),
               d.imm, r[d.a], machine_.costs.emulatedIo, 0);
        return true;
    }
    case Opcode::Out:
        if (refuseUnassignedPort(machine_, cpu, d.imm, pc, 0)) return false;
        cpu.retireInstruction(d, next);
        record(EventKind::PortIo, ring, ring, pc,
               emulatedDeviceReceipt(machine_.costs, ring, 0, true, devices.finishesHostRequest(d.imm, r[d.a], true),
                                     d.imm),
               d.imm, r[d.a], machine_.costs.emulatedIo, 1);
        portOut(cpu, d.imm, r[d.a]);
        return true;
    case Opcode::Ltt:
    case Opcode::Lksp:
    case Opcode::Rdcr:
        moveControlRegister(vcpu.cr, d, cpu.state.r);
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Lptb:
        cpu.retireInstruction(d, next);
        loadPageTableBase(cpu, r[d.a], pc);
        return true;
    case Opcode::Invlpg:
        cpu.flushTlbEntry(r[d.a]);
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Tlbflush:
        cpu.flushTlb();
        cpu.retireInstruction(d, next);
        return true;
    case Opcode::Stimer:
        moveControlRegister(vcpu.cr, d, cpu.state.r);
        cpu.retireInstruction(d, next);
        setTimer(cpu, r[d.a]);
        return true;
    case Opcode::Iret:
    case Opcode::Sysret:
        cpu.retireInstruction(d, pc);  // as on bare hardware: the instruction's own cycles first, in ring 0's account
        return returnFromTrap(cpu, pc, d.op == uint8_t(Opcode::Sysret));
    default:
        return false;
    }
}

bool DeprivilegedGuest::emulateInRing1(Cpu& cpu, const Decoded& d, uint32_t pc) {
    // Privileged instructions fault in ring 1; so do sensitive ones on a strict CPU.
    if (cpu.config.strict || classOf(d) != isa::InsnClass::SensitiveUnprivileged)
        return false;
    const uint32_t next = pc + d.length;
    switch (static_cast<Opcode>(d.op)) {
    case Opcode::Getcpl: cpu.state.r[d.a] = 1; break;
    case Opcode::Stt: cpu.state.r[d.a] = vcpu.cr[cr(ControlRegister::TrapTableBase)]; break;
    case Opcode::Pushf:
        if (!pushGuestFlags(cpu, vcpu, pc)) return true;  // the fault was reflected
        break;
    case Opcode::Popf:  // outside ring 0 popf keeps IF: the popped one goes nowhere
        if (!popGuestFlags(cpu, pc)) return true;
        break;
    default: return false;
    }
    cpu.retireInstruction(d, next);
    return true;
}

bool DeprivilegedGuest::returnFromTrap(Cpu& cpu, uint32_t pc, bool isSysret) {
    TrapFrame frame;
    if (!cpu.readTrapFrame(frame, pc)) return true;  // a fault was reflected; nothing more to do
    const int virtualRing = framesShowRealRing && frame.ring() == kGuestKernelRing ? 0 : frame.ring();
    const int8_t before = int8_t(cpu.ring());
    if (virtualRing < vcpu.virtualRing(cpu.state.cpl)) return false;
    // The saved IF is the guest's: it goes to the virtual CPU, and the real one stays on.
    vcpu.interruptsEnabled = frame.flags & flag::InterruptEnable;
    vcpu.inRing1 = virtualRing == 1;
    cpu.resumeFrom(frame, uint8_t(VirtualCpu::realRing(virtualRing)),
                   (frame.flags & flag::Condition) | flag::InterruptEnable);
    record(isSysret ? EventKind::SyscallReturn : EventKind::TrapReturn, before, int8_t(cpu.ring()), pc,
           returnReceipt(before, cpu.ring()));
    deliverPending(cpu);
    return true;
}

void DeprivilegedGuest::reflect(Cpu& cpu, const Trap& trap, Reflect path) {
    const uint32_t table = vcpu.cr[cr(ControlRegister::TrapTableBase)];
    uint32_t handler = 0;
    const int fromRing = cpu.state.cpl;
    const int fromVirtualRing = vcpu.virtualRing(fromRing);
    if (!cpu.readPhysical32(table + trap.vector * 4u, handler) || handler == 0) {
        cpu.failGuest(fmt::format("{} (vector {}) at cycle {}, pc {:#010x}, guest ring {}, and no handler for it in "
                                  "the guest's trap table (base {:#x})",
                                  isa::vectorName(trap.vector), trap.vector, cpu.account.now, trap.faultPc,
                                  fromVirtualRing, table));
        return;
    }
    if (trap.vector == uint8_t(isa::Vector::PageFault)) {
        vcpu.cr[cr(ControlRegister::FaultAddress)] = trap.address;
        vcpu.cr[cr(ControlRegister::FaultCause)] = cpu.state.cr[cr(ControlRegister::FaultCause)];
    }
    const uint32_t stack = fromVirtualRing > 0 ? vcpu.cr[cr(ControlRegister::KernelStack)] : cpu.state.sp();
    const uint32_t savedFlags = (cpu.state.flags & flag::Condition) |
                                (vcpu.interruptsEnabled ? flag::InterruptEnable : 0) |
                                (uint32_t(framesShowRealRing ? fromRing : fromVirtualRing) << isa::kSavedRingShift);
    if (!cpu.enterHandler(kGuestKernelRing, handler, stack, trap.savedPc, savedFlags)) return;
    vcpu.inRing1 = false;  // the handler runs in the guest's ring 0
    cpu.state.flags |= flag::InterruptEnable;  // the real IF stays on: the monitor wants every tick
    vcpu.interruptsEnabled = false;            // the guest's handler starts with its interrupts off
    const auto& costs = machine_.costs;
    // The direct gate is the hardware's, into the guest kernel: no monitor work, nothing reflected.
    const bool direct = path == Reflect::DirectGate;
    Receipt receipt(direct ? Mechanism::SyscallGate : Mechanism::ReflectedByMonitor);
    receipt.via(fromRing, actorAt(fromRing));
    if (direct) {
        receipt.via(kGuestKernelRing, Actor::Kernel).in(&Costs::syscallEntry, costs.syscallEntry);
    } else {
        // The monitor does in software what the CPU's delivery does: read and
        // check the guest's gate, build the guest's frame. Under shadow paging
        // a page fault is first looked up in the guest's own tables, walked in
        // software, to tell a fault of the shadow tables (the monitor's to
        // fill, hidden from the guest) from the guest's own.
        receipt.via(0, Actor::Monitor).via(kGuestKernelRing, Actor::Kernel);
        if (trap.vector == uint8_t(isa::Vector::PageFault) && shadow.active())
            receipt.in(&Costs::guestTableWalk, costs.guestTableWalk);
        receipt.in(&Costs::reflectGate, costs.reflectGate).in(&Costs::reflectTrap, costs.reflectTrap);
        receipt.apart(&Costs::monitorTrap, costs.monitorTrap);
    }
    const uint32_t cost = uint32_t(receipt.inEventCycles());
    cpu.charge(direct ? CycleCategory::GuestKernel : CycleCategory::Monitor, cost);
    if (!direct) ++counters_.reflected;
    record(toEventKind(trap.kind), int8_t(fromRing), int8_t(kGuestKernelRing), trap.faultPc, receipt, trap.address, 0,
           cost, trap.vector);
}

Receipt DeprivilegedGuest::returnReceipt(int ringBefore, int ringAfter) const {
    // The frame is popped by the monitor; how the request reached it (and
    // what that cost, in the event before) depends on the approach.
    const auto& costs = machine_.costs;
    Receipt r(Mechanism::ReturnByMonitor);
    r.via(ringBefore, Actor::Kernel).via(0, Actor::Monitor).via(ringAfter, actorAt(ringAfter));
    switch (entry_) {
    case Mechanism::TrapToMonitor:
        return r.apart(&Costs::monitorTrap, costs.monitorTrap).apart(&Costs::emulatePrivileged, costs.emulatePrivileged);
    case Mechanism::TranslationCallout:
        return r.apart(&Costs::btCallout, costs.btCallout).apart(&Costs::emulatePrivileged, costs.emulatePrivileged);
    default: return r.apart(&Costs::hypercall, costs.hypercall);
    }
}

void DeprivilegedGuest::interrupt(Cpu& cpu, const Trap& trap) {
    if (vcpu.interruptsEnabled)
        reflect(cpu, trap);
    else
        vcpu.interruptPending = true;
}

void DeprivilegedGuest::setTimer(Cpu& cpu, uint32_t period) {
    cpu.setTimerPeriod(period);  // the real timer ticks for the guest's virtual one
    // As on bare hardware, stopping the timer drops the tick it left pending
    // while the guest's interrupts were off: the virtual CPU's copy too.
    if (period == 0) vcpu.interruptPending = false;
}

void DeprivilegedGuest::trapIntoMonitor(Cpu& cpu) {
    cpu.charge(CycleCategory::Monitor, machine_.costs.monitorTrap);
    ++counters_.trapsIntoMonitor;
}

void DeprivilegedGuest::deliverPending(Cpu& cpu) {
    if (!vcpu.interruptPending || !vcpu.interruptsEnabled) return;
    vcpu.interruptPending = false;
    // Natively a tick that came due while this one waited (in the last
    // cycle of ring 3, noticed only when ring 3 runs again) merges with it:
    // delivering this one must not leave that one to follow.
    cpu.mergeDueTick();
    reflect(cpu, Trap{uint8_t(isa::Vector::Timer), cpu.state.pc, cpu.state.pc, 0, CpuEventKind::Interrupt});
}

uint32_t DeprivilegedGuest::portIn(Cpu& cpu, uint32_t port) {
    return devicePortIn(cpu, devices, port, machine_.costs.emulatedIo);
}

void DeprivilegedGuest::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    devicePortOut(cpu, devices, port, value, machine_.costs.emulatedIo);
}

void DeprivilegedGuest::switchPageTables(Cpu& cpu, uint32_t value) {
    vcpu.cr[cr(ControlRegister::PageTableBase)] = value;
    cpu.loadPageTableBase(value);
}

void DeprivilegedGuest::pageTableWritten(Cpu& cpu, uint32_t physical, const Receipt& receipt) {
    const uint32_t cost = uint32_t(receipt.inEventCycles());
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.shadowUpdates;
    record(EventKind::ShadowUpdate, int8_t(cpu.ring()), int8_t(cpu.ring()), cpu.state.pc, receipt, physical, 0, cost);
    shadow.written(cpu, physical);
}

void DeprivilegedGuest::shadowMiss(Cpu& cpu, uint32_t address, uint32_t pteAddress, uint32_t pc) {
    if (!shadow.fill(address, pteAddress)) return;
    const auto& costs = machine_.costs;
    Receipt receipt = roundTrip(Mechanism::HiddenFault, cpu.ring(), 0);
    receipt.in(&Costs::monitorTrap, costs.monitorTrap)
        .in(&Costs::guestTableWalk, costs.guestTableWalk)
        .in(&Costs::shadowPteUpdate, costs.shadowPteUpdate);
    const uint32_t cost = uint32_t(receipt.inEventCycles());
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.shadowUpdates;
    ++counters_.hiddenFaults;
    record(EventKind::ShadowUpdate, int8_t(cpu.ring()), int8_t(cpu.ring()), pc, receipt, address, pteAddress, cost);
}

void DeprivilegedGuest::loadPageTableBase(Cpu& cpu, uint32_t value, uint32_t pc) {
    switchPageTables(cpu, value);
    const uint32_t cost = machine_.costs.shadowPtbSwitch;
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.shadowUpdates;
    Receipt receipt = roundTrip(Mechanism::ShadowSwitch, cpu.ring(), 0);
    record(EventKind::ShadowUpdate, int8_t(cpu.ring()), int8_t(cpu.ring()), pc, receipt.in(&Costs::shadowPtbSwitch, cost),
           value, 0, cost);
    shadow.track(cpu, value);
}

std::optional<VirtualCpuState> DeprivilegedMonitor::virtualCpu() const {
    const VirtualCpu& v = guest_.vcpu;
    VirtualCpuState state;
    state.holder = VirtualCpuState::Holder::Monitor;
    state.interruptsEnabled = v.interruptsEnabled;
    state.ring = v.virtualRing(machine_.cpu.state.cpl);
    state.trapTable = v.cr[cr(ControlRegister::TrapTableBase)];
    state.pageTable = v.cr[cr(ControlRegister::PageTableBase)];
    state.kernelStack = v.cr[cr(ControlRegister::KernelStack)];
    state.timerPeriod = v.cr[cr(ControlRegister::TimerPeriod)];
    state.interruptPending = v.interruptPending;
    return state;
}

}  // namespace ringsim
