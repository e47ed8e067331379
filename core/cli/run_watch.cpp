#include "cli/run_watch.h"

#include <chrono>
#include <csignal>
#include <fmt/format.h>

#include "run/session.h"

namespace ringsim::cli {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;

extern "C" void onInterrupt(int) { gInterrupted = 1; }

// Slices of simulated cycles between looks at the flag and the clock: short
// enough that Ctrl-C answers at once, long enough to cost nothing.
constexpr uint64_t kSliceCycles = 20'000'000;

}  // namespace

RunResult runWatched(const GuestImages& guest, const RunOptions& options, std::ostream& progress, bool progressIsTerminal,
                     bool& interrupted) {
    Session session(guest, options);
    gInterrupted = 0;
    auto* previous = std::signal(SIGINT, onInterrupt);
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto shown = start;
    bool lineShown = false;
    while (!session.finished() && !gInterrupted) {
        const uint64_t now = session.machine().cpu.account.now;
        session.run(now + kSliceCycles);
        if (progressIsTerminal && Clock::now() - shown >= std::chrono::seconds(1)) {
            shown = Clock::now();
            progress << fmt::format("\rringsim: {} cycles so far, {:.0f} s (Ctrl-C stops and reports)",
                                    session.machine().cpu.account.now,
                                    std::chrono::duration<double>(shown - start).count())
                     << std::flush;
            lineShown = true;
        }
    }
    std::signal(SIGINT, previous == SIG_ERR ? SIG_DFL : previous);
    if (lineShown) progress << "\n";
    interrupted = gInterrupted != 0;
    return session.result();
}

}  // namespace ringsim::cli
