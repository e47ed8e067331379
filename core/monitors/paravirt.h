// Paravirtualisation (Xen's approach): the guest kernel is modified — built
// from the same source with -D PARAVIRT=1 — so that it never executes a
// privileged or sensitive instruction. It runs in ring 1 and asks the
// monitor for what it needs with hypercalls: install a trap table, switch or
// update page tables (validated, in batches), turn virtual interrupts on and
// off, write a whole buffer to the console, move disk sectors, yield, halt.
#pragma once

#include "monitors/deprivileged.h"
#include "monitors/hypercall_log.h"

namespace ringsim {

class ParavirtMonitor : public DeprivilegedMonitor {
public:
    explicit ParavirtMonitor(Machine& machine) : DeprivilegedMonitor(machine, Mechanism::Hypercall) {}
    Mode mode() const override { return Mode::Paravirt; }
    void start(const GuestImages& guest) override;
    const DeviceSet& virtualDevices() const { return guest_.devices; }  // the VM's, for inspection

    // The latest hypercalls, with arguments and results (the GUI's hypercall inspector).
    const HypercallLog* hypercallLog() const override { return &calls_; }

    bool hypercall(Cpu& cpu, uint32_t number) override;
    bool interceptTrap(Cpu& cpu, const Trap& trap) override;

private:
    void serve(Cpu& cpu, uint32_t number, uint32_t pc);
    Receipt hypercallReceipt(uint32_t number, int ring) const;
    uint32_t mmuUpdate(Cpu& cpu, uint32_t list, uint32_t count, uint32_t pc);
    uint32_t consoleWrite(Cpu& cpu, uint32_t buffer, uint32_t length, uint32_t stream);
    uint32_t blockIo(Cpu& cpu, uint32_t op, uint32_t sector, uint32_t buffer, uint32_t sectors);
    void isolationViolation(Cpu& cpu, uint32_t pc, uint32_t address);
    HypercallLog calls_;
};

// True for a kernel assembled as the paravirtual build (its PARAVIRT symbol is not 0).
bool isParavirtualKernel(const assembler::Program& kernel);

}  // namespace ringsim
