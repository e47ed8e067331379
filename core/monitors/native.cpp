#include "monitors/native.h"

namespace ringsim {

uint32_t devicePortIn(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t monitorWork) {
    auto access = devices.in(port, cpu.account.now);
    if (monitorWork) cpu.charge(CycleCategory::Monitor, monitorWork);
    cpu.charge(CycleCategory::Device, cpu.costs().ioPort);
    return access.value;
}

void devicePortOut(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t value, uint32_t monitorWork) {
    DmaWindow dma{&cpu.memory(), cpu.windowBase(), cpu.windowLimit()};
    auto access = devices.out(port, value, dma, cpu.account.now);
    cpu.deviceWrote(access.wroteAt, access.wroteBytes);
    if (monitorWork) cpu.charge(CycleCategory::Monitor, monitorWork);
    cpu.charge(CycleCategory::Device,
               uint64_t(cpu.costs().ioPort) + uint64_t(access.sectorsMoved) * cpu.costs().blockSector);
}

void NativeMonitor::start(const GuestImages& guest) { machine_.boot(guest); }

uint32_t NativeMonitor::portIn(Cpu& cpu, uint32_t port) {
    return devicePortIn(cpu, machine_.devices, port, 0);
}

void NativeMonitor::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    devicePortOut(cpu, machine_.devices, port, value, 0);
}

}  // namespace ringsim
