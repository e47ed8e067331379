// Following a scenario's guided tour on a live Session: which stop comes next,
// whether an event reaches it, and the stop's text with its placeholders
// filled. `ringsim tour` (runTour) and the GUI both go by it, so they stop at
// the same places.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "machine/events.h"
#include "machine/guest.h"
#include "scenario/scenario.h"
#include "run/session.h"

namespace ringsim {

struct ReachedStop {
    size_t index = 0;  // into Tour::stops
    uint64_t cycle = 0;
    std::string text;  // placeholders filled
    // The event that reached it and its number in the log; for a label or
    // cycle stop, the place the run paused (kind Count) and no number.
    Event event;
    std::optional<uint64_t> number;
};

class TourCursor {
public:
    TourCursor() = default;
    TourCursor(const Tour& tour, const GuestImages& guest, Mode mode);

    bool active() const { return tour_ != nullptr; }
    bool done() const { return !tour_ || next_ >= tour_->stops.size(); }
    size_t stops() const { return tour_ ? tour_->stops.size() : 0; }
    const std::vector<ReachedStop>& reached() const { return reached_; }
    // The condition of the stop being looked for (null when done).
    const StopCondition* pending() const { return done() ? nullptr : &tour_->stops[next_].when; }

    // An event while the tour is being followed (`number`: its number in
    // the log): true if it reached the pending stop.
    bool onEvent(const Event& e, uint64_t number);
    // Where a pending label stop waits: the address to stop before (a
    // breakpoint there pauses the run at the instruction). None when the
    // pending stop is not a label, or its label does not exist (problem()).
    std::optional<uint32_t> pendingLabelAddress();
    // The run paused before the instruction at the pending label's address:
    // true if this reaches the stop (the right program, the nth time).
    bool atLabel(Session& session);
    // A cycle stop: the machine is at (or just past) its cycle.
    void reachCycle(Session& session);
    // Where the cursor stands, to come back to when the run goes back to an
    // earlier point (a prediction asked before the instruction that ran on).
    struct Mark {
        size_t next = 0;
        uint64_t seen = 0;
        size_t reached = 0;
    };
    Mark mark() const { return {next_, seen_, reached_.size()}; }
    // Back to a mark taken earlier on this cursor: the stops reached since are forgotten.
    void backTo(const Mark& m) {
        next_ = m.next;
        seen_ = m.seen;
        reached_.resize(std::min(m.reached, reached_.size()));
    }
    // An error in the pending stop (a label that does not exist), else empty.
    const std::string& problem() const { return problem_; }

private:
    void reach(const Event& e, std::optional<uint64_t> number);
    static Event pauseEvent(Session& session);

    const Tour* tour_ = nullptr;
    const GuestImages* guest_ = nullptr;
    Mode mode_;
    size_t next_ = 0;
    uint64_t seen_ = 0;  // matches of the pending stop's condition so far
    std::vector<ReachedStop> reached_;
    std::string problem_;
};

// A stop's text with {cycle} {ring_before} ... filled from the event that reached it.
std::string fillTourText(const std::string& text, const Event& e, Mode mode);

}  // namespace ringsim
