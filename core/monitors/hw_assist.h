// Hardware-assisted virtualisation (Intel VT-x / AMD-V): the monitor runs in
// root mode, "ring -1"; the unmodified guest kernel runs in ring 0 of
// non-root mode, with its own trap table, so its system calls and faults
// need no monitor at all. The events the control block selects — I/O,
// hlt, page-table-base loads, timer interrupts, ... — exit to the monitor,
// each exit and entry a costly world switch. With nested paging the MMU
// walks two levels of tables itself (dearer TLB misses, no page-table exits);
// without it the monitor shadows the guest's page tables.
#pragma once

#include "monitors/monitor.h"
#include "monitors/guest_memory.h"
#include "monitors/shadow_paging.h"

namespace ringsim {

class HardwareAssistMonitor : public Monitor {
public:
    explicit HardwareAssistMonitor(Machine& machine);
    Mode mode() const override { return Mode::HwAssist; }
    void start(const GuestImages& guest) override;
    // The exits this monitor asks for, unless a run overrides them.
    static VmControls exitControlsFor(bool nestedPaging);
    std::string_view consoleText() const override { return devices_.console.text(); }
    bool consoleTruncated() const override { return devices_.console.truncated(); }
    const DeviceSet& guestDevices() const override { return devices_; }
    // The guest's CPU is the real one, held by the hardware in non-root mode.
    std::optional<VirtualCpuState> virtualCpu() const override;

    void vmExit(Cpu& cpu, const VmExit& exit) override;
    void watchedWrite(Cpu& cpu, uint32_t physical, uint32_t length) override;
    // The first touch of a guest frame the monitor has not backed: a
    // memory-backing exit (an EPT violation) in which the monitor backs it.
    void unbackedFrame(Cpu& cpu, uint32_t guestFrame, uint32_t pc) override;
    void shadowMiss(Cpu& cpu, uint32_t address, uint32_t pteAddress, uint32_t pc) override;
    // Pages: the frames the VM holds plus the monitor's structures for it (guest_memory.h).
    Footprint footprint() const override;
    // Port I/O only reaches here if the controls let it through without an exit.
    uint32_t portIn(Cpu& cpu, uint32_t port) override;
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override;

private:
    // What the monitor does after an exit, where the reason alone does not say:
    // a page-fault exit is the guest's own fault (injected) or a hidden one.
    enum class ExitHandling { ByReason, HiddenFault };
    void enterRoot(Cpu& cpu, VmExitReason reason, uint32_t pc, uint32_t detail,
                   ExitHandling handling = ExitHandling::ByReason);
    // `pc`: where the guest goes on (an exit in the middle of an instruction's
    // access resumes that instruction, which the CPU's pc may not show yet).
    void resumeGuest(Cpu& cpu) { resumeGuest(cpu, cpu.state.pc); }
    void resumeGuest(Cpu& cpu, uint32_t pc);
    void handle(Cpu& cpu, const VmExit& exit);
    // The receipts of an exit (with what handling its reason charges after
    // it) and of work done in root mode.
    Receipt exitReceipt(VmExitReason reason, int guestRing, ExitHandling handling) const;
    static Receipt inRoot(Receipt r);
    DeviceSet devices_;
    ShadowPageTables shadow_;
    bool nested_ = false;
};

}  // namespace ringsim
