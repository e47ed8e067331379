// The default layout: every panel visible at once, filling the window.
// Dear ImGui 1.86 has no docking, so each panel is placed on its first use
// (imgui.ini remembers where the user moved it afterwards).
#pragma once

namespace ringsim::gui {

// Every panel's place. The mechanism views (translation cache, hypercalls,
// exit controls) share one place: each belongs to one kind of mode.
enum class PanelSlot {
    Controls, Rings, Tour, Timeline, EventLog, Why, Source, Compare, Cpu, Counters, Mechanism
};

// Calls SetNextWindowPos/Size for the panel's default place, scaled from a
// 1280x800 design to the current display size.
void placeNextWindow(PanelSlot slot);

// One line per panel on screen, "panel <x> <y> <w> <h> <title>", for the
// screenshot test to check every panel wherever the layout puts it.
void printPanelRects();

}  // namespace ringsim::gui
