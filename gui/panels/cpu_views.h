// The CPU window's parts, each in its own file, drawn one below the other
// inside the one "CPU" window (cpu.cpp): the registers on top, then the
// disassembly or the memory view in a tab.
#pragma once

#include <cstdint>
#include <span>

#include "../ui.h"

namespace ringsim::gui {

// What the machine looked like when the simulation last paused (or was
// stepped) before now: the views mark what has changed since.
struct PauseBaseline {
    const ArchState* state = nullptr;    // null before the second pause
    std::span<const uint8_t> memory;     // all of physical memory; empty before the second pause
};

// Where the tab bar is, so that a view can put its few controls on the
// tab bar's line, right of the tabs, when they fit (window coordinates).
struct TabLine {
    float y = 0;
    float right = 0;
};

void drawCpuRegisters(Ui& ui, Session& session, const PauseBaseline& baseline);
void drawDisassemblyView(Ui& ui, Session& session, const TabLine& tabs);
void drawMemoryView(Ui& ui, Session& session, const PauseBaseline& baseline);

}  // namespace ringsim::gui
