#include "monitors/binary_translation.h"

#include "monitors/monitor_receipts.h"

namespace ringsim {

void BinaryTranslationMonitor::start(const GuestImages& guest) {
    DeprivilegedMonitor::start(guest);
    // Kernel code (ring 1) is translated and its sensitive instructions call
    // out to the monitor; user code (ring 3) runs directly.
    machine_.cpu.setTranslation(kGuestKernelRing, kGuestKernelRing);
}

bool BinaryTranslationMonitor::interceptTrap(Cpu& cpu, const Trap& trap) {
    guest_.trapIntoMonitor(cpu);
    guest_.passOn(cpu, trap);
    return true;
}

bool BinaryTranslationMonitor::callout(Cpu& cpu, const Decoded& d, uint32_t pc) {
    const auto& costs = machine_.costs;
    const uint32_t cost = costs.btCallout + costs.emulatePrivileged;
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.callouts;
    ++counters_.emulated;
    Receipt receipt = roundTrip(Mechanism::TranslationCallout, cpu.ring(), 0);
    receipt.in(&Costs::btCallout, costs.btCallout).in(&Costs::emulatePrivileged, costs.emulatePrivileged);
    guest_.record(EventKind::EmulatedInstruction, int8_t(cpu.ring()), int8_t(cpu.ring()), pc, receipt, d.op, 0, cost);
    if (!guest_.emulate(cpu, d, pc))  // ring 0 would fault here too
        guest_.reflect(cpu, Trap{uint8_t(isa::Vector::GeneralProtection), pc, pc, 0, CpuEventKind::Fault});
    return true;
}

void BinaryTranslationMonitor::watchedWrite(Cpu& cpu, uint32_t physical, uint32_t length) {
    translator_.codeWritten(cpu, physical, length);
    if (!guest_.shadow.isTablePage(cpu, physical)) return;
    // The translated store was rewritten to trace page-table writes: the
    // shadow tables are updated inline, without a trap.
    guest_.pageTableWritten(cpu, physical,
                            roundTrip(Mechanism::ShadowTracedStore, cpu.ring(), 0)
                                .in(&Costs::shadowPteUpdate, machine_.costs.shadowPteUpdate));
}

}  // namespace ringsim
