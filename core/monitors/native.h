// Native execution: no monitor. The guest kernel owns ring 0 and talks to the
// physical devices directly; the CPU's trap table is the kernel's own.
#pragma once

#include "monitors/monitor.h"

namespace ringsim {

// The kernel's line that ends its boot: what follows is creating the
// programs' processes. Native and container start-up count from it, since
// their programs start on a kernel that is already running.
constexpr std::string_view kKernelStartingLine = "kernel: starting";

class NativeMonitor : public Monitor {
public:
    // No partition: the guest owns all of memory.
    explicit NativeMonitor(Machine& machine) : Monitor(machine) { partition_ = {0, 0}; }
    Mode mode() const override { return Mode::Native; }
    void start(const GuestImages& guest) override;
    std::string_view consoleText() const override { return machine_.devices.console.text(); }
    bool consoleTruncated() const override { return machine_.devices.console.truncated(); }
    const DeviceSet& guestDevices() const override { return machine_.devices; }
    uint32_t portIn(Cpu& cpu, uint32_t port) override;
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override;
    Footprint footprint() const override;
};

// Port access to a device set. `monitorWork` 0: the physical devices, each
// access paying the device's time (io_port, and the disk's DMA). Otherwise a
// VM's virtual devices, emulated by the monitor for `monitorWork` cycles; the
// physical device's time is paid only when the monitor's backend carries a
// finished request to real hardware (a console line, a disk request:
// DeviceSet::Access::hostRequest), never per access.
uint32_t devicePortIn(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t monitorWork);
void devicePortOut(Cpu& cpu, DeviceSet& devices, uint32_t port, uint32_t value, uint32_t monitorWork);

}  // namespace ringsim
