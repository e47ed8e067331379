#include "stage_now.h"

#include "lesson/stage_cast.h"

namespace ringsim::gui {

namespace {

bool retained(const EventLog& log, uint64_t number) {
    return number >= log.firstRetained() && number < log.total();
}

}  // namespace

StageView stageNow(SimController& sim, std::optional<uint64_t> selected) {
    Session* session = sim.session();
    if (!session) return stageAtRest(0);
    const Cpu& cpu = session->machine().cpu;
    const EventLog& log = session->machine().events;
    StageView view = stageAtRest(cpu.ring());
    // The stop on screen, while the run is still where it stopped (and
    // nothing else is selected): the moment the tour talks about.
    const ReachedStop* stop = sim.shownStops() > 0 ? &sim.tour().reached()[sim.shownStops() - 1] : nullptr;
    const bool atStop = stop && sim.shownStopCycle() == cpu.account.now && (!selected || selected == stop->number);
    if (atStop)
        view = stageAtStop(log, *stop, cpu.ring());
    else if (selected && retained(log, *selected))
        view = stageForEvent(log, *selected);
    else if (log.total() > log.firstRetained())
        view = stageForEvent(log, log.total() - 1);
    // Stepping through one instruction's cycles: lit where those cycles went.
    if (const auto& flight = sim.inFlight(); flight && session->timeline()) {
        bool working = false;
        view.litRing = litRingAt(*session->timeline(), flight->cursor, sim.mode(), cpu.ring(), working);
        view.monitorWorking = working;
    }
    surroundStage(view, *session);
    return view;
}

}  // namespace ringsim::gui
