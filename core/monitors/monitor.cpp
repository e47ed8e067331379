#include "monitors/monitor.h"

#include <fmt/format.h>
#include <stdexcept>

#include "machine/errors.h"
#include "monitors/monitor_receipts.h"

namespace ringsim {

void Monitor::outsideWindow(Cpu& cpu, const Trap& trap) {
    if (modeInfo(mode()).virtualMachine)
        record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), trap.faultPc,
               isolationReceipt(cpu.ring(), monitorRing(mode())), trap.address);
}

MonitorCounters& MonitorCounters::operator+=(const MonitorCounters& o) {
    for (size_t i = 0; i < exits.size(); ++i) exits[i] += o.exits[i];
    for (const auto& [number, count] : o.hypercalls) hypercalls[number] += count;
    trapsIntoMonitor += o.trapsIntoMonitor;
    emulated += o.emulated;
    reflected += o.reflected;
    translatedBlocks += o.translatedBlocks;
    translatedInstructions += o.translatedInstructions;
    cacheHits += o.cacheHits;
    invalidations += o.invalidations;
    callouts += o.callouts;
    shadowUpdates += o.shadowUpdates;
    hiddenFaults += o.hiddenFaults;
    return *this;
}

bool refuseUnassignedPort(Machine& machine, Cpu& cpu, uint32_t port, uint32_t pc, int monitorRing) {
    if (DeviceSet::answers(port) || (machine.nic && DeviceSet::isNicPort(port))) return false;
    machine.record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), pc,
                   isolationReceipt(cpu.ring(), monitorRing), port);
    return true;
}

bool Monitor::portRefused(Cpu& cpu, uint32_t port, uint32_t pc) {
    return modeInfo(mode()).virtualMachine &&
           refuseUnassignedPort(machine_, cpu, port, pc, monitorRing(mode()));
}

void Monitor::onEvent(Cpu& cpu, const CpuEvent& e) {
    if (e.kind == CpuEventKind::PortIo && modeInfo(mode()).virtualMachine) {
        // A VM has virtual devices only: the access the CPU let through was
        // served by this monitor's emulation (charged as it served it). An
        // `out` is reported before it is served, so the device can still say
        // whether it finishes a host request (an `in`'s request, a sector read
        // word by word, is not named here).
        CpuEvent served = e;
        const bool isWrite = e.vector == 1;
        const bool host = isWrite && guestDevices().finishesHostRequest(e.detail, e.extra, true);
        served.receipt = emulatedDeviceReceipt(machine_.costs, cpu.ring(), monitorRing(mode()), false, host, e.detail);
        machine_.recordCpuEvent(served);
        return;
    }
    machine_.recordCpuEvent(e);
}

Receipt isolationReceipt(int guestRing, int monitorRing) {
    Receipt r(Mechanism::IsolationRefused);
    return r.via(guestRing, actorAt(guestRing)).via(monitorRing, Actor::Monitor);
}

Footprint Monitor::footprint() const {
    Footprint f;
    const uint32_t limit = partition_.limit ? partition_.limit : machine_.memory.size() - partition_.base;
    f.pages = machine_.memory.pagesInUse(partition_.base, limit);
    f.startupCycles = guestDevices().console.firstLineCycle(Console::kWholeText, "kernel: ");
    return f;
}

void Monitor::bootInPartition(const GuestImages& guest) {
    const uint32_t limit = partition_.limit ? partition_.limit : machine_.memory.size() - partition_.base;
    machine_.boot(guest, partition_.base, limit);
}

}  // namespace ringsim
