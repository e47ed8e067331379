// Commands given on the command line (--do), run before the first frame:
// how tests drive the controls deterministically, and how a lecturer can
// open the window at a prepared moment. Also the one-line state report the
// tests read back.
#pragma once

#include <string>

#include "deck_controller.h"
#include "sim_controller.h"

namespace ringsim::gui {

// Runs "step*3,event,back,back-event,cycle,kind:vm-exit,run-to:5000" one
// command at a time, each to completion. With a lecture deck open, `next`,
// `next-lesson` and `previous-lesson` move through it. False with a message
// naming the bad command.
bool runScript(SimController& sim, const std::string& commands, std::string& error, DeckController* deck = nullptr);

// "mode M cycle C instructions N events E tour-stop A/B running R state HASH":
// HASH digests the registers, control registers, cycle and event count, so
// two ways to one position can be compared.
std::string stateLine(SimController& sim);

}  // namespace ringsim::gui
