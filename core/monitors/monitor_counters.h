// What a monitor counts of its own work, and what a guest occupies: the
// figures a run's result and each guest's result report.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>

#include "cpu-model/vmx.h"

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
    uint64_t hiddenFaults = 0;         // shadow entries filled on first use (counted in shadowUpdates too)
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

// Machine pages a guest occupies, and how long it took to get going.
struct Footprint {
    uint64_t pages = 0;                     // physical pages holding its data (a VM's: its own kernel's too)
    // Cycles from the instance's start to the application's first output: from
    // cycle 0 for a VM (it boots a kernel of its own); from the running kernel
    // setting out to start the programs (its "kernel: starting" line) natively
    // and for a container (native.h, container.h).
    std::optional<uint64_t> startupCycles;
};

}  // namespace ringsim
