// One run of a guest in one mode: set up the machine, boot, run to a stop,
// and collect what happened.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cpu-model/costs.h"
#include "cpu-model/cpu.h"
#include "machine/events.h"
#include "machine/guest.h"
#include "monitors/guest_result.h"
#include "monitors/monitor.h"
#include "run/nic_network.h"
#include "run/storage_result.h"
#include "run/vm_host.h"

namespace ringsim {

constexpr uint64_t kDefaultMaxCycles = 2'000'000'000;

struct RunOptions {
    Mode mode = Mode::Native;
    std::string preset = std::string(kDefaultPreset);
    std::vector<std::string> costOverrides;  // "name=value"
    uint64_t maxCycles = kDefaultMaxCycles;
    uint32_t memoryBytes = 4u << 20;
    bool strict = false;
    bool hardwareAssist = true;   // the CPU has root/non-root mode
    std::string paging = "auto";  // hw-assist memory virtualisation: auto (nested if the CPU has it), nested, shadow
    size_t eventCapacity = 1 << 16;
    // How many instances of the guest's programs run side by side: VMs under
    // one monitor in a VM mode (each with its own kernel and `memoryBytes`),
    // containers on one host kernel in container mode, processes of one
    // kernel natively.
    uint32_t instances = 1;
    std::vector<uint32_t> weights;  // CPU weight per instance (VMs: 1-65535, containers: 1-10000); empty = defaults
    uint64_t sliceCycles = kDefaultSliceCycles;  // the VM scheduler's time slice
    // Which of the guest's programs each instance runs (indices, in order);
    // empty: every instance runs all of them. Gives different tenants
    // different work (a secret keeper beside a snoop).
    std::vector<std::vector<uint32_t>> programsPerInstance;
    // Spans the timeline of who ran when keeps (core/timeline.h); 0: no
    // timeline, so batch runs pay nothing for it.
    size_t timelineCapacity = 0;
    // hw-assist only: the VMCS-like exit controls of every VM, instead of the
    // monitor's defaults (a lesson in which exits a monitor cannot do without).
    std::optional<VmControls> exitControls;
    // A NIC of this model ("e1000") on a switch with the outside peer
    // (run/nic_network.h); empty: no network, as every run had before.
    std::string nic;
    std::string pcap;  // with a NIC: every frame the switch forwards goes to this pcapng file
    // A disk front end for the guest's file store (--disk ide|virtio); none:
    // the machine is as it always was.
    DiskFrontEndKind diskFrontEnd = DiskFrontEndKind::None;
    // The storage behind it (a pool's disk, a test's); empty: an in-memory
    // disk of its own. One guest only: two VMs never write one disk.
    std::shared_ptr<BlockBackend> diskBackend;
};

struct RunResult {
    Mode mode = Mode::Native;
    std::string preset;
    Costs costs;                 // after overrides
    std::string console;         // what the guest's user sees (under containers: its container's stream)
    bool consoleTruncated = false;
    std::string hostConsole;     // the host kernel's own stream under containers; empty otherwise
    StopReason stopReason = StopReason::Running;
    std::string stopMessage;
    uint64_t instructions = 0;
    uint64_t totalCycles = 0;
    std::array<uint64_t, kCycleCategoryCount> cycles{};
    std::array<uint64_t, kEventKindCount> events{};
    uint64_t tlbMisses = 0;
    uint64_t tlbFlushes = 0;
    uint64_t pageWalkRefs = 0;
    uint64_t portAccesses = 0;  // accesses that reached the machine's real devices (not a monitor's emulated ones)
    std::optional<StorageResult> storage;  // the disk front end's work, when the run had one (--disk)
    bool hardwareAssist = true;
    bool nestedPaging = false;  // what the run actually used
    uint32_t memoryBytes = 0;
    bool strict = false;
    ArchState finalState;
    MonitorCounters monitor;     // summed over all VMs
    uint32_t instances = 1;
    // Each VM or container (one entry for a single guest natively): its console,
    // cycles, events, monitor counters and footprint.
    std::vector<GuestResult> guests;
    std::array<uint64_t, kCycleCategoryCount> hostCycles{};  // the monitor's own: switching between VMs
    uint64_t guestSwitches = 0;  // VM switches by the monitor, or container switches by the host kernel
    Footprint footprint;         // the whole machine: pages in use, cycles until the last instance got going
    std::optional<NetworkResult> network;  // a run with a NIC: what it sent, received and cost
    bool succeeded() const { return stopReason == StopReason::Halted; }
};


// The preset with overrides applied; throws InputError on an unknown preset or bad override.
Costs resolveCosts(const std::string& preset, const std::vector<std::string>& overrides);

// options.instances, checked against the weights given.
uint32_t instanceCount(const RunOptions& options);

// The machine a run uses: memory (plus the monitor's own in VM modes), CPU
// features, and costs after overrides. Throws InputError on bad options.
struct MachineConfig;
MachineConfig machineConfigFor(const RunOptions& options);

using EventListener = std::function<bool(const Event&)>;

// Runs `options.instances` instances of the guest. `listener` sees every
// event as it happens and may stop the run by returning false.
RunResult runGuest(const GuestImages& guest, const RunOptions& options, const EventListener& listener = {});

// Runs different guests as VMs under one monitor (options.mode must be a VM
// mode; options.instances and weights are taken from `vms`).
RunResult runVms(std::vector<VmSpec> vms, const RunOptions& options, const EventListener& listener = {});

}  // namespace ringsim
