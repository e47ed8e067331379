#include "native.h"

namespace ringsim {

uint32_t physicalPortIn(Machine& machine, uint32_t port) {
    auto access = machine.devices.in(port, machine.cpu.account.now);
    machine.cpu.charge(CycleCategory::Device, machine.costs.ioPort);
    return access.value;
}

void physicalPortOut(Machine& machine, uint32_t port, uint32_t value) {
    DmaWindow dma{&machine.memory, machine.cpu.windowBase(), machine.cpu.windowLimit()};
    auto access = machine.devices.out(port, value, dma);
    machine.cpu.charge(CycleCategory::Device,
                       uint64_t(machine.costs.ioPort) + uint64_t(access.sectorsMoved) * machine.costs.blockSector);
}

uint32_t NativePlatform::portIn(Cpu&, uint32_t port) { return physicalPortIn(machine_, port); }
void NativePlatform::portOut(Cpu&, uint32_t port, uint32_t value) { physicalPortOut(machine_, port, value); }

}  // namespace ringsim
