// The newest `capacity` entries of a sequence numbered from 0, stored as they
// come (no memory until used), the oldest overwritten when full: the store of
// the event log, the timeline and the hypercall record. With a power-of-two
// capacity (the usual case) entry n is found with a mask, not a division:
// the timeline stores a span every time the CPU's cycle category changes.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ringsim {

template <typename T>
class BoundedRing {
public:
    explicit BoundedRing(size_t capacity)
        : capacity_(std::max<size_t>(capacity, 1)), mask_(std::has_single_bit(capacity_) ? capacity_ - 1 : 0) {}
    void push(const T& v) {
        if (items_.size() < capacity_)
            items_.push_back(v);
        else
            items_[index(total_)] = v;
        ++total_;
    }
    uint64_t total() const { return total_; }
    uint64_t firstRetained() const { return total_ - items_.size(); }
    size_t retained() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    bool full() const { return items_.size() == capacity_; }
    bool dropped() const { return firstRetained() > 0; }
    size_t capacity() const { return capacity_; }
    // Entry `number`, which must be retained.
    const T& at(uint64_t number) const { return items_[index(number)]; }
    T& at(uint64_t number) { return items_[index(number)]; }
    // The first retained number whose entry is not `before` (total() if every
    // one is), for a `before` that holds for a prefix of the entries: a
    // binary search in number order.
    template <typename Before>
    uint64_t partitionPoint(Before before) const {
        uint64_t lo = firstRetained(), hi = total_;
        while (lo < hi) {
            const uint64_t mid = lo + (hi - lo) / 2;
            if (before(at(mid)))
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

private:
    size_t index(uint64_t number) const { return mask_ ? size_t(number & mask_) : size_t(number % capacity_); }
    size_t capacity_;
    size_t mask_;  // capacity - 1 for a power of two, else 0 (and a division)
    std::vector<T> items_;
    uint64_t total_ = 0;
};

}  // namespace ringsim
