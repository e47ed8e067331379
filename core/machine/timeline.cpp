#include "machine/timeline.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

namespace ringsim {

// Where columns() puts what it reads: the view's geometry and each shown
// guest's lane.
struct Timeline::View {
    double from = 0;
    double cyclesPerColumn = 1;
    size_t columns = 0;
    std::vector<std::pair<uint16_t, size_t>> lanes;  // (guest, lane), by guest
    std::vector<ColumnCycles>* out = nullptr;

    // The lane of `guest`, or SIZE_MAX when the view does not show it.
    size_t laneOf(uint16_t guest) const {
        auto it = std::lower_bound(lanes.begin(), lanes.end(), std::pair<uint16_t, size_t>(guest, 0));
        return it != lanes.end() && it->first == guest ? it->second : SIZE_MAX;
    }
    // Adds `density` cycles of category `c` per cycle of [start, end), clipped to [lo, hi).
    void add(size_t lane, double start, double end, CycleCategory c, double density, double lo, double hi) const {
        start = std::max(start, lo);
        end = std::min(end, hi);
        if (start >= end) return;
        const auto first = size_t(std::max(0.0, std::floor((start - from) / cyclesPerColumn)));
        const auto last = size_t(std::min(double(columns), std::ceil((end - from) / cyclesPerColumn)));
        ColumnCycles* row = out->data() + lane * columns;
        for (size_t col = first; col < last; ++col) {
            const double colStart = from + double(col) * cyclesPerColumn;
            const double overlap = std::min(end, colStart + cyclesPerColumn) - std::max(start, colStart);
            if (overlap > 0) row[col][size_t(c)] += overlap * density;
        }
    }
};

namespace {
// A power of two: the stores then find an entry with a mask, once per settled span.
size_t storeCapacity(size_t asked) { return std::bit_ceil(std::max<size_t>(asked, 1)); }
}  // namespace

Timeline::Timeline(const uint16_t& currentGuest, size_t capacity, uint64_t startCycle)
    : currentGuest_(currentGuest),
      startCycle_(startCycle),
      endCycle_(startCycle),
      spans_(storeCapacity(capacity)),
      levels_{BoundedRing<TimelineCell>(storeCapacity(capacity)), BoundedRing<TimelineCell>(storeCapacity(capacity)),
              BoundedRing<TimelineCell>(storeCapacity(capacity))},
      spansFrom_(startCycle) {
    levelsFrom_.fill(startCycle);
}

void Timeline::cyclesSettled(uint64_t start, uint64_t end, CycleCategory category) {
    const uint16_t guest = currentGuest_;
    if (lastLane_ >= guests_.size() || guests_[lastLane_] != guest) {
        auto at = std::lower_bound(guests_.begin(), guests_.end(), guest);
        lastLane_ = size_t(at - guests_.begin());
        if (at == guests_.end() || *at != guest) {
            guests_.insert(at, guest);
            totals_.insert(totals_.begin() + std::ptrdiff_t(lastLane_), std::array<uint64_t, kCycleCategoryCount>{});
        }
    }
    totals_[lastLane_][size_t(category)] += end - start;
    endCycle_ = end;

    bool merged = false;
    if (!spans_.empty()) {
        TimelineSpan& last = spans_.at(spans_.total() - 1);
        if (last.end == start && last.guest == guest && last.category == category) {
            last.end = end;
            merged = true;
        }
    }
    if (!merged) {
        if (spans_.full()) spansFrom_ = spans_.at(spans_.firstRetained()).end;
        spans_.push(TimelineSpan{start, end, guest, category});
    }
    for (size_t level = 0; level < kLevels; ++level) addToSummary(level, start, end, guest, category);
}

void Timeline::addToSummary(size_t level, uint64_t start, uint64_t end, uint16_t guest, CycleCategory category) {
    const unsigned shift = kLevelShifts[level];
    BoundedRing<TimelineCell>& cells = levels_[level];
    for (uint64_t bucket = start >> shift; bucket <= (end - 1) >> shift; ++bucket) {
        const uint64_t lo = std::max(start, bucket << shift), hi = std::min(end, (bucket + 1) << shift);
        // The bucket's cells are the newest ones (spans come in cycle order): one per guest.
        TimelineCell* cell = nullptr;
        for (uint64_t n = cells.total(); n-- > cells.firstRetained();) {
            TimelineCell& c = cells.at(n);
            if (c.bucket != bucket) break;
            if (c.guest == guest) {
                cell = &c;
                break;
            }
        }
        if (!cell) {
            // What a full summary forgets: it holds every cycle only after the forgotten bucket.
            if (cells.full()) levelsFrom_[level] = (cells.at(cells.firstRetained()).bucket + 1) << shift;
            cells.push(TimelineCell{bucket, guest, {}});
            cell = &cells.at(cells.total() - 1);
        }
        cell->cycles[size_t(category)] += uint32_t(hi - lo);
    }
}

uint64_t Timeline::spanAt(uint64_t cycle) const {
    return spans_.partitionPoint([cycle](const TimelineSpan& s) { return s.end <= cycle; });
}

uint64_t Timeline::coveredFrom(size_t source) const {
    return std::max(startCycle_, source == 0 ? spansFrom_ : levelsFrom_[source - 1]);
}

uint64_t Timeline::retainedFrom() const {
    uint64_t from = coveredFrom(0);
    for (size_t s = 1; s <= kLevels; ++s) from = std::min(from, coveredFrom(s));
    return from;
}

std::array<uint64_t, kCycleCategoryCount> Timeline::totals(uint16_t guest) const {
    auto at = std::lower_bound(guests_.begin(), guests_.end(), guest);
    if (at == guests_.end() || *at != guest) return {};
    return totals_[size_t(at - guests_.begin())];
}

std::array<uint64_t, kCycleCategoryCount> Timeline::totals() const {
    std::array<uint64_t, kCycleCategoryCount> sum{};
    for (const auto& t : totals_)
        for (size_t c = 0; c < kCycleCategoryCount; ++c) sum[c] += t[c];
    return sum;
}

void Timeline::columns(double from, double cyclesPerColumn, size_t columns, std::span<const uint16_t> guests,
                       std::vector<ColumnCycles>& out) const {
    out.assign(guests.size() * columns, ColumnCycles{});
    if (columns == 0 || guests.empty() || !(cyclesPerColumn > 0)) return;
    View view;
    view.from = from;
    view.cyclesPerColumn = cyclesPerColumn;
    view.columns = columns;
    view.out = &out;
    for (size_t lane = 0; lane < guests.size(); ++lane) view.lanes.emplace_back(guests[lane], lane);
    std::sort(view.lanes.begin(), view.lanes.end());
    // The coarsest source still finer than a column: at most 16 of its items
    // per column (the levels are 16x apart), however many spans lie below.
    size_t source = 0;
    for (size_t level = 0; level < kLevels; ++level)
        if (double(uint64_t(1) << kLevelShifts[level]) <= cyclesPerColumn) source = level + 1;
    const double lo = std::max(from, double(startCycle_));
    const double hi = std::min(from + cyclesPerColumn * double(columns), double(endCycle_));
    if (lo < hi) fill(source, lo, hi, view);
}

void Timeline::fill(size_t source, double lo, double hi, const View& view) const {
    const double covered = double(coveredFrom(source));
    if (lo < covered) {
        if (source < kLevels) fill(source + 1, lo, std::min(hi, covered), view);
        lo = covered;
    }
    if (lo >= hi) return;
    if (source == 0) {
        for (uint64_t n = spanAt(uint64_t(lo)); n < spans_.total(); ++n) {
            const TimelineSpan& s = spans_.at(n);
            if (double(s.start) >= hi) break;
            if (const size_t lane = view.laneOf(s.guest); lane != SIZE_MAX)
                view.add(lane, double(s.start), double(s.end), s.category, 1.0, lo, hi);
        }
        return;
    }
    const unsigned shift = kLevelShifts[source - 1];
    const BoundedRing<TimelineCell>& cells = levels_[source - 1];
    // The first cell whose bucket ends after lo.
    const auto loBucket = uint64_t(lo) >> shift;
    const uint64_t first = cells.partitionPoint([loBucket](const TimelineCell& c) { return c.bucket < loBucket; });
    for (uint64_t n = first; n < cells.total(); ++n) {
        const TimelineCell& cell = cells.at(n);
        const auto bucketStart = cell.bucket << shift;
        if (double(bucketStart) >= hi) break;
        const size_t lane = view.laneOf(cell.guest);
        if (lane == SIZE_MAX) continue;
        // Where in its bucket a category's cycles fell is not kept: spread
        // them evenly over the part of the bucket the run has been through.
        const double start = double(std::max(bucketStart, startCycle_));
        const double end = double(std::min(bucketStart + (uint64_t(1) << shift), endCycle_));
        for (size_t c = 0; c < kCycleCategoryCount; ++c)
            if (cell.cycles[c]) view.add(lane, start, end, CycleCategory(c), cell.cycles[c] / (end - start), lo, hi);
    }
}

}  // namespace ringsim
