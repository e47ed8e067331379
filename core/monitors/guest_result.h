// What one guest of a run did — a VM under a monitor, or a container on a
// host kernel — so a run of several guests can be reported guest by guest.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cpu-model/cpu.h"
#include "cpu-model/cycle_account.h"
#include "machine/events.h"
#include "monitors/monitor_counters.h"

namespace ringsim {

struct GuestResult {
    std::string name;     // "vm0", "container1"
    uint16_t id = 0;      // Event::vm of its events
    uint32_t weight = 0;  // its CPU weight (scheduler share)
    std::string console;  // what its user sees (a VM's virtual console, a container's stream)
    bool consoleTruncated = false;
    StopReason stopReason = StopReason::Running;
    std::string stopMessage;
    uint64_t instructions = 0;
    std::array<uint64_t, kCycleCategoryCount> cycles{};  // machine cycles spent on it, by category
    EventCounts events{};
    MonitorCounters monitor;  // the monitor's work for it (VMs)
    Footprint footprint;
    uint64_t totalCycles() const {
        uint64_t n = 0;
        for (auto c : cycles) n += c;
        return n;
    }
};

// Splits the machine's cycles and retired instructions among guests: at each
// switch, what the CPU's account gained since the last switch goes to the
// guest that was running.
class CycleAttribution {
public:
    explicit CycleAttribution(size_t owners = 0) : cycles_(owners), instructions_(owners, 0) {}
    void resize(size_t owners) {
        cycles_.resize(owners);
        instructions_.resize(owners, 0);
    }
    // Gives everything since the last call to `owner` (SIZE_MAX: to nobody).
    void settle(size_t owner, const CycleAccount& account, uint64_t instructionsRetired) {
        const auto now = account.totals();
        if (owner < cycles_.size()) {
            for (size_t i = 0; i < now.size(); ++i) cycles_[owner][i] += now[i] - last_[i];
            instructions_[owner] += instructionsRetired - lastInstructions_;
        }
        last_ = now;
        lastInstructions_ = instructionsRetired;
    }
    const std::array<uint64_t, kCycleCategoryCount>& cycles(size_t owner) const { return cycles_.at(owner); }
    uint64_t instructions(size_t owner) const { return instructions_.at(owner); }

private:
    std::vector<std::array<uint64_t, kCycleCategoryCount>> cycles_;
    std::vector<uint64_t> instructions_;
    std::array<uint64_t, kCycleCategoryCount> last_{};
    uint64_t lastInstructions_ = 0;
};

}  // namespace ringsim
