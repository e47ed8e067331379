// One interface for every approach to running a guest: natively (no monitor)
// or under a monitor. A monitor is what the CPU's hooks reach: it sees the
// traps, callouts, hypercalls and VM exits its approach produces, and keeps
// the counters that show what the approach costs.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu-model/vmx.h"
#include "machine/machine.h"
#include "monitors/guest_result.h"
#include "monitors/modes.h"
#include "monitors/monitor_counters.h"
#include "monitors/virtual_cpu_state.h"

namespace ringsim {

class HypercallLog;
class TranslationCache;

// Host-physical memory the monitor keeps for itself, below every VM's partition.
constexpr uint32_t kMonitorReserve = 64 * 1024;

// The host-physical memory a guest owns: it sees it as its "physical"
// addresses 0..limit.
struct Partition {
    uint32_t base = 0;
    uint32_t limit = 0;  // bytes; 0 = all of memory above base
};

class Monitor : public CpuHooks {
public:
    explicit Monitor(Machine& machine) : machine_(machine) {}
    ~Monitor() override = default;

    virtual Mode mode() const = 0;
    // Loads the guest and prepares the CPU to run it. Throws InputError when
    // this guest cannot run in this mode (the message says why).
    virtual void start(const GuestImages& guest) = 0;
    // What the guest's user sees on the console: all of the console its
    // machine has (the physical one natively, the VM's virtual one), or only
    // its own stream where it shares a host kernel's console (containers).
    virtual std::string_view consoleText() const = 0;
    virtual bool consoleTruncated() const = 0;  // output was dropped (Console::kLimit)
    // The host kernel's own stream of that console, where the guest runs on
    // a host kernel beside it (containers); empty otherwise.
    virtual std::string_view hostConsoleText() const { return {}; }
    // The devices the guest talks to: the physical ones natively, the VM's virtual ones under a monitor.
    virtual const DeviceSet& guestDevices() const = 0;
    // The pages the guest fills in its partition, and when its application
    // first wrote (the first console line that is not the kernel's).
    virtual Footprint footprint() const;

    // What callers ask of some modes only; each answers here with "none".
    // Where each program runs (its container and that container's CPU
    // weight), set before start(): only a host kernel with containers places
    // programs; other monitors run them as their kernel starts them.
    virtual void setContainers(std::vector<ProgramPlacement> /*placements*/) {}
    // The guests run side by side on this monitor's one kernel (containers),
    // one result each (none if no program runs in a container); nothing when
    // the monitor runs a single guest.
    virtual std::optional<std::vector<GuestResult>> guestResults() const { return std::nullopt; }
    virtual uint64_t guestSwitches() const { return 0; }
    // Pages the host kernel keeps for itself, apart from its guests'.
    virtual uint64_t hostKernelPages() const { return 0; }
    // The translation cache of a mode that translates; null otherwise.
    virtual const TranslationCache* translationCache() const { return nullptr; }
    // The record of hypercalls of the paravirtual monitor; null otherwise.
    virtual const HypercallLog* hypercallLog() const { return nullptr; }
    // The privileged state the guest kernel believes its CPU has, while its
    // VM is the one on the CPU; none where no monitor keeps a guest's CPU
    // (natively, containers, emulation: there the CPU shown is the guest's own).
    virtual std::optional<VirtualCpuState> virtualCpu() const { return std::nullopt; }
    virtual StopReason run(uint64_t budgetEnd, uint64_t stopAt = UINT64_MAX) {
        return machine_.cpu.run(budgetEnd, stopAt);
    }

    const MonitorCounters& counters() const { return counters_; }
    Machine& machine() { return machine_; }

    // Where a VM's monitor loads its guest (set before start). A VM's
    // default is all of memory above the monitor's reserve.
    void setPartition(Partition p) { partition_ = p; }
    const Partition& partition() const { return partition_; }

    void onEvent(Cpu& cpu, const CpuEvent& e) override;
    // Under a monitor, reaching past the VM's partition is an isolation
    // violation (detail = the guest-physical address); the guest still gets its bus error.
    void outsideWindow(Cpu& cpu, const Trap& trap) override;
    // Under a monitor a VM has only the virtual devices it was given: a port
    // with none behind it is an isolation violation (detail = the port), and
    // the guest gets a general-protection fault.
    bool portRefused(Cpu& cpu, uint32_t port, uint32_t pc) override;

protected:
    void record(EventKind kind, int8_t ringBefore, int8_t ringAfter, uint32_t pc, const Receipt& receipt,
                uint32_t detail = 0, uint32_t extra = 0, uint32_t cost = 0, uint8_t vector = 0) {
        machine_.record(kind, ringBefore, ringAfter, pc, receipt, detail, extra, cost, vector);
    }

    // Boots the guest into this monitor's partition.
    void bootInPartition(const GuestImages& guest);

    Machine& machine_;
    MonitorCounters counters_;
    Partition partition_{kMonitorReserve, 0};
};

// A VM's port access with no virtual device behind it: logged as an
// isolation violation (detail = the port). True if refused; the caller faults the guest.
bool refuseUnassignedPort(Machine& machine, Cpu& cpu, uint32_t port, uint32_t pc, int monitorRing);
// The receipt of a reach outside what the guest owns, refused by the monitor.
Receipt isolationReceipt(int guestRing, int monitorRing);

}  // namespace ringsim
