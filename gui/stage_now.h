// Which moment the lecture stage shows: a selected event, the tour stop just
// reached, or the newest event; and which ring is lit (the monitor's while
// it works through the cycles of the instruction being stepped). The Stage
// panel draws this; --print-stage prints it.
#pragma once

#include <optional>

#include "lesson/stage.h"
#include "sim_controller.h"

namespace ringsim::gui {

// `selected`: the event selected in the window, if any.
StageView stageNow(SimController& sim, std::optional<uint64_t> selected);

}  // namespace ringsim::gui
