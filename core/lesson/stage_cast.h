// Who is on the stage around its event: each VM, container and the monitor
// in the ring where it runs (the one whose code runs lit), the virtual CPU
// beside the real one (from the Virtual CPU panel's rows), and the line
// "CPU in ring N (who)". Read from the session as it stands, so the window
// and a headless tour give the same picture at the same moment.
#pragma once

#include "lesson/stage.h"
#include "run/session.h"

namespace ringsim {

// Fills view.occupants, view.virtualCpu and view.cpuLine; the lit occupant
// is the one in view.litRing whose code runs (the monitor while it works).
void surroundStage(StageView& view, Session& session);

}  // namespace ringsim
