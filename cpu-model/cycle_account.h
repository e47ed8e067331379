// Where the cycles went. The CPU's hot loop only adds to `now`; the category
// that is running takes the difference when it changes, so every cycle lands
// in exactly one category and the categories always sum to `now`.
#pragma once

#include <array>
#include <cstdint>

#include "costs.h"

namespace ringsim {

class CycleAccount {
public:
    uint64_t now = 0;  // total cycles since reset

    CycleCategory running() const { return running_; }
    void setRunning(CycleCategory c) {
        settle();
        running_ = c;
    }
    // Adds n cycles charged to c (not to the running category).
    void charge(CycleCategory c, uint64_t n) {
        settle();
        now += n;
        settled_[static_cast<size_t>(c)] += n;
        segmentStart_ = now;
    }
    uint64_t total(CycleCategory c) const {
        uint64_t v = settled_[static_cast<size_t>(c)];
        if (c == running_) v += now - segmentStart_;
        return v;
    }
    std::array<uint64_t, kCycleCategoryCount> totals() const {
        std::array<uint64_t, kCycleCategoryCount> t{};
        for (size_t i = 0; i < kCycleCategoryCount; ++i) t[i] = total(static_cast<CycleCategory>(i));
        return t;
    }

private:
    void settle() {
        settled_[static_cast<size_t>(running_)] += now - segmentStart_;
        segmentStart_ = now;
    }
    CycleCategory running_ = CycleCategory::GuestKernel;
    uint64_t segmentStart_ = 0;
    std::array<uint64_t, kCycleCategoryCount> settled_{};
};

}  // namespace ringsim
