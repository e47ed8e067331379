// The help window (F1, Help > Keyboard shortcuts): every key and what it does.
#pragma once

#include "ui.h"

namespace ringsim::gui {

void drawHelpWindow(Ui& ui);

}  // namespace ringsim::gui
