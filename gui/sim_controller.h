// The simulation the window shows: the loaded scenario, its assembled guest,
// and a Session in the chosen mode, driven in small slices so that a frame
// never waits long for the simulator. Panels read from it and call its
// commands; it holds no copy of the machine's state.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "core/scenario_run.h"
#include "core/session.h"
#include "core/tour_cursor.h"

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
    void open(const std::string& path, const std::string& mode = "");
    void chooseMode(const std::string& mode);
    // Back to cycle 0 in the same scenario and mode.
    void reset();

    // The commands of the Controls panel.
    void run() { startGoal(Goal::Run); }
    void pause() { goal_ = Goal::None; }
    void stepInstruction();
    void stepEvent() { startGoal(Goal::Event); }
    // Shows the next stop: one the tour has already passed (two stops can fall
    // in one instruction, a VM exit and its entry), else runs to it.
    void nextTourStop();

    // Once a frame: works on the current goal for at most `budget` of wall time.
    void advance(std::chrono::microseconds budget);
    // Follows the tour until `stops` stops are reached (or the run ends), blocking.
    // False with a reason in error() if it cannot.
    bool runToTourStop(size_t stops);

    enum class Goal { None, Run, Event, TourStop };
    Goal goal() const { return goal_; }
    bool running() const { return goal_ == Goal::Run; }
    bool busy() const { return goal_ != Goal::None; }

    const Scenario* scenario() const { return scenario_.get(); }
    const std::string& scenarioPath() const { return path_; }
    const std::string& mode() const { return mode_; }
    // Null when the scenario or the mode could not start.
    Session* session() { return session_.get(); }
    // Why there is no session, or why the last command failed; empty if all is well.
    const std::string& error() const { return error_; }
    const TourCursor& tour() const { return tour_; }
    // How many of the reached stops the user has been shown (the last of them is on screen).
    size_t shownStops() const { return shownStops_; }
    // Whether "next stop" has anything to do.
    bool moreTourStops() const { return shownStops_ < tour_.reached().size() || !tour_.done(); }
    // Why the tour cannot be followed in this mode, else empty.
    const std::string& tourNote() const { return tourNote_; }
    const std::vector<ScenarioEntry>& bundled() const { return bundled_; }
    // Changes whenever a session starts (open, mode, reset, reload): what was
    // derived from the scenario and its sources may be out of date.
    uint64_t sessionSerial() const { return sessionSerial_; }

private:
    void startSession();
    void startGoal(Goal g);
    bool onEvent(const Event& e);
    // One bounded piece of work towards the goal; false when the goal is over.
    bool work(std::chrono::steady_clock::time_point deadline);

    std::string path_;
    std::unique_ptr<Scenario> scenario_;
    std::unique_ptr<ScenarioImages> images_;
    bool imagesWithParavirt_ = false;
    std::string mode_;
    std::unique_ptr<Session> session_;
    std::string error_;
    TourCursor tour_;
    std::string tourNote_;
    size_t shownStops_ = 0;
    Goal goal_ = Goal::None;
    bool goalReached_ = false;  // set by the listener: the run stops after this instruction
    uint64_t sliceCycles_ = 20'000;  // tuned so one slice takes about a millisecond
    std::vector<ScenarioEntry> bundled_;
    uint64_t sessionSerial_ = 0;
};

}  // namespace ringsim::gui
