// Several virtual machines on one physical machine, under one monitor.
//
// Resource pooling as a hypervisor does it: physical memory is cut into one
// partition per VM (each VM sees its own "physical" addresses from 0), each
// VM has its own virtual devices and its own monitor state, and the one
// physical CPU is shared out in time slices by a proportional-share
// scheduler: the runnable VM that has had the least CPU for its weight runs
// next (the idea of Xen's credit scheduler). Moving the CPU from one VM to
// another saves the CPU context of one (a VMCS, in VT-x's terms) and loads
// the other's: a world switch, with its cost.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "monitors/guest_result.h"
#include "machine/machine.h"
#include "monitors/monitor.h"

namespace ringsim {

constexpr uint32_t kDefaultVmWeight = 256;      // Xen's default credit-scheduler weight
constexpr uint32_t kMaxVmWeight = 65535;        // and its largest
constexpr uint64_t kDefaultSliceCycles = 100'000;  // half the guest kernel's timer period

struct VmSpec {
    GuestImages guest;
    uint32_t weight = kDefaultVmWeight;
};

class VmHost {
public:
    // Every VM runs in `mode` (a VM mode) in a partition of `partitionBytes`
    // from kMonitorReserve on. The machine must have room for all of them.
    VmHost(Machine& machine, Mode mode, uint32_t partitionBytes, uint64_t sliceCycles = kDefaultSliceCycles);
    VmHost(const VmHost&) = delete;
    VmHost& operator=(const VmHost&) = delete;

    // Boots every VM. Throws InputError for a bad weight, too little memory,
    // or a guest the mode cannot run (naming the VM).
    void start(std::vector<VmSpec> vms);

    // Runs the VMs until every one has stopped, the budget (absolute cycle)
    // runs out, `stopAt` is reached, or requestStop() was called. A VM that
    // halts or faults stops alone; the others go on. Returns the machine's
    // stop reason: halted when every VM halted, guest-fault when every VM
    // stopped but one at least by a fault.
    StopReason run(uint64_t budgetEnd, uint64_t stopAt = UINT64_MAX);
    void requestStop();

    size_t size() const { return vms_.size(); }
    Monitor& monitor(size_t vm) { return *vms_.at(vm).monitor; }
    const Monitor& monitor(size_t vm) const { return *vms_.at(vm).monitor; }
    // The VM the CPU is running now.
    size_t current() const { return current_; }
    uint64_t switches() const { return switches_; }
    // The ring a VM that is not running was in when its context was saved
    // (-1 in root mode); the running VM's ring is the CPU's.
    int savedRing(size_t vm) const {
        const ArchState& s = vms_.at(vm).context.state;
        return s.rootMode ? -1 : s.cpl;
    }
    // The VM has halted or faulted and will not run again.
    bool stopped(size_t vm) const { return vms_.at(vm).done; }

    // What each VM did, and the monitor's own part (world switches between
    // VMs). Cycles of the VMs and the host add up to the machine's total.
    std::vector<GuestResult> results();
    std::array<uint64_t, kCycleCategoryCount> hostCycles();

private:
    struct Vm {
        std::unique_ptr<Monitor> monitor;
        uint32_t weight = kDefaultVmWeight;
        Partition partition;
        CpuContext context;
        bool done = false;  // halted or faulted: it never runs again
    };
    size_t host() const { return vms_.size(); }  // the attribution slot of the monitor itself
    // The runnable VM with the least CPU for its weight; npos if none.
    size_t pickNext() const;
    void switchTo(size_t next);
    uint64_t consumed(size_t vm) const;
    size_t runnable() const;

    Machine& machine_;
    Mode mode_;
    uint32_t partitionBytes_;
    uint64_t slice_;
    std::vector<Vm> vms_;
    size_t current_ = 0;
    CycleAttribution attribution_;
    uint64_t switches_ = 0;
    uint64_t sliceEnd_ = 0;  // when the running VM's slice ends (kept across run() calls: pausing changes nothing)
    bool stopRequested_ = false;
    StopReason lastStop_ = StopReason::Running;  // why the last run() returned
    std::string lastStopMessage_;
};

// What the simulator will allocate for one machine's physical memory, in every
// mode: one guest natively, or all the VMs and their monitor together.
inline constexpr uint64_t kMaxMachineBytes = 1ull << 30;

// A run's VM count and partition size against the machine's memory: throws
// InputError naming the limit when they do not fit.
uint64_t machineBytesForVms(size_t vms, uint32_t partitionBytes);

}  // namespace ringsim
