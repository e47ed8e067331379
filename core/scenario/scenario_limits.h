// Limits of the scenario format, in one place: docs/scenarios.md lists them.
// Internal to core/scenario.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ringsim::scenario_detail {

inline constexpr uint32_t kMaxVms = 256;
inline constexpr uint32_t kMaxContainers = 31;
inline constexpr uint32_t kMaxInstances = 256;
inline constexpr uint64_t kMaxCycleBudget = uint64_t(1) << 50;  // as the CLI's --max-cycles
inline constexpr uint64_t kMaxSlice = uint64_t(1) << 40;
inline constexpr uint64_t kMaxCostCycles = 100'000'000;  // one cost override (machine.costs, a sweep's costs)
inline constexpr size_t kMaxSweepPoints = 1'000'000;
inline constexpr uint64_t kMaxNth = 1'000'000'000;
inline constexpr size_t kMinStops = 1, kMaxStops = 20;
inline constexpr size_t kMaxSayLength = 600;  // about four sentences
inline constexpr size_t kMaxRegexLength = 500;

// The placeholders a tour stop's say: may hold.
inline const std::vector<std::string> kPlaceholders = {"cycle",  "ring_before", "ring_after", "kind", "pc",  "detail",
                                                       "reason", "cost",        "vector",     "vm",   "mode"};

}  // namespace ringsim::scenario_detail
