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
    // The translator decoded the instruction already: a port access calls
    // the virtual device's model straight from the translation cache (its
    // work is the port-io event's), with no instruction left to emulate.
    const bool portAccess = d.op == uint8_t(isa::Opcode::In) || d.op == uint8_t(isa::Opcode::Out);
    Receipt receipt = roundTrip(Mechanism::TranslationCallout, cpu.ring(), 0);
    receipt.in(&Costs::btCallout, costs.btCallout);
    if (!portAccess) receipt.in(&Costs::emulatePrivileged, costs.emulatePrivileged);
    const uint32_t cost = uint32_t(receipt.inEventCycles());
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.callouts;
    ++counters_.emulated;
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
