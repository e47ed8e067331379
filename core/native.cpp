#include "native.h"

namespace ringsim {

uint32_t devicePortIn(Cpu& cpu, DeviceSet& devices, uint32_t port, CycleCategory category, uint32_t perAccess) {
    auto access = devices.in(port, cpu.account.now);
    cpu.charge(category, perAccess);
    return access.value;
}

void devicePortOut(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t value, CycleCategory category,
                   uint32_t perAccess) {
    DmaWindow dma{&cpu.memory(), cpu.windowBase(), cpu.windowLimit()};
    auto access = devices.out(port, value, dma);
    cpu.charge(category, perAccess);
    if (access.sectorsMoved) cpu.charge(CycleCategory::Device, uint64_t(access.sectorsMoved) * cpu.costs().blockSector);
}

void NativeMonitor::start(const GuestImages& guest) { machine_.boot(guest); }

uint32_t NativeMonitor::portIn(Cpu& cpu, uint32_t port) {
    return devicePortIn(cpu, machine_.devices, port, CycleCategory::Device, machine_.costs.ioPort);
}

void NativeMonitor::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    devicePortOut(cpu, machine_.devices, port, value, CycleCategory::Device, machine_.costs.ioPort);
}

}  // namespace ringsim
