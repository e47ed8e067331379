// The comparison of the modes for the open scenario, computed on a worker
// thread so that the window never waits for it: core's runMatrix (the same
// figures as `ringsim compare SCENARIO.yaml`), and native's progress through
// the same guest (core/overhead_curve.h) for the overhead of the run on
// screen as it goes. Each frame asks for what the window shows; a different
// scenario, preset or source cancels the job for the old one. Finished
// comparisons are kept, by scenario file, preset and the contents of its files.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/overhead_curve.h"
#include "scenario/scenario.h"
#include "report/matrix.h"

namespace ringsim::gui {

class SimController;

// One finished comparison.
struct ModeComparison {
    std::string scenarioTitle;
    std::string preset;
    bool allModes = false;             // every mode, not only the scenario's own
    std::vector<MatrixCell> cells;     // the listed runs, in the scenario's order (a mode that cannot run: error set)
    std::string error;                 // why there is no comparison at all (the guest does not assemble, ...)
    const MatrixCell* cellFor(Mode mode) const;
    uint64_t longestRun() const;       // the most total cycles of any run (the chart's scale)
};

// What a running job has done so far.
struct CompareProgress {
    bool running = false;
    size_t done = 0, total = 0;          // runs of the matrix, native's baseline included
    std::vector<Mode> modesDone;  // in the order they finished
};

class BackgroundCompare {
public:
    BackgroundCompare() = default;
    // Cancels every job and waits for it: a cancelled run stops within a
    // million simulated cycles (a few milliseconds).
    ~BackgroundCompare();
    BackgroundCompare(const BackgroundCompare&) = delete;
    BackgroundCompare& operator=(const BackgroundCompare&) = delete;

    // Once a frame: wants the comparison for the simulation's scenario and
    // preset (nothing without a scenario), and collects what the job has done.
    void follow(SimController& sim);
    // The frame loop brackets rendering and presenting with these: the
    // comparison pauses meanwhile (on two cores, software rendering wants both).
    static void frameRenderBegins();
    static void frameRenderEnds();
    // The same without a SimController. `revision` changes whenever the
    // scenario or its sources may have changed (SimController::sessionSerial):
    // only then are the files read again to tell whether they did. `edited`:
    // sources edited in memory, compared in place of their files (the run on
    // screen uses them too).
    void request(const Scenario& scenario, const std::string& preset, uint64_t revision,
                 const SourceOverrides& edited = {});
    // Wants nothing (no scenario is open): cancels the job.
    void clear();
    // Collects progress and a finished job without waiting for anything.
    void poll();

    // Every mode, or only the scenario's own (the default).
    void setAllModes(bool all);
    bool allModes() const { return allModes_; }

    // The finished comparison for what was asked last, else null.
    const ModeComparison* current() const { return current_.get(); }
    // Native's progress through the scenario asked for last, as soon as the
    // job has it (before the matrix is done), else null.
    const OverheadCurve* nativeCurve() const { return curve_.get(); }
    const CompareProgress& progress() const { return progress_; }
    // A job is working for what was asked last.
    bool busy() const { return active_ != nullptr; }

private:
    struct Job;
    void start(const Scenario& scenario, const std::string& preset, const std::string& curveKey,
               const SourceOverrides& edited);
    void retireActive();
    static void work(Job& job);
#ifdef __EMSCRIPTEN__
    static void workSlice(Job& job);  // the browser's stand-in for work(), a piece a frame
#endif
    // Between slices of work: waits while a frame renders; true if the job is cancelled.
    static bool stopOrWait(Job& job);

    bool allModes_ = false;
    // What was asked last: the revision it was asked at, and its key.
    std::optional<uint64_t> askedRevision_;
    std::string askedPreset_;
    bool askedAllModes_ = false;
    std::string key_;       // scenario file, preset, modes, and a hash of the files' contents
    std::string curveKey_;  // the same without the modes (native's curve does not depend on them)
    std::shared_ptr<Job> active_;                // working for key_, or null
    std::vector<std::shared_ptr<Job>> retiring_; // cancelled, not yet joined
    std::map<std::string, std::shared_ptr<const ModeComparison>> cache_;
    std::map<std::string, std::shared_ptr<const OverheadCurve>> curves_;
    std::shared_ptr<const ModeComparison> current_;
    std::shared_ptr<const OverheadCurve> curve_;
    CompareProgress progress_;
};

}  // namespace ringsim::gui
