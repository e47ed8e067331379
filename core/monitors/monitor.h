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

namespace ringsim {

struct MonitorCounters {
    std::array<uint64_t, kVmExitReasonCount> exits{};  // VM exits by reason
    std::map<uint32_t, uint64_t> hypercalls;            // by number
    uint64_t trapsIntoMonitor = 0;     // hardware traps the monitor took
    uint64_t emulated = 0;             // privileged/sensitive instructions emulated
    uint64_t reflected = 0;            // traps and interrupts passed on to the guest kernel
    uint64_t translatedBlocks = 0;
    uint64_t translatedInstructions = 0;
    uint64_t cacheHits = 0;
    uint64_t invalidations = 0;
    uint64_t callouts = 0;
    uint64_t shadowUpdates = 0;
    uint64_t totalExits() const {
        uint64_t n = 0;
        for (auto e : exits) n += e;
        return n;
    }
    MonitorCounters& operator+=(const MonitorCounters& o);
    uint64_t totalHypercalls() const {
        uint64_t n = 0;
        for (const auto& [number, count] : hypercalls) n += count;
        return n;
    }
};

// Host-physical memory the monitor keeps for itself, below every VM's partition.
constexpr uint32_t kMonitorReserve = 64 * 1024;

// The host-physical memory a guest owns: it sees it as its "physical"
// addresses 0..limit.
struct Partition {
    uint32_t base = 0;
    uint32_t limit = 0;  // bytes; 0 = all of memory above base
};

// Machine pages a guest occupies, and how long it took to get going.
struct Footprint {
    uint64_t pages = 0;                     // physical pages holding its data (a VM's: its own kernel's too)
    std::optional<uint64_t> startupCycles;  // machine cycles from the start to the application's first output
};

class Monitor : public CpuHooks {
public:
    explicit Monitor(Machine& machine) : machine_(machine) {}
    ~Monitor() override = default;

    virtual std::string_view mode() const = 0;
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
    virtual StopReason run(uint64_t budgetEnd, uint64_t stopAt = UINT64_MAX) {
        return machine_.cpu.run(budgetEnd, stopAt);
    }

    const MonitorCounters& counters() const { return counters_; }
    Machine& machine() { return machine_; }

    // Where a VM's monitor loads its guest (set before start). A VM's
    // default is all of memory above the monitor's reserve.
    void setPartition(Partition p) { partition_ = p; }
    const Partition& partition() const { return partition_; }

    void onEvent(Cpu&, const CpuEvent& e) override { machine_.recordCpuEvent(e); }
    // Under a monitor, reaching past the VM's partition is an isolation
    // violation (detail = the guest-physical address); the guest still gets its bus error.
    void outsideWindow(Cpu& cpu, const Trap& trap) override;
    // Under a monitor a VM has only the virtual devices it was given: a port
    // with none behind it is an isolation violation (detail = the port), and
    // the guest gets a general-protection fault.
    bool portRefused(Cpu& cpu, uint32_t port, uint32_t pc) override;

protected:
    void record(EventKind kind, int8_t ringBefore, int8_t ringAfter, uint32_t pc, uint32_t detail = 0,
                uint32_t extra = 0, uint32_t cost = 0, uint8_t vector = 0) {
        machine_.record(kind, ringBefore, ringAfter, pc, detail, extra, cost, vector);
    }

    // Boots the guest into this monitor's partition.
    void bootInPartition(const GuestImages& guest);

    Machine& machine_;
    MonitorCounters counters_;
    Partition partition_{kMonitorReserve, 0};
};

// A VM's port access with no virtual device behind it: logged as an
// isolation violation (detail = the port). True if refused; the caller faults the guest.
bool refuseUnassignedPort(Machine& machine, Cpu& cpu, uint32_t port, uint32_t pc);

struct ModeInfo {
    std::string_view name;
    std::string_view summary;
    bool virtualMachine;        // the guest kernel runs under a monitor (not native, not container)
    bool needsParavirtKernel;   // the guest kernel must be the paravirtual build
    bool needsHardwareAssist;   // the CPU must have root/non-root mode
    bool containerConsole;      // the guest's console is its container's stream: native's without the kernel's lines
    // Ring compression: the guest kernel is moved out to ring 1 and the
    // monitor takes ring 0 (its trap table, its traps). Not emulation (the
    // kernel runs in emulated ring 0) nor hardware assistance (non-root ring 0).
    bool kernelDeprivileged;
};
std::span<const ModeInfo> modeTable();
const ModeInfo* modeInfo(std::string_view name);
// The mode's entry; throws InputError naming the known modes for an unknown one.
const ModeInfo& requireMode(std::string_view name);
// Mode names as a user gives them, "all" standing for every mode; each
// checked with requireMode.
std::vector<std::string> expandModes(const std::vector<std::string>& modes);

// The monitor for a mode (throws InputError for an unknown mode).
std::unique_ptr<Monitor> makeMonitor(std::string_view mode, Machine& machine);

}  // namespace ringsim
