// Stepping back: a run is deterministic and pausing changes nothing it
// measures, so the state at an earlier position is a fresh session replayed
// from cycle 0 to it. Finding that position (the instruction boundary or the
// "step event" stop before the one on screen) takes a short search.
#include <fmt/format.h>

#include "sim_controller.h"

namespace ringsim::gui {

using Clock = std::chrono::steady_clock;

void SimController::stepBackInstruction() {
    if (!session_ || session_->machine().cpu.account.now == 0) return;
    startRewind(Rewind::Phase::FindInstruction);
}

void SimController::stepBackEvent() {
    if (!session_ || session_->machine().cpu.account.now == 0) return;
    startRewind(Rewind::Phase::FindEvent);
}

void SimController::startRewind(Rewind::Phase phase) {
    if (goal_ == Goal::Rewind || question_) return;
    rewind_ = Rewind{};
    rewind_.phase = phase;
    rewind_.origin = session_->machine().cpu.account.now;
    rewind_.originEvents = session_->machine().events.total();
    rewind_.window = phase == Rewind::Phase::FindInstruction ? 256 : 8;
    inFlight_.reset();
    goalReached_ = false;
    goal_ = Goal::Rewind;
    newSession();
}

double SimController::rewindProgress() const {
    if (goal_ != Goal::Rewind || !session_) return 0;
    const double now = double(session_->machine().cpu.account.now);
    const double to = double(rewind_.phase == Rewind::Phase::Land ? rewind_.target.cycle : rewind_.origin);
    return to > 0 ? std::min(1.0, now / to) : 1.0;
}

// Replays towards the step back's goal. Finding the target takes a replay to
// a little before where the user was, then small steps up to that point,
// noting each position on the way; the last position before it is the
// target, reached by a second replay.
bool SimController::workRewind(Clock::time_point deadline) {
    Session& s = *session_;
    const Cpu& cpu = s.machine().cpu;
    const EventLog& log = s.machine().events;
    Rewind& r = rewind_;
    auto runTowards = [&](uint64_t cycle) {
        while (Clock::now() < deadline && cpu.account.now < cycle && !s.finished() && !goalReached_)
            runSlice(std::min(cycle, cpu.account.now + sliceCycles_));
    };
    auto land = [&](Rewind::Position target) {
        r.phase = Rewind::Phase::Land;
        r.target = target;
        newSession();
    };
    switch (r.phase) {
    case Rewind::Phase::Land:
        if (r.target.trigger > 0) {
            stopAtEventTotal_ = r.target.trigger;
            runTowards(UINT64_MAX);
            if (!goalReached_ && !s.finished()) return true;
            stopAtEventTotal_ = UINT64_MAX;
        } else {
            runTowards(r.target.cycle);
            if (cpu.account.now < r.target.cycle && !s.finished()) return true;
        }
        applyBreakpoints();
        if (cpu.account.now != r.target.cycle)
            error_ = fmt::format("stepping back landed at cycle {}, not {}: the replay differs from the run", cpu.account.now,
                                 r.target.cycle);
        if (r.forQuestion) {
            askPendingQuestion();
            return false;
        }
        // The tour as it was at the last stop shown before this point.
        for (auto it = tourHistory_.rbegin(); it != tourHistory_.rend(); ++it)
            if (it->cycle <= cpu.account.now) {
                tour_ = it->cursor;
                shownStops_ = it->shown;
                tourHistory_.erase(it.base(), tourHistory_.end());
                break;
            }
        return false;
    case Rewind::Phase::FindInstruction: {
        const uint64_t start = r.origin > r.window ? r.origin - r.window : 0;
        if (!r.replayed) {
            runTowards(start);
            if (cpu.account.now < start) return true;
            if (cpu.account.now >= r.origin) {  // one instruction longer than the window: look further back
                r.window *= 8;
                newSession();
                return true;
            }
            r.replayed = true;
        }
        while (Clock::now() < deadline && cpu.account.now < r.origin && !s.finished()) {
            r.candidates.push_back({cpu.account.now, 0});
            s.run(cpu.account.now + 1);
        }
        if (cpu.account.now < r.origin && !s.finished()) return true;
        land(r.candidates.empty() ? Rewind::Position{} : r.candidates.back());
        return true;
    }
    case Rewind::Phase::FindBeforeEvent: {
        // From a little before the cycle the event was recorded at, one
        // instruction (or interrupt delivery) at a time until it is recorded;
        // the position before that step is the target. Cycle stops, so a
        // translated block is entered afresh there, as a stop by cycle does.
        const uint64_t start = r.origin > r.window ? r.origin - r.window : 0;
        if (!r.replayed) {
            runTowards(start);
            if (cpu.account.now < start && !s.finished()) return true;
            if (log.total() > r.originEvents && start > 0) {  // the instruction began before the window
                r.window *= 8;
                newSession();
                return true;
            }
            r.replayed = true;
        }
        while (Clock::now() < deadline && log.total() <= r.originEvents && !s.finished()) {
            r.candidates.push_back({cpu.account.now, 0});
            s.run(cpu.account.now + 1);
        }
        if (log.total() <= r.originEvents && !s.finished()) return true;
        land(r.candidates.empty() ? Rewind::Position{} : r.candidates.back());
        return true;
    }
    case Rewind::Phase::FindEvent: {
        if (!r.replayed) {
            const uint64_t first = r.originEvents > r.window ? r.originEvents - r.window : 0;
            if (first > 0) {
                stopAtEventTotal_ = first;
                runTowards(UINT64_MAX);
                if (!goalReached_ && !s.finished()) return true;
                goalReached_ = false;
                if (cpu.account.now >= r.origin) {  // all of those events came from the last instruction
                    r.window *= 4;
                    newSession();
                    return true;
                }
            }
            r.replayed = true;
            r.candidates.push_back({cpu.account.now, first});
            stopAtEventTotal_ = log.total() + 1;
        }
        // Event by event, as "step event" goes, up to where the user was.
        while (Clock::now() < deadline && cpu.account.now < r.origin && !s.finished()) {
            runTowards(UINT64_MAX);
            if (!goalReached_) break;
            goalReached_ = false;
            if (cpu.account.now < r.origin) r.candidates.push_back({cpu.account.now, stopAtEventTotal_});
            stopAtEventTotal_ = log.total() + 1;
        }
        if (cpu.account.now < r.origin && !s.finished()) return true;
        stopAtEventTotal_ = UINT64_MAX;
        land(r.candidates.back());
        return true;
    }
    }
    return false;
}

}  // namespace ringsim::gui
