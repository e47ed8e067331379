#include "tour_follow.h"

namespace ringsim::gui {

void followTour(Ui& ui) {
    SimController& sim = ui.sim;
    TourFollow& follow = ui.tourFollow;
    if (follow.shown == sim.shownStops() && follow.serial == sim.sessionSerial()) return;
    const bool newStop = sim.shownStops() > follow.shown || follow.serial != sim.sessionSerial();
    follow.shown = sim.shownStops();
    follow.serial = sim.sessionSerial();
    if (!newStop || sim.shownStops() == 0) return;
    const ReachedStop& stop = sim.tour().reached()[sim.shownStops() - 1];
    // An event stop selects its event (the views go to its instruction); a
    // label or cycle stop shows where the pc is.
    if (stop.number) ui.selection.select(*stop.number);
    else {
        ui.panels.source.jumpToPc = true;
        ui.panels.disassembly.follow = ui.panels.disassembly.reveal = true;
    }
}

}  // namespace ringsim::gui
