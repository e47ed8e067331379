// Paravirtualisation (Xen's approach): the guest kernel is modified — built
// from the same source with -D PARAVIRT=1 — so that it never executes a
// privileged or sensitive instruction. It runs in ring 1 and asks the
// monitor for what it needs with hypercalls: install a trap table, switch or
// update page tables (validated, in batches), turn virtual interrupts on and
// off, write a whole buffer to the console, move disk sectors, yield, halt.
#pragma once

#include "monitors/deprivileged.h"
#include "monitors/hypercall_log.h"

#include <string_view>

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
    // The virtual IF is the guest's shared page's, when it has one.
    std::optional<VirtualCpuState> virtualCpu() const override;

    // The page the kernel and the monitor share (Xen's shared_info): at
    // kSharedMask the guest's interrupt mask (1 = virtual interrupts off,
    // Xen's evtchn_upcall_mask), written by the guest with plain stores; at
    // kSharedPending 1 while a virtual interrupt waits (evtchn_upcall_pending),
    // written by the monitor. The kernel names it with this label.
    static constexpr std::string_view kSharedInfoLabel = "pv_shared_info";
    static constexpr uint32_t kSharedMask = 0, kSharedPending = 4;
    uint32_t sharedInfo() const { return sharedInfo_; }  // guest-physical; 0: none

private:
    // The monitor's copy of the flags follows the page at each entry, and the page the copy at each exit.
    void pullSharedInfo(Cpu& cpu);
    void pushSharedInfo(Cpu& cpu);
    uint32_t sharedInfo_ = 0;
    void serve(Cpu& cpu, uint32_t number, uint32_t pc);
    Receipt hypercallReceipt(uint32_t number, int ring) const;
    uint32_t mmuUpdate(Cpu& cpu, uint32_t list, uint32_t count, uint32_t pc);
    uint32_t consoleWrite(Cpu& cpu, uint32_t buffer, uint32_t length, uint32_t stream);
    uint32_t blockIo(Cpu& cpu, uint32_t op, uint32_t sector, uint32_t buffer, uint32_t sectors);
    void isolationViolation(Cpu& cpu, uint32_t pc, uint32_t address);
    // A disk front end's register access by the kernel, emulated; false for any other trap.
    bool emulatedDiskPortIo(Cpu& cpu, const Trap& trap);
    HypercallLog calls_;
};

// True for a kernel assembled as the paravirtual build (its PARAVIRT symbol is not 0).
bool isParavirtualKernel(const assembler::Program& kernel);

}  // namespace ringsim
