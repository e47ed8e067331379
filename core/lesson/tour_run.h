// A scenario's guided tour followed headlessly, stop by stop.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lesson/tour_cursor.h"
#include "run/run.h"
#include "scenario/scenario.h"

namespace ringsim {

// A tour followed headlessly.
struct TourRun {
    Mode mode = Mode::Native;
    std::vector<ReachedStop> reached;  // in order; fewer than the stops if some were never reached
    RunResult result;                      // the run up to the last stop (or its end)
    bool complete() const;
    size_t stops = 0;
};
// Runs the scenario in `mode`, stopping at each tour stop in turn, where
// `atStop` (if given) may look at the session. Throws InputError if the
// scenario has no tour or the mode is not one of the tour's.
using TourStopVisitor = std::function<void(Session& session, const ReachedStop& stop)>;
TourRun runTour(const Scenario& scenario, Mode mode, const TourStopVisitor& atStop = {});

}  // namespace ringsim
