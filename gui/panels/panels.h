// The panels: each draws one view of the simulation (or one set of
// controls) as its own ImGui window, reading the SimController every frame.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "../app_shell.h"
#include "../sim_controller.h"

namespace ringsim::gui {

void drawControlsPanel(SimController& sim);
void drawRingsPanel(SimController& sim);
void drawTourPanel(SimController& sim, const Fonts& fonts);
// `view` keeps what the log remembers between frames (not the simulation's state).
struct EventLogView {
    // The filter: which kinds are shown (all at first), and which guest (-1: every one).
    std::array<bool, kEventKindCount> showKind = [] {
        std::array<bool, kEventKindCount> all{};
        all.fill(true);
        return all;
    }();
    int guest = -1;
    // The rows that pass the filter, rebuilt only when the log or the filter changes.
    std::vector<uint32_t> rows;
    uint64_t rowsForTotal = UINT64_MAX;
    bool filterChanged = true;
    uint64_t lastTotal = UINT64_MAX;  // the log's size when last drawn: it grew -> show the newest rows
    int scrollFrames = 0;             // frames left to keep the newest rows in view (the table's height settles over two)
};
void drawEventLogPanel(SimController& sim, EventLogView& view);
void drawCpuPanel(SimController& sim, const Fonts& fonts);
void drawCountersPanel(SimController& sim);

}  // namespace ringsim::gui
