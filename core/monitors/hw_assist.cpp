#include "monitors/hw_assist.h"

#include <fmt/format.h>

#include "monitors/deprivileged.h"
#include "machine/errors.h"
#include "monitors/monitor_receipts.h"
#include "monitors/native.h"

namespace ringsim {

using isa::Opcode;

HardwareAssistMonitor::HardwareAssistMonitor(Machine& machine) : Monitor(machine) {
    devices_.disk = BlockDevice(machine.config.diskSectors);
    devices_.nic = machine.nic;
    devices_.diskFrontEnd.attach(machine.config.diskFrontEnd, machine.config.diskSectors, machine.config.diskBackend);
}

void HardwareAssistMonitor::start(const GuestImages& guest) {
    Cpu& cpu = machine_.cpu;
    if (!cpu.config.hardwareAssist)
        throw InputError("hw-assist: this CPU has no hardware virtualisation extensions (no root/non-root mode); "
                         "configure a CPU with hardware assistance, or use trap-emulate, binary-translation, "
                         "emulation or paravirt");
    bootInPartition(guest);
    nested_ = cpu.config.nestedPaging;
    cpu.vmControls = exitControlsFor(nested_);
    // The MMU walks guest and host tables itself: every TLB miss is a two-dimensional walk.
    if (nested_) cpu.setWalkReferences(machine_.costs.nestedWalkRefs);
    if (machine_.config.exitControls) cpu.vmControls = *machine_.config.exitControls;
    // Shadow entries are filled on first use, through page-fault exits.
    cpu.setShadowFilling(!nested_ && cpu.vmControls.exits(VmExitReason::PageFault));
    // Without the exit, nothing would tell the monitor of a first touch: it backs everything up front.
    if (cpu.vmControls.exits(VmExitReason::MemoryBacking)) GuestMemory::backLazily(machine_, partition_);
    cpu.state.nonRoot = true;  // VM entry: the guest kernel starts in non-root ring 0
}

VmControls HardwareAssistMonitor::exitControlsFor(bool nestedPaging) {
    VmControls controls = VmControls::defaults();
    if (nestedPaging) {
        // No page-table intercepts: the MMU walks the guest's tables through the monitor's.
        controls.exitOn[size_t(VmExitReason::PageTableBaseLoad)] = false;
        controls.exitOn[size_t(VmExitReason::GuestPageTableWrite)] = false;
    } else {
        // Shadow paging: the MMU walks the monitor's shadow tables, so a page
        // fault is the monitor's to sort out first (a shadow entry to fill,
        // or the guest's own fault to inject), as on first-generation VT-x.
        controls.exitOn[size_t(VmExitReason::PageFault)] = true;
    }
    return controls;
}

void HardwareAssistMonitor::enterRoot(Cpu& cpu, VmExitReason reason, uint32_t pc, uint32_t detail,
                                      ExitHandling handling) {
    const auto& costs = machine_.costs;
    const int8_t guestRing = int8_t(cpu.state.cpl);
    cpu.charge(CycleCategory::WorldSwitch, costs.vmExit);
    cpu.state.rootMode = true;
    ++counters_.exits[size_t(reason)];
    record(EventKind::VmExit, guestRing, -1, pc, exitReceipt(reason, guestRing, handling), uint32_t(reason), detail,
           costs.vmExit);
    cpu.charge(CycleCategory::Monitor, costs.exitHandling);
}

Receipt HardwareAssistMonitor::exitReceipt(VmExitReason reason, int guestRing, ExitHandling handling) const {
    const auto& costs = machine_.costs;
    Receipt r(Mechanism::VmExit);
    r.via(guestRing, actorAt(guestRing)).via(-1, Actor::Monitor);
    r.in(&Costs::vmExit, costs.vmExit).apart(&Costs::exitHandling, costs.exitHandling);
    // What handling this reason charges after the exit, in its own event.
    switch (reason) {
    case VmExitReason::IoInstruction:
        r.apart(&Costs::deviceModelTrip, costs.deviceModelTrip).apart(&Costs::emulatedIo, costs.emulatedIo);
        break;
    case VmExitReason::PageTableBaseLoad:
        if (!nested_) r.apart(&Costs::shadowPtbSwitch, costs.shadowPtbSwitch);
        break;
    case VmExitReason::GuestPageTableWrite:
        r.apart(&Costs::guestTableWalk, costs.guestTableWalk, 2).apart(&Costs::shadowPteUpdate, costs.shadowPteUpdate);
        break;
    case VmExitReason::MemoryBacking: r.apart(&Costs::memoryBacking, costs.memoryBacking); break;
    case VmExitReason::PageFault:
        r.apart(&Costs::guestTableWalk, costs.guestTableWalk);
        if (handling == ExitHandling::HiddenFault)
            r.apart(&Costs::shadowPteUpdate, costs.shadowPteUpdate);
        else
            r.apart(&Costs::trapEntry, costs.trapEntry);
        break;
    case VmExitReason::ExternalInterrupt:
    case VmExitReason::Hypercall: r.apart(&Costs::trapEntry, costs.trapEntry); break;
    default: break;
    }
    return r.apart(&Costs::vmEntry, costs.vmEntry);
}

Receipt HardwareAssistMonitor::inRoot(Receipt r) { return r.via(-1, Actor::Monitor); }

void HardwareAssistMonitor::resumeGuest(Cpu& cpu, uint32_t pc) {
    const auto& costs = machine_.costs;
    cpu.charge(CycleCategory::WorldSwitch, costs.vmEntry);
    cpu.state.rootMode = false;
    // An untagged TLB cannot tell the guest's translations from the
    // monitor's: the exit flushed it and the entry does again. The monitor's
    // own work is not run through the TLB here, so one flush has the effect
    // of both; the guest pays it in the misses that follow.
    const bool flushed = !cpu.config.taggedTlb;
    if (flushed) cpu.flushTlb();
    Receipt receipt(Mechanism::VmEntry);
    receipt.via(-1, Actor::Monitor).via(cpu.state.cpl, actorAt(cpu.state.cpl)).in(&Costs::vmEntry, costs.vmEntry);
    record(EventKind::VmEntry, -1, int8_t(cpu.state.cpl), pc, receipt, flushed ? 1u : 0u, 0, costs.vmEntry);
}

void HardwareAssistMonitor::vmExit(Cpu& cpu, const VmExit& exit) {
    enterRoot(cpu, exit.reason, exit.pc, exit.qualification);
    handle(cpu, exit);
    if (cpu.stopReason() == StopReason::Halted)
        cpu.state.rootMode = false;  // the guest powered off: there is nothing to enter again
    else
        resumeGuest(cpu);
}

void HardwareAssistMonitor::handle(Cpu& cpu, const VmExit& exit) {
    uint32_t* r = cpu.state.r.data();
    const Decoded* d = exit.instruction;
    const auto& costs = machine_.costs;
    auto retire = [&] { cpu.retireInstruction(*d, exit.pc + d->length); };
    switch (exit.reason) {
    case VmExitReason::Hlt:
        retire();
        if (!cpu.state.interruptsEnabled())
            cpu.powerOff(fmt::format("the guest kernel executed hlt with interrupts disabled at cycle {}, pc {:#010x}",
                                     cpu.account.now, exit.pc));
        else
            cpu.waitForInterrupt(exit.pc);
        return;
    case VmExitReason::IoInstruction:
        if (refuseUnassignedPort(machine_, cpu, d->imm, exit.pc, -1)) {
            cpu.deliverThroughTable(
                Trap{uint8_t(isa::Vector::GeneralProtection), exit.pc, exit.pc, 0, CpuEventKind::Fault});
            return;
        }
        retire();
        {
            // The exit handler passes the access to the device model, which
            // runs as a process of the host (as QEMU does for KVM): a trip
            // there and back, then the model's emulation of the device.
            const bool isIn = d->op == uint8_t(Opcode::In);
            const uint32_t work = costs.deviceModelTrip + costs.emulatedIo;
            Receipt receipt = inRoot(Receipt(Mechanism::EmulatedDevice));
            receipt.in(&Costs::deviceModelTrip, costs.deviceModelTrip).in(&Costs::emulatedIo, costs.emulatedIo);
            if (devices_.finishesHostRequest(d->imm, isIn ? 0 : r[d->a], !isIn)) addHostRequest(receipt, costs, d->imm);
            if (isIn) {
                r[d->a] = devicePortIn(cpu, devices_, d->imm, work);
                record(EventKind::PortIo, -1, -1, exit.pc, receipt, d->imm, r[d->a], work, 0);
            } else {
                record(EventKind::PortIo, -1, -1, exit.pc, receipt, d->imm, r[d->a], work, 1);
                devicePortOut(cpu, devices_, d->imm, r[d->a], work);
            }
        }
        return;
    case VmExitReason::PageTableBaseLoad:
        retire();
        cpu.loadPageTableBase(r[d->a]);
        if (nested_) return;  // exiting by choice: the MMU walks the guest's tables itself, nothing to shadow
        cpu.charge(CycleCategory::Monitor, costs.shadowPtbSwitch);
        ++counters_.shadowUpdates;
        record(EventKind::ShadowUpdate, -1, -1, exit.pc,
               inRoot(Receipt(Mechanism::ShadowSwitch)).in(&Costs::shadowPtbSwitch, costs.shadowPtbSwitch), r[d->a], 0,
               costs.shadowPtbSwitch);
        shadow_.track(cpu, r[d->a]);
        return;
    case VmExitReason::TrapTableLoad:
    case VmExitReason::ControlRegisterRead:
        retire();
        moveControlRegister(cpu.state.cr, *d, cpu.state.r);
        return;
    case VmExitReason::TimerProgramming:
        retire();
        cpu.setTimerPeriod(r[d->a]);
        return;
    case VmExitReason::TlbInvalidate:
        retire();
        if (d->op == uint8_t(Opcode::Invlpg))
            cpu.flushTlbEntry(r[d->a]);
        else
            cpu.flushTlb();
        return;
    case VmExitReason::ExternalInterrupt:
        // The tick was the monitor's; it becomes the guest's virtual timer
        // interrupt, injected as soon as the guest has interrupts on.
        cpu.injectInterrupt(uint8_t(isa::Vector::Timer));
        return;
    case VmExitReason::PageFault:
        // The monitor walks the guest's tables for the address: the fault is
        // the guest's own (a fault of the shadow tables alone, a hidden one,
        // is shadowMiss's): injected through its trap table.
        cpu.charge(CycleCategory::Monitor, costs.guestTableWalk);
        cpu.deliverThroughTable(Trap{uint8_t(isa::Vector::PageFault), exit.pc, exit.pc, exit.qualification,
                                     CpuEventKind::Fault});
        return;
    case VmExitReason::Hypercall:
        // An unmodified guest has no business making hypercalls; this monitor offers none.
        cpu.deliverThroughTable(Trap{uint8_t(isa::Vector::InvalidOpcode), exit.pc, exit.pc, 0, CpuEventKind::Fault});
        return;
    case VmExitReason::GuestPageTableWrite:
    case VmExitReason::MemoryBacking:
    case VmExitReason::Count:
        return;
    }
}

void HardwareAssistMonitor::watchedWrite(Cpu& cpu, uint32_t physical, uint32_t) {
    // Off (an exit control override): the write goes through unseen and the shadow tables go stale.
    if (nested_ || !cpu.vmControls.exits(VmExitReason::GuestPageTableWrite) || !shadow_.isTablePage(cpu, physical))
        return;
    // Shadow paging under VT-x: the write to a write-protected guest page
    // table is an exit; the monitor mirrors it in the shadow tables.
    // The exit reports a write-protect fault at a linear address: the monitor
    // walks the guest's tables to fetch the faulting instruction and to find
    // the entry it writes, emulates the store, then mirrors it.
    enterRoot(cpu, VmExitReason::GuestPageTableWrite, cpu.state.pc, physical);
    const auto& costs = machine_.costs;
    Receipt receipt = inRoot(Receipt(Mechanism::ShadowExitUpdate));
    receipt.in(&Costs::guestTableWalk, costs.guestTableWalk, 2)
        .in(&Costs::emulatePrivileged, costs.emulatePrivileged)
        .in(&Costs::shadowPteUpdate, costs.shadowPteUpdate);
    const uint32_t cost = uint32_t(receipt.inEventCycles());
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.shadowUpdates;
    record(EventKind::ShadowUpdate, -1, -1, cpu.state.pc, receipt, physical, 0, cost);
    shadow_.written(cpu, physical);
    resumeGuest(cpu);
}

void HardwareAssistMonitor::unbackedFrame(Cpu& cpu, uint32_t guestFrame, uint32_t pc) {
    if (!GuestMemory::back(machine_.memory, partition_, guestFrame)) return;
    const uint32_t cost = machine_.costs.memoryBacking;
    if (cpu.state.rootMode) {
        // The monitor itself reached the frame (emulating an access): a fault in the host, no exit.
        cpu.charge(CycleCategory::Monitor, cost);
        return;
    }
    enterRoot(cpu, VmExitReason::MemoryBacking, pc, guestFrame << isa::kPageShift);
    cpu.charge(CycleCategory::Monitor, cost);
    resumeGuest(cpu, pc);
}

void HardwareAssistMonitor::shadowMiss(Cpu& cpu, uint32_t address, uint32_t pteAddress, uint32_t pc) {
    // The monitor's own accesses (root mode) walk the guest's tables in software.
    if (cpu.state.rootMode || !shadow_.fill(address, pteAddress)) return;
    // The shadow tables lacked the entry: a page-fault exit, which the monitor
    // resolves by filling the shadow entry from the guest's; nothing is injected.
    enterRoot(cpu, VmExitReason::PageFault, pc, address, ExitHandling::HiddenFault);
    const auto& costs = machine_.costs;
    Receipt receipt = inRoot(Receipt(Mechanism::HiddenFault));
    receipt.in(&Costs::guestTableWalk, costs.guestTableWalk).in(&Costs::shadowPteUpdate, costs.shadowPteUpdate);
    const uint32_t cost = uint32_t(receipt.inEventCycles());
    cpu.charge(CycleCategory::Monitor, cost);
    ++counters_.shadowUpdates;
    ++counters_.hiddenFaults;
    record(EventKind::ShadowUpdate, -1, -1, pc, receipt, address, pteAddress, cost);
    resumeGuest(cpu, pc);
}

Footprint HardwareAssistMonitor::footprint() const {
    Footprint f = Monitor::footprint();
    const uint32_t limit = partition_.limit ? partition_.limit : machine_.memory.size() - partition_.base;
    f.pages = GuestMemory::framesHeld(machine_.memory, partition_) + GuestMemory::monitorPages(limit, nested_);
    return f;
}

uint32_t HardwareAssistMonitor::portIn(Cpu& cpu, uint32_t port) {
    return devicePortIn(cpu, devices_, port, machine_.costs.emulatedIo);
}

void HardwareAssistMonitor::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    devicePortOut(cpu, devices_, port, value, machine_.costs.emulatedIo);
}

std::optional<VirtualCpuState> HardwareAssistMonitor::virtualCpu() const {
    // No copy to keep: in non-root mode the guest's IF, ring, trap table and
    // page-table base are the CPU's own. In root mode the CPU keeps them
    // aside for the guest (the VMCS's guest-state area), here in its state.
    VirtualCpuState guest = realCpuState(machine_.cpu);
    guest.ring = machine_.cpu.state.cpl;
    return guest;
}

}  // namespace ringsim
