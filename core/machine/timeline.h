// Who ran when: a run's cycles as spans of one guest and one cycle category,
// in cycle order, as the CPU's CycleAccount settles them. A view at any zoom
// costs about one step per pixel column, never one per span: besides the
// spans it keeps summaries (cycles per category per guest in buckets of
// 2^12, 2^16 and 2^20 cycles) and reads the coarsest that is still finer
// than a column — the level-of-detail idea of profilers' timelines.
// Bounded like the EventLog: each store grows as used up to a capacity, then
// forgets its oldest entries; the totals are exact for the whole run.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "machine/bounded_ring.h"
#include "cpu-model/cycle_account.h"
#include "machine/events.h"

namespace ringsim {

struct TimelineSpan {
    uint64_t start = 0;  // cycles [start, end)
    uint64_t end = 0;
    uint16_t guest = 0;  // Machine::currentGuest while they ran: a VM, a container, or kHostGuest (the monitor's own)
    CycleCategory category = CycleCategory::GuestUser;
    bool operator==(const TimelineSpan&) const = default;
};

// One guest's cycles by category in one bucket of a summary.
struct TimelineCell {
    uint64_t bucket = 0;  // cycles [bucket << shift, (bucket + 1) << shift)
    uint16_t guest = 0;
    std::array<uint32_t, kCycleCategoryCount> cycles{};  // a bucket holds at most 2^20 cycles
    bool operator==(const TimelineCell&) const = default;
};

// Cycles by category in one column of a view: fractional where a summary
// bucket is shared by two columns (its cycles are split by overlap).
using ColumnCycles = std::array<double, kCycleCategoryCount>;

class Timeline final : public CycleSpanObserver {
public:
    static constexpr std::array<unsigned, 3> kLevelShifts{12, 16, 20};
    static constexpr size_t kLevels = kLevelShifts.size();

    // `currentGuest` is read as each span is settled: the machine's
    // (Machine::switchGuest settles the account before it changes). Keeps
    // the newest `capacity` spans (rounded up to a power of two) and as
    // many cells in each summary.
    Timeline(const uint16_t& currentGuest, size_t capacity, uint64_t startCycle = 0);

    void cyclesSettled(uint64_t start, uint64_t end, CycleCategory category) override;

    // The spans, numbered in cycle order; adjacent cycles of one guest and
    // category are one span.
    const BoundedRing<TimelineSpan>& spans() const { return spans_; }
    // The number of the first retained span that ends after `cycle` (spans().total() if none does).
    uint64_t spanAt(uint64_t cycle) const;
    // The summary at kLevelShifts[level]: cells in bucket order.
    const BoundedRing<TimelineCell>& summary(size_t level) const { return levels_.at(level); }

    // Cycles [startCycle(), endCycle()) have been seen; the views hold those
    // from retainedFrom() on (older ones only as coarser summaries, or not at all).
    uint64_t startCycle() const { return startCycle_; }
    uint64_t endCycle() const { return endCycle_; }
    uint64_t retainedFrom() const;
    // Every guest seen, in ascending order (kHostGuest last).
    const std::vector<uint16_t>& guests() const { return guests_; }
    // Exact for the whole run, whatever was forgotten.
    std::array<uint64_t, kCycleCategoryCount> totals(uint16_t guest) const;
    std::array<uint64_t, kCycleCategoryCount> totals() const;

    // What a view draws: `out[lane * columns + column]` gets the cycles lane
    // `guests[lane]` spent in each category in columns of `cyclesPerColumn`
    // cycles from `from`. Reads the coarsest summary whose buckets are no
    // wider than a column (the spans when columns are narrower than the
    // finest bucket), and coarser summaries for what that one has forgotten.
    void columns(double from, double cyclesPerColumn, size_t columns, std::span<const uint16_t> guests,
                 std::vector<ColumnCycles>& out) const;

private:
    struct View;
    void addToSummary(size_t level, uint64_t start, uint64_t end, uint16_t guest, CycleCategory category);
    // The first cycle from which source `s` (0: the spans, 1..: the summaries) holds every cycle.
    uint64_t coveredFrom(size_t source) const;
    // Adds cycles [lo, hi) of the view from source `s`, and what it has forgotten from coarser ones.
    void fill(size_t source, double lo, double hi, const View& view) const;

    const uint16_t& currentGuest_;
    uint64_t startCycle_;
    uint64_t endCycle_;
    BoundedRing<TimelineSpan> spans_;
    std::array<BoundedRing<TimelineCell>, kLevels> levels_;
    uint64_t spansFrom_;                         // the spans hold every cycle from here on
    std::array<uint64_t, kLevels> levelsFrom_{};  // and each summary from here on
    std::vector<uint16_t> guests_;
    size_t lastLane_ = SIZE_MAX;  // guests_'s position of the guest of the last span (guests change rarely)
    std::vector<std::array<uint64_t, kCycleCategoryCount>> totals_;  // by position in guests_
};

}  // namespace ringsim
