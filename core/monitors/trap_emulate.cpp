#include "monitors/trap_emulate.h"

namespace ringsim {

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
            guest_.record(EventKind::SensitiveTrapped, int8_t(kGuestKernelRing), 0, trap.faultPc, d.op, 0,
                          costs.monitorTrap + costs.emulatePrivileged);
            if (guest_.emulate(cpu, d, trap.faultPc)) return true;
        }
    }
    guest_.passOn(cpu, trap);
    return true;
}

void TrapEmulateMonitor::watchedWrite(Cpu& cpu, uint32_t physical, uint32_t) {
    // A write to a write-protected guest page table: it faults into the
    // monitor, which mirrors it in the shadow tables.
    guest_.pageTableWritten(cpu, physical, machine_.costs.monitorTrap + machine_.costs.shadowPteUpdate);
}

}  // namespace ringsim
