// One run of a guest in one mode: set up the machine, boot, run to a stop,
// and collect what happened.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cpu-model/costs.h"
#include "cpu-model/cpu.h"
#include "events.h"
#include "guest.h"
#include "monitor.h"

namespace ringsim {

constexpr uint64_t kDefaultMaxCycles = 2'000'000'000;

struct RunOptions {
    std::string mode = "native";
    std::string preset = std::string(kDefaultPreset);
    std::vector<std::string> costOverrides;  // "name=value"
    uint64_t maxCycles = kDefaultMaxCycles;
    uint32_t memoryBytes = 4u << 20;
    bool strict = false;
    bool hardwareAssist = true;   // the CPU has root/non-root mode
    std::string paging = "auto";  // hw-assist memory virtualisation: auto (nested if the CPU has it), nested, shadow
    size_t eventCapacity = 1 << 16;
};

struct RunResult {
    std::string mode;
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
    uint64_t portAccesses = 0;
    bool hardwareAssist = true;
    bool nestedPaging = false;  // what the run actually used
    uint32_t memoryBytes = 0;
    bool strict = false;
    ArchState finalState;
    MonitorCounters monitor;
    bool succeeded() const { return stopReason == StopReason::Halted; }
};


// The preset with overrides applied; throws InputError on an unknown preset or bad override.
Costs resolveCosts(const std::string& preset, const std::vector<std::string>& overrides);

// The machine a run uses: memory (plus the monitor's own in VM modes), CPU
// features, and costs after overrides. Throws InputError on bad options.
struct MachineConfig;
MachineConfig machineConfigFor(const RunOptions& options);

// Runs the guest. `listener` sees every event as it happens and may stop the
// run by returning false.
RunResult runGuest(const GuestImages& guest, const RunOptions& options,
                   const std::function<bool(const Event&)>& listener = {});

}  // namespace ringsim
