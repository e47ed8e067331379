// Native execution: no monitor. The guest kernel owns ring 0 and talks to the
// physical devices directly; the CPU's trap table is the kernel's own.
#pragma once

#include "machine.h"

namespace ringsim {

class NativePlatform : public CpuHooks {
public:
    explicit NativePlatform(Machine& machine) : machine_(machine) {}

    void onEvent(Cpu&, const CpuEvent& e) override { machine_.recordCpuEvent(e); }
    uint32_t portIn(Cpu& cpu, uint32_t port) override;
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override;

private:
    Machine& machine_;
};

// A physical device access: the device does the work and the cycles are charged to Device.
uint32_t physicalPortIn(Machine& machine, uint32_t port);
void physicalPortOut(Machine& machine, uint32_t port, uint32_t value);

}  // namespace ringsim
