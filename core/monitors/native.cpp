#include "monitors/native.h"

namespace ringsim {

namespace {
// The device time of one access: per access for a physical device; for a
// virtual one, only what its backend sends on to the host's hardware.
uint64_t deviceTime(const Costs& costs, const DeviceSet::Access& access, bool isVirtual) {
    if (isVirtual && !access.hostRequest) return 0;
    return uint64_t(costs.ioPort) + uint64_t(access.sectorsMoved) * costs.blockSector;
}
}  // namespace

uint32_t devicePortIn(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t monitorWork) {
    auto access = devices.in(port, cpu.account.now);
    if (monitorWork) cpu.charge(CycleCategory::Monitor, monitorWork);
    if (const uint64_t device = deviceTime(cpu.costs(), access, monitorWork != 0))
        cpu.charge(CycleCategory::Device, device);
    return access.value;
}

void devicePortOut(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t value, uint32_t monitorWork) {
    DmaWindow dma{&cpu.memory(), cpu.windowBase(), cpu.windowLimit()};
    auto access = devices.out(port, value, dma, cpu.account.now);
    cpu.deviceWrote(access.wroteAt, access.wroteBytes);
    if (monitorWork) cpu.charge(CycleCategory::Monitor, monitorWork);
    if (const uint64_t device = deviceTime(cpu.costs(), access, monitorWork != 0))
        cpu.charge(CycleCategory::Device, device);
}

void NativeMonitor::start(const GuestImages& guest) { machine_.boot(guest); }

uint32_t NativeMonitor::portIn(Cpu& cpu, uint32_t port) {
    return devicePortIn(cpu, machine_.devices, port, 0);
}

void NativeMonitor::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    devicePortOut(cpu, machine_.devices, port, value, 0);
}

Footprint NativeMonitor::footprint() const {
    Footprint f = Monitor::footprint();
    const auto kernelReady = guestDevices().console.lineCycle(Console::kWholeText, kKernelStartingLine);
    if (f.startupCycles && kernelReady && *kernelReady <= *f.startupCycles) *f.startupCycles -= *kernelReady;
    return f;
}

}  // namespace ringsim
