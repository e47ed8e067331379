// Trap-and-emulate: the unmodified guest kernel runs deprivileged in ring 1.
// Each privileged instruction faults into the monitor, which emulates it on
// the virtual CPU. The sensitive-but-unprivileged instructions do not fault,
// so on a non-strict CPU they quietly do the wrong thing — the reason x86
// could not be virtualised this way (Popek & Goldberg; Robin & Irvine).
#pragma once

#include "monitors/deprivileged.h"

namespace ringsim {

class TrapEmulateMonitor : public Monitor {
public:
    explicit TrapEmulateMonitor(Machine& machine) : Monitor(machine), guest_(machine, counters_, Mechanism::TrapToMonitor) {}
    Mode mode() const override { return Mode::TrapEmulate; }
    void start(const GuestImages& guest) override { guest_.boot(guest, partition_); }
    std::string_view consoleText() const override { return guest_.devices.console.text(); }
    bool consoleTruncated() const override { return guest_.devices.console.truncated(); }
    const DeviceSet& guestDevices() const override { return guest_.devices; }

    bool interceptTrap(Cpu& cpu, const Trap& trap) override;
    uint32_t portIn(Cpu& cpu, uint32_t port) override { return guest_.portIn(cpu, port); }
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override { guest_.portOut(cpu, port, value); }
    void watchedWrite(Cpu& cpu, uint32_t physical, uint32_t length) override;

private:
    DeprivilegedGuest guest_;
};

}  // namespace ringsim
