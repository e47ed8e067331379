// Running scenarios: the comparison matrix (scenarios x modes x presets, on
// several threads, with results independent of the thread count), checking
// a scenario's expected outcomes, and following its guided tour.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "guest.h"
#include "run.h"
#include "scenario.h"
#include "source_edit.h"
#include "tour_cursor.h"

namespace ringsim {

// A scenario's guest software, assembled once: the unmodified build and, for
// the paravirtual mode, the PARAVIRT=1 build of the same sources.
class ScenarioImages {
public:
    explicit ScenarioImages(const Scenario& scenario);
    // With edited sources in place of the files they name; throws InputError
    // with every diagnostic.
    ScenarioImages(const Scenario& scenario, const SourceOverrides& edited);
    // From builds already made (see buildScenarioImages).
    ScenarioImages(GuestImages unmodified, std::optional<GuestImages> paravirtual);
    const GuestImages& forMode(const std::string& mode) const;

private:
    GuestImages unmodified_;
    std::optional<GuestImages> paravirtual_;
};

// A scenario's guest assembled with edited sources: the images, or every
// diagnostic (each once, though both builds may report it).
struct ScenarioBuild {
    std::unique_ptr<ScenarioImages> images;
    std::vector<assembler::Diagnostic> errors;
};
ScenarioBuild buildScenarioImages(const Scenario& scenario, const SourceOverrides& edited);

// One run of the matrix.
struct MatrixCell {
    std::shared_ptr<const Scenario> scenario;  // shared by the cells of one scenario
    std::string mode;
    std::string preset;
    bool listed = true;                // false: run only as the native baseline
    std::optional<RunResult> result;   // empty if the mode could not run this guest
    std::string error;                 // why not
    bool sameConsoleAsNative = false;  // every guest's console is what one instance natively shows
    double overheadPercent = 0;        // total cycles against native's (same scenario and preset)
};

struct MatrixRequest {
    std::vector<std::string> modes;    // empty: each scenario's own modes; "all" = every mode
    std::vector<std::string> presets;  // empty: each scenario's machine preset
    unsigned jobs = 0;                 // threads; 0 = every core
    // For a front end that runs the matrix in the background. `cancelled` is
    // asked between runs and every million cycles within one: true abandons
    // the runs not yet finished (their cells carry the error "cancelled").
    // Runs cut into slices measure exactly what whole runs do.
    std::function<bool()> cancelled;
    // Told as each run ends, on the thread that ran it: its mode, and how
    // many of the runs are done out of how many.
    std::function<void(const std::string& mode, size_t done, size_t total)> progress;
    // Guest sources edited in memory (path -> text), assembled in place of the files.
    SourceOverrides edited;
};

// Runs every scenario in every mode and preset asked for, plus native as the
// baseline of each (scenario, preset). The cells come back in a fixed order
// (scenario, preset, mode), whatever the number of threads.
std::vector<MatrixCell> runMatrix(const std::vector<Scenario>& scenarios, const MatrixRequest& request);

// The value of a counter (see knownCounters()) in one cell; empty if the cell did not run.
std::optional<double> counterValue(const MatrixCell& cell, const std::string& counter);

// The outcome of one expectation.
struct CheckLine {
    const Expectation* expectation = nullptr;
    std::string mode;      // the mode it was checked in ("" for an order)
    std::string preset;
    bool passed = false;
    std::string measured;  // what was found, for the report
};
// Runs what the scenario's expectations need and checks each.
std::vector<CheckLine> checkScenario(const Scenario& scenario, unsigned jobs = 0);

// A tour followed headlessly.
struct TourRun {
    std::string mode;
    std::vector<ReachedStop> reached;  // in order; fewer than the stops if some were never reached
    RunResult result;                      // the run up to the last stop (or its end)
    bool complete() const;
    size_t stops = 0;
};
// Runs the scenario in `mode`, stopping at each tour stop in turn. Throws
// InputError if the scenario has no tour or the mode is not one of the tour's.
TourRun runTour(const Scenario& scenario, const std::string& mode);

}  // namespace ringsim
