// A device failure planned for the middle of a run, as a scenario or the
// command line writes it: "b after 100 writes" (or "fail b after 100
// writes"): device b fails once the pool has completed 100 guest writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ringsim::storage {

struct FailurePlan {
    std::string device;
    uint64_t afterWrites = 0;
};

// Nothing when the text does not have that shape.
std::optional<FailurePlan> parseFailurePlan(const std::string& text);

}  // namespace ringsim::storage
