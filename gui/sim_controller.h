// The simulation the window shows: the loaded scenario, its assembled guest,
// and a Session in the chosen mode, driven in small slices so that a frame
// never waits long for the simulator. Panels read from it and call its
// commands; it holds no copy of the machine's state.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/scenario_images.h"
#include "lesson/predict.h"
#include "run/session.h"
#include "machine/source_edit.h"
#include "lesson/tour_cursor.h"

namespace ringsim::gui {

// One bundled scenario, for the picker.
struct ScenarioEntry {
    std::string path;
    std::string title;  // the file name when the file does not load
};

class SimController {
public:
    SimController();
    ~SimController();

    // Loads a scenario and starts a session in `mode` (empty: its default
    // mode). Never throws: a problem is kept in error() for the window.
    void open(const std::string& path, std::optional<Mode> mode = std::nullopt);
    void chooseMode(Mode mode);
    // The next (step 1) or previous (-1) of the scenario's modes, and of the bundled scenarios, wrapping round.
    void cycleMode(int step);
    void cycleScenario(int step);
    // Back to cycle 0 in the same scenario and mode.
    void reset();

    // The commands of the Controls panel.
    // A run pauses at the next tour stop; one already reached (two can fall
    // in one instruction) is shown without running.
    void run();
    // Whether a run pauses at the tour stops it reaches (on, but for the frame-time bench).
    void setPauseAtTourStops(bool on) { pauseAtStops_ = on; }
    void pause() { goal_ = Goal::None; }
    void stepInstruction();
    // One cycle of the clock. Instructions retire whole in this CPU model, so
    // the first cycle of a longer instruction executes it and the next cycles
    // walk through the time it occupies (inFlight()) before the next one starts.
    void stepCycle();
    void stepEvent() { startGoal(Goal::Event); }
    // Runs to the next event of this kind.
    void stepToKind(EventKind kind);
    // Back to the instruction boundary before this one, or to where the
    // previous "step event" would have stopped: a fresh session replayed
    // from cycle 0 (runs are deterministic, so it lands in exactly the state
    // the run had there). Spread over frames like any other goal.
    void stepBackInstruction();
    void stepBackEvent();
    // Blocking: runs until the event log holds `events` events; false if the run ended first.
    bool runToEventCount(uint64_t events);
    // Runs until the clock reaches `cycle` (the instruction boundary at or after it).
    void runToCycle(uint64_t cycle);
    // Predict, then reveal: when on, a run pauses before each new kind of
    // transition (a syscall, trap, hypercall, exit... at a pc not asked
    // about yet) and asks: it runs on to the event, then replays to the
    // instruction boundary before the instruction that causes it, so nothing
    // of the event is on screen (sim_predict.cpp). The answer runs that
    // instruction and shows what really happened.
    void setPredict(bool on) { predict_ = on; }
    bool predict() const { return predict_; }
    struct Answer {
        int ring = 0;
        Choice mechanism = Choice::Count;
    };
    struct Score {
        unsigned asked = 0, ringsRight = 0, mechanismsRight = 0;
    };
    const std::optional<Question>& question() const { return question_; }
    // A question found, not asked yet: the replay to before its instruction is under way.
    bool questionPending() const { return pendingQuestion_.has_value(); }
    // Set once the student has answered the question on screen.
    const std::optional<Answer>& answer() const { return answer_; }
    // Records the answer, then executes the instruction the question is about.
    void giveAnswer(Answer a);
    // Closes the question and goes on with what it interrupted (a run, a tour stop).
    void dismissQuestion();
    const Score& score() const { return score_; }
    // Instructions per second while running; 0 is full speed.
    void setSpeed(double instructionsPerSecond);
    double speed() const { return speed_; }
    // Shows the next stop: one the tour has already passed (two stops can fall
    // in one instruction, a VM exit and its entry), else runs to it.
    void nextTourStop();

    // Once a frame: works on the current goal for at most `budget` of wall time.
    void advance(std::chrono::microseconds budget);
    // Follows the tour until `stops` stops are reached (or the run ends), blocking.
    // False with a reason in error() if it cannot.
    bool runToTourStop(size_t stops);

    enum class Goal { None, Run, Event, EventOfKind, TourStop, Rewind, Cycle };
    Goal goal() const { return goal_; }
    bool running() const { return goal_ == Goal::Run; }
    bool busy() const { return goal_ != Goal::None; }

    // The instruction whose cycles stepCycle is walking through.
    struct InFlight {
        uint64_t start = 0, end = 0;  // the cycles it occupies: [start, end)
        uint64_t cursor = 0;          // the cycle shown
        uint32_t pc = 0;
    };
    const std::optional<InFlight>& inFlight() const { return inFlight_; }
    // A step back in progress: how far the replay has come (0..1).
    bool rewinding() const { return goal_ == Goal::Rewind; }
    double rewindProgress() const;
    EventKind stepKind() const { return stepKind_; }
    // The kind "run to next" and K go to, without running.
    void setStepKind(EventKind kind) { stepKind_ = kind; }

    const Scenario* scenario() const { return scenario_.get(); }
    const std::string& scenarioPath() const { return path_; }
    Mode mode() const { return mode_; }
    // Null when the scenario or the mode could not start.
    Session* session() { return session_.get(); }
    // Why there is no session, or why the last command failed; empty if all is well.
    const std::string& error() const { return error_; }
    const TourCursor& tour() const { return tour_; }
    // How many of the reached stops the user has been shown (the last of them is on screen).
    size_t shownStops() const { return shownStops_; }
    // The cycle the run was at when the stop on screen was shown (none if no stop is shown).
    std::optional<uint64_t> shownStopCycle() const {
        if (shownStops_ == 0 || tourHistory_.empty() || tourHistory_.back().shown != shownStops_) return std::nullopt;
        return tourHistory_.back().cycle;
    }
    // Whether "next stop" has anything to do.
    bool moreTourStops() const { return shownStops_ < tour_.reached().size() || !tour_.done(); }
    // Why the tour cannot be followed in this mode, else empty.
    const std::string& tourNote() const { return tourNote_; }
    const std::vector<ScenarioEntry>& bundled() const { return bundled_; }
    // Changes whenever a session starts (open, mode, reset, reload, a step
    // back's replay): what was derived from the scenario, its sources or the
    // session may be out of date.
    uint64_t sessionSerial() const { return sessionSerial_; }

    // The exit controls hw-assist sessions start with (none: the monitor's own
    // choice); they take effect at the next reset or mode change.
    void setExitControls(std::optional<VmControls> controls) { exitControls_ = controls; }
    const std::optional<VmControls>& exitControls() const { return exitControls_; }

    // The guest source editor. Assembles the guest with `edited` texts in place
    // of their files (the files are not changed) and, if that works, restarts
    // the session with the new images; if not, the old session runs on and
    // sourceErrors() lists every diagnostic. The edits stay in force for
    // resets and mode changes until the next reload or open().
    bool reloadWithSources(const SourceOverrides& edited);
    // The edited texts the running guest was assembled from (empty: the files).
    const SourceOverrides& sourceOverrides() const { return sourceOverrides_; }
    // The texts of the last reload tried, whether or not it assembled.
    const SourceOverrides& attemptedSources() const { return attemptedSources_; }
    const std::vector<assembler::Diagnostic>& sourceErrors() const { return sourceErrors_; }
    // Every source file of the guest: the kernel's (main file first, then what
    // it includes), then each program's; the files named by the scenario when
    // the guest has not assembled.
    std::vector<std::string> guestSourceFiles() const;
    // Counts open() calls: a view of the scenario's files starts afresh when it changes.
    uint64_t openCount() const { return openCount_; }
    // Breakpoints on guest pcs: running, stepping to an event and the tour
    // stop before the instruction at one. Kept across a reset (and a change
    // to a mode with the same guest build); a new scenario starts with none.
    void setBreakpoints(std::vector<uint32_t> pcs);
    void toggleBreakpoint(uint32_t pc);
    // The user's breakpoints in the running guest build (without the one a
    // run following the tour sets at a label stop's address).
    std::vector<uint32_t> breakpoints() const;
    // Whether the run stopped at one of the user's breakpoints.
    bool atBreakpoint() const;
    // Runs until a breakpoint is reached or the run ends, blocking; true if
    // it stopped at one.
    bool runToBreakpoint();
    // The guest build the session runs (its labels and source lines), or null.
    const GuestImages* guestImages() const;

private:
    // Assembles with the edits in force; keeps the diagnostics, throws InputError on failure.
    std::unique_ptr<ScenarioImages> assembleImages(const Scenario& only);
    // Where a replay is going, and what it is for.
    struct Rewind {
        // FindBeforeEvent: the instruction boundary before the one that records event `originEvents`.
        enum class Phase { FindInstruction, FindEvent, FindBeforeEvent, Land } phase = Phase::Land;
        bool forQuestion = false;  // landing asks the pending question
        uint64_t origin = 0;       // the cycle the user stepped back from
        uint64_t originEvents = 0; // the log's total there
        uint64_t window = 0;       // how far before `origin` the search starts (cycles or events)
        bool replayed = false;     // the fresh session has reached the search's start
        // A place the run stopped at: its cycle, and the event count whose
        // recording stopped it there (0: a stop by cycle). Replaying to an
        // event count stops by the same mechanism, so it lands on the same
        // spot even inside a translated block, where no cycle stop can.
        struct Position {
            uint64_t cycle = 0;
            uint64_t trigger = 0;
        };
        std::vector<Position> candidates;  // positions before `origin` found so far
        Position target;                   // Land: where to replay to
    };
    // The tour as it was when a stop was shown, to go back to with the run.
    struct TourSnapshot {
        uint64_t cycle = 0;
        size_t shown = 0;
        TourCursor cursor;
    };
    void startSession();
    // A fresh session at cycle 0 in the current scenario and mode (the tour is left as it is).
    void newSession();
    // Runs to `stopAt` and tunes the slice so that one takes about a millisecond.
    void runSlice(uint64_t stopAt);
    // The session's breakpoints: the user's (if they belong to its guest
    // build) and the pending label stop's address while a run follows the tour.
    void applyBreakpoints();
    // Whether the goal pauses at the tour's stops.
    bool followsTour() const { return goal_ == Goal::TourStop || (goal_ == Goal::Run && pauseAtStops_); }
    // After a piece of the run: true if it paused at the tour's pending
    // label or cycle stop (reaching it); steps past a label's address that
    // is not the stop's (another program, not yet the nth time).
    bool reachedPlaceStop(const StopCondition* stop);
    // The run's stop points for this piece of work: the pending label's
    // breakpoint armed (or disarmed), and the cycle a cycle stop waits for.
    uint64_t armTourStop(const StopCondition* stop);
    void startRewind(Rewind::Phase phase);
    bool workRewind(std::chrono::steady_clock::time_point deadline);
    // `placeStopCycle`: the tour's cycle stop, if one is pending (else UINT64_MAX).
    bool workAtSpeed(std::chrono::steady_clock::time_point deadline, const StopCondition* stop, uint64_t placeStopCycle);
    void noteShownStop();
    void startGoal(Goal g);
    bool onEvent(const Event& e);
    // Predicting (sim_predict.cpp): whether `e` makes a new question; if so it is
    // kept pending and the run stops.
    bool noticeQuestion(const Event& e);
    // After a run stopped on a pending question: the replay to before its instruction.
    void lookBackForQuestion();
    // The replay has landed: the tour as it was there, and the question on screen.
    void askPendingQuestion();
    // The tour cursor before an event it is fed, while predicting (the last few).
    void markTourBefore(uint64_t event);
    // One bounded piece of work towards the goal; false when the goal is over.
    bool work(std::chrono::steady_clock::time_point deadline);

    std::string path_;
    std::unique_ptr<Scenario> scenario_;
    std::unique_ptr<ScenarioImages> images_;
    bool imagesWithParavirt_ = false;
    Mode mode_ = Mode::Native;
    std::unique_ptr<Session> session_;
    std::string error_;
    TourCursor tour_;
    std::string tourNote_;
    size_t shownStops_ = 0;
    bool pauseAtStops_ = true;
    Goal goal_ = Goal::None;
    bool goalReached_ = false;  // set by the listener: the run stops after this instruction
    uint64_t sliceCycles_ = 20'000;  // tuned so one slice takes about a millisecond
    std::vector<ScenarioEntry> bundled_;
    EventKind stepKind_ = EventKind::Syscall;
    std::optional<InFlight> inFlight_;
    bool predict_ = false;
    std::optional<Question> question_;
    std::optional<Question> pendingQuestion_;
    uint64_t pendingCycle_ = 0;  // the cycle its event was recorded at
    std::vector<std::pair<uint64_t, TourCursor::Mark>> tourMarks_;  // (event, the cursor before it), oldest first
    std::optional<Answer> answer_;
    Goal interruptedGoal_ = Goal::None;  // what the question stopped, resumed after it
    std::set<std::pair<EventKind, uint32_t>> asked_;  // (kind, pc) pairs already asked about
    Score score_;
    uint64_t stopAtEventTotal_ = UINT64_MAX;  // a replay stops once the log holds this many events
    uint64_t goalCycle_ = 0;                  // Goal::Cycle
    Rewind rewind_;
    std::vector<TourSnapshot> tourHistory_;
    double speed_ = 0;           // instructions per second; 0 = full speed
    double allowance_ = 0;       // instructions the speed allows and that have not run yet
    std::chrono::steady_clock::time_point lastPaced_{};
    std::optional<VmControls> exitControls_;
    SourceOverrides sourceOverrides_;
    SourceOverrides attemptedSources_;
    std::vector<assembler::Diagnostic> sourceErrors_;
    uint64_t openCount_ = 0;
    std::vector<uint32_t> breakpoints_;
    bool breakpointsParavirt_ = false;  // which guest build their addresses belong to
    std::optional<uint32_t> tourLabelArmed_;  // the label stop's address among the session's breakpoints
    uint64_t sessionSerial_ = 0;
};

}  // namespace ringsim::gui
