#include "stage_pacer.h"

#include <algorithm>
#include <cmath>

namespace ringsim::gui {

namespace {

constexpr double kSlowestHop = 0.45;  // seconds: a hop a lecturer can talk over
constexpr double kFastestHop = 0.15;  // still seen as a movement, not a flicker
constexpr double kWhole = -1e9;       // "started" long ago: shown whole

}  // namespace

double hopSecondsAt(double instructionsPerSecond) {
    if (instructionsPerSecond <= 0) return kFastestHop;
    return std::clamp(0.9 / std::sqrt(instructionsPerSecond), kFastestHop, kSlowestHop);
}

void StagePacer::show(uint64_t event, double now, bool whole) {
    playing_ = event;
    startedAt_ = whole ? kWhole : now;
}

StagePacer::Frame StagePacer::advance(double now, uint64_t newest, const std::function<size_t(uint64_t)>& hopsOf,
                                      double hopSeconds) {
    // The first event seen, or the log went back (a rewind, a new run): shown whole.
    if (!playing_ || *playing_ > newest) show(newest, now, true);
    for (;;) {
        const double length = double(std::max<size_t>(1, hopsOf(*playing_))) * hopSeconds;
        if (*playing_ >= newest || now - startedAt_ < length) break;
        // Played out and more have come: the next in turn, from now.
        uint64_t next = *playing_ + 1;
        if (newest - next + 1 > kMaxBacklog) {
            skipped_ += newest - next;
            next = newest;
        }
        startedAt_ = now;
        playing_ = next;
    }
    Frame f;
    f.event = *playing_;
    f.progress = float((now - startedAt_) / hopSeconds);
    f.waiting = newest - *playing_;
    f.skipped = skipped_;
    return f;
}

}  // namespace ringsim::gui
