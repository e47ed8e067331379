// The comparison matrix: scenarios x modes x presets, on several threads,
// with results independent of the thread count.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "machine/source_edit.h"
#include "run/run.h"
#include "scenario/scenario.h"

namespace ringsim {

// One run of the matrix.
struct MatrixCell {
    std::shared_ptr<const Scenario> scenario;  // shared by the cells of one scenario
    Mode mode = Mode::Native;
    std::string preset;
    bool listed = true;                // false: run only as the native baseline
    std::optional<RunResult> result;   // empty if the mode could not run this guest
    std::string error;                 // why not
    bool sameConsoleAsNative = false;  // every guest's console is what one instance natively shows
    std::string nativeConsole;         // what one instance natively shows (each guest is held to consoleExpectedIn of it); empty without native
    double overheadPercent = 0;        // total cycles against native's (same scenario and preset)
    // Set when native did not halt cleanly ("native failed: ...") or did not run
    // at all ("native did not run: ..."): then there is no overhead to speak of
    // and overheadPercent is meaningless. hasOverhead() is the one rule every
    // front end reads (compare's table, check's counters, the GUI's chart).
    std::string overheadNote;
    bool hasOverhead() const { return result && overheadNote.empty(); }
};

struct MatrixRequest {
    std::vector<Mode> modes;           // empty: each scenario's own modes
    std::vector<std::string> presets;  // empty: each scenario's machine preset
    unsigned jobs = 0;                 // threads; 0 = every core
    // For a front end that runs the matrix in the background. `cancelled` is
    // asked between runs and every million cycles within one: true abandons
    // the runs not yet finished (their cells carry the error "cancelled").
    // Runs cut into slices measure exactly what whole runs do.
    std::function<bool()> cancelled;
    // Told as each run ends, on the thread that ran it: its mode, and how
    // many of the runs are done out of how many.
    std::function<void(Mode mode, size_t done, size_t total)> progress;
    // Guest sources edited in memory (path -> text), assembled in place of the files.
    SourceOverrides edited;
};

// Runs every scenario in every mode and preset asked for, plus native as the
// baseline of each (scenario, preset). The cells come back in a fixed order
// (scenario, preset, mode), whatever the number of threads.
std::vector<MatrixCell> runMatrix(const std::vector<Scenario>& scenarios, const MatrixRequest& request);

// The value of a counter (see knownCounters()) in one cell; empty if the cell did not run.
std::optional<double> counterValue(const MatrixCell& cell, const std::string& counter);

}  // namespace ringsim
