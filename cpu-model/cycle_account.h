// Where the cycles went. The CPU's hot loop only adds to `now`; the category
// that is running takes the difference when it changes, so every cycle lands
// in exactly one category and the categories always sum to `now`.
// An observer, when one is set, sees each settled span (a timeline); unset,
// it costs one predictable branch per category change, none per instruction.
#pragma once

#include <array>
#include <cstdint>

#include "costs.h"

namespace ringsim {

// Sees the cycles [start, end) as they are settled to `category`, in cycle
// order, each cycle once. Spans are never empty.
class CycleSpanObserver {
public:
    virtual void cyclesSettled(uint64_t start, uint64_t end, CycleCategory category) = 0;

protected:
    ~CycleSpanObserver() = default;
};

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
        if (observer_ && n) observer_->cyclesSettled(now - n, now, c);
    }
    // Settles the running category's cycles so far (the observer sees them
    // now); changes no total.
    void settleRunning() { settle(); }
    void setObserver(CycleSpanObserver* observer) { observer_ = observer; }
    CycleSpanObserver* observer() const { return observer_; }
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
        if (observer_ && now != segmentStart_) observer_->cyclesSettled(segmentStart_, now, running_);
        segmentStart_ = now;
    }
    CycleCategory running_ = CycleCategory::GuestKernel;
    uint64_t segmentStart_ = 0;
    std::array<uint64_t, kCycleCategoryCount> settled_{};
    CycleSpanObserver* observer_ = nullptr;
};

}  // namespace ringsim
