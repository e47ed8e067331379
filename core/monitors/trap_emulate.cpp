#include "monitors/trap_emulate.h"

#include "monitors/monitor_receipts.h"

namespace ringsim {

namespace {
// A privileged instruction of the guest kernel faulted into the monitor,
// which emulated it; iret and sysret leave through the return event that follows.
Receipt trappedReceipt(const Costs& costs, const Decoded& d) {
    const bool returns = d.op == uint8_t(isa::Opcode::Iret) || d.op == uint8_t(isa::Opcode::Sysret);
    Receipt r = returns ? Receipt(Mechanism::TrapToMonitor).via(kGuestKernelRing, Actor::Kernel).via(0, Actor::Monitor)
                        : roundTrip(Mechanism::TrapToMonitor, kGuestKernelRing, 0);
    return r.in(&Costs::monitorTrap, costs.monitorTrap).in(&Costs::emulatePrivileged, costs.emulatePrivileged);
}
}  // namespace

bool TrapEmulateMonitor::interceptTrap(Cpu& cpu, const Trap& trap) {
    // Every trap lands in the monitor first: its trap table is the real one.
    const auto& costs = machine_.costs;
    guest_.trapIntoMonitor(cpu);
    // (Only from the guest's ring 0: in its own ring 1 the fault is the guest's, as natively.)
    if (trap.vector == uint8_t(isa::Vector::GeneralProtection) && guest_.inKernelRing(cpu)) {
        Decoded d;
        if (cpu.fetchInstruction(trap.faultPc, d) && needsRing0(d)) {
            // The guest kernel tried something privileged: do it on the virtual CPU.
            cpu.charge(CycleCategory::Monitor, costs.emulatePrivileged);
            ++counters_.emulated;
            guest_.record(EventKind::SensitiveTrapped, int8_t(kGuestKernelRing), 0, trap.faultPc,
                          trappedReceipt(costs, d), d.op, 0, costs.monitorTrap + costs.emulatePrivileged);
            if (guest_.emulate(cpu, d, trap.faultPc)) return true;
        }
    }
    guest_.passOn(cpu, trap);
    return true;
}

void TrapEmulateMonitor::watchedWrite(Cpu& cpu, uint32_t physical, uint32_t) {
    // A write to a write-protected guest page table: it faults into the
    // monitor, which mirrors it in the shadow tables.
    const auto& costs = machine_.costs;
    guest_.pageTableWritten(cpu, physical,
                            roundTrip(Mechanism::ShadowWriteFault, cpu.ring(), 0)
                                .in(&Costs::monitorTrap, costs.monitorTrap)
                                .in(&Costs::shadowPteUpdate, costs.shadowPteUpdate));
}

}  // namespace ringsim
