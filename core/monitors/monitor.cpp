#include "monitors/monitor.h"

#include <fmt/format.h>
#include <stdexcept>

#include "machine/errors.h"

namespace ringsim {

void Monitor::outsideWindow(Cpu& cpu, const Trap& trap) {
    if (modeInfo(mode()).virtualMachine)
        record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), trap.faultPc, trap.address);
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
    return *this;
}

bool refuseUnassignedPort(Machine& machine, Cpu& cpu, uint32_t port, uint32_t pc) {
    if (DeviceSet::answers(port)) return false;
    machine.record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), pc, port);
    return true;
}

bool Monitor::portRefused(Cpu& cpu, uint32_t port, uint32_t pc) {
    return !DeviceSet::answers(port) && modeInfo(mode()).virtualMachine &&
           refuseUnassignedPort(machine_, cpu, port, pc);
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
