// Trap-and-emulate: the unmodified guest kernel runs deprivileged in ring 1.
// Each privileged instruction faults into the monitor, which emulates it on
// the virtual CPU. The sensitive-but-unprivileged instructions do not fault,
// so on a non-strict CPU they quietly do the wrong thing — the reason x86
// could not be virtualised this way (Popek & Goldberg; Robin & Irvine).
#pragma once

#include "monitors/deprivileged.h"

namespace ringsim {

class TrapEmulateMonitor : public DeprivilegedMonitor {
public:
    explicit TrapEmulateMonitor(Machine& machine) : DeprivilegedMonitor(machine, Mechanism::TrapToMonitor) {}
    Mode mode() const override { return Mode::TrapEmulate; }

    bool interceptTrap(Cpu& cpu, const Trap& trap) override;
    void watchedWrite(Cpu& cpu, uint32_t physical, uint32_t length) override;
};

}  // namespace ringsim
