// The default layout: every panel visible at once, filling the window.
// Dear ImGui 1.86 has no docking, so each panel is placed on its first use
// (imgui.ini remembers where the user moved it afterwards).
#pragma once

namespace ringsim::gui {

enum class PanelSlot { Controls, Rings, Tour, EventLog, Cpu, Counters };

// Calls SetNextWindowPos/Size for the panel's default place, scaled from a
// 1280x800 design to the current display size.
void placeNextWindow(PanelSlot slot);

}  // namespace ringsim::gui
