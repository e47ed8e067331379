// A run the user can watch and stop: progress on a terminal, Ctrl-C stops cleanly.
#pragma once

#include <ostream>

#include "run/run.h"

namespace ringsim::cli {

// Runs the guest like runGuest. While it runs, and only when `progress` is a
// terminal, a line on it shows the cycles so far (a guest given a budget of
// days otherwise gives no sign of life). SIGINT (Ctrl-C) ends the run after
// the current slice: the result is what was measured so far, and
// `interrupted` says so.
RunResult runWatched(const GuestImages& guest, const RunOptions& options, std::ostream& progress, bool progressIsTerminal,
                     bool& interrupted);

}  // namespace ringsim::cli
