// Native execution: no monitor. The guest kernel owns ring 0 and talks to the
// physical devices directly; the CPU's trap table is the kernel's own.
#pragma once

#include "monitor.h"

namespace ringsim {

class NativeMonitor : public Monitor {
public:
    using Monitor::Monitor;
    std::string_view mode() const override { return "native"; }
    void start(const GuestImages& guest) override;
    const Console& console() const override { return machine_.devices.console; }
    uint32_t portIn(Cpu& cpu, uint32_t port) override;
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override;
};

// Port access to a device set: the device does the work; `perAccess` cycles
// (device time natively, monitor time for an emulated device) plus the disk's
// DMA time are charged.
uint32_t devicePortIn(Cpu& cpu, DeviceSet& devices, uint32_t port, CycleCategory category, uint32_t perAccess);
void devicePortOut(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t value, CycleCategory category,
                   uint32_t perAccess);

}  // namespace ringsim
