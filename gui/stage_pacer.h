// The stage's pace at slow speeds: each event that comes on plays its route
// hop by hop, one event after another, so the eye can follow. Events that
// arrive faster than they can be played wait their turn in order; once too
// many wait, the pacer drops to the newest and counts what it skipped. Pure:
// it is fed the time, so tests give it times instead of waiting.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace ringsim::gui {

// Seconds per hop at a speed of the Controls (instructions per second, > 0):
// slow runs get the slow pace, fast ones a brisker one the eye still follows.
double hopSecondsAt(double instructionsPerSecond);

class StagePacer {
public:
    static constexpr uint64_t kMaxBacklog = 8;  // more waiting than this: drop to the newest

    struct Frame {
        uint64_t event = 0;    // the event on stage (numbered as in the log)
        float progress = 0;    // hops played so far (fractional: under way); large: whole
        uint64_t waiting = 0;  // events that arrived after it and wait their turn
        uint64_t skipped = 0;  // events dropped so far without being played
    };

    // What to show at `now` when events up to `newest` have arrived (they
    // are numbered one after another); `hopsOf(n)` is the hops of event n's
    // route (0 for one that stays in one ring, which still gets one hop's time).
    Frame advance(double now, uint64_t newest, const std::function<size_t(uint64_t)>& hopsOf, double hopSeconds);
    // Put `event` on stage now, playing from its start, and forget what
    // waited (a tour stop, a selection, a step). `whole`: shown at once.
    void show(uint64_t event, double now, bool whole = false);
    void reset() { *this = StagePacer{}; }
    std::optional<uint64_t> playing() const { return playing_; }

private:
    std::optional<uint64_t> playing_;
    double startedAt_ = 0;
    uint64_t skipped_ = 0;
};

}  // namespace ringsim::gui
