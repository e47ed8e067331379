#include "lesson/tour_run.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "machine/errors.h"
#include "run/session.h"
#include "scenario/scenario_images.h"

namespace ringsim {

bool TourRun::complete() const { return reached.size() == stops; }

TourRun runTour(const Scenario& scenario, Mode mode, const TourStopVisitor& atStop) {
    if (!scenario.tour) throw InputError(fmt::format("{}: the scenario has no tour", scenario.path));
    const Tour& tour = *scenario.tour;
    if (std::find(tour.modes.begin(), tour.modes.end(), mode) == tour.modes.end())
        throw InputError(fmt::format("{}: the tour is written for {}, not {}", scenario.path,
                                     fmt::join(tour.modes, ", "), mode));
    Scenario only = scenario;
    only.modes = {mode};
    const ScenarioImages images(only);
    const GuestImages& guest = images.forMode(mode);
    Session session(guest, scenario.optionsFor(mode));
    TourCursor cursor(tour, guest, mode);
    // Each event reaches at most one stop, and the run pauses there.
    session.setListener(
        [&](const Event& e) { return !cursor.onEvent(e, session.machine().events.total() - 1); });
    Cpu& cpu = session.machine().cpu;
    while (!cursor.done() && !session.finished()) {
        const StopCondition& c = *cursor.pending();
        const size_t before = cursor.reached().size();
        if (c.kind == StopCondition::Kind::Cycle) {
            // Exactly at that cycle (or the first instruction boundary after it).
            while (cpu.account.now < c.cycle && !session.finished()) session.run(c.cycle);
            if (cpu.account.now >= c.cycle) cursor.reachCycle(session);
        } else if (c.kind == StopCondition::Kind::Label) {
            // A label is a pc: a breakpoint there pauses before its
            // instruction, and the run goes on past it until the stop's
            // program reaches it the stop's nth time.
            const auto address = cursor.pendingLabelAddress();
            if (!address) throw InputError(fmt::format("{}: {}", scenario.path, cursor.problem()));
            session.setBreakpoints({*address});
            while (cursor.reached().size() == before && !session.finished()) {
                session.run();
                if (session.atBreakpoint()) cursor.atLabel(session);
            }
            session.setBreakpoints({});
        } else {
            while (cursor.reached().size() == before && !session.finished()) session.run();
        }
        // One instruction can reach two stops (a VM exit and its entry): each is visited.
        for (size_t i = before; atStop && i < cursor.reached().size(); ++i) atStop(session, cursor.reached()[i]);
    }
    TourRun run;
    run.mode = mode;
    run.stops = tour.stops.size();
    run.reached = cursor.reached();
    run.result = session.result();
    return run;
}

}  // namespace ringsim
