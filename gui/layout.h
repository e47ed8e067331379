// The default layout: every panel visible at once, filling the window.
// Dear ImGui 1.86 has no docking, so each panel is placed on its first use;
// where the user moves it afterwards is remembered per window size
// (layout_memory.h): a size never seen gets its design.
//
// Three designs: the standard one (drawn at 1280x800), a wide one for
// displays of at least 1700x900 (drawn at 1920x1080: wider event log and
// timeline, larger rings and tour), and the presentation one (rings, tour and
// counters large, the other panels collapsed to a row of title bars under the
// menu, a click away). Each is scaled to the display below the menu bar.
// When the window changes size, the arrangement kept for the new size is
// put back, or the design for it applied. A design is applied again, over
// what the user moved, when entering presentation mode (always its design,
// never remembered) and on "reset layout". Leaving
// presentation mode puts the panels back where they were before it.
// Locked, the panels stay where they were when the lock was set (or where a
// design applied while locked put them): not moved, not resized.
#pragma once

#include <filesystem>

namespace ringsim::gui {

// Every panel's place. The mechanism views (translation cache, hypercalls,
// exit controls) share one place: each belongs to one kind of mode.
enum class PanelSlot {
    Controls, Rings, Tour, Timeline, EventLog, Why, Source, Compare, Cpu, VirtualCpu, Counters, Mechanism, Console
};

// Calls SetNextWindowPos/Size for the panel's place in the current design
// (or where the lock holds it).
void placeNextWindow(PanelSlot slot);

// Once a frame, after the ImGui frame has begun and before the panels:
// picks the design for the display size and presentation mode, and applies
// it (or restores the user's layout) when that changed.
void beginLayoutFrame(bool presentation, bool locked);
// Once a frame, after the last panel.
void endLayoutFrame();
// Puts every panel back in the current design's place on the next frame.
void resetLayout();
// On the next frame, every panel in its design's place, opened (the ones the
// design shows as title bars too): for the check of clipped text.
void openEveryPanel();
// Where each window size's arrangement is kept (before the first frame);
// empty: nowhere.
void rememberLayoutsIn(const std::filesystem::path& folder);
// Keeps the arrangement of the current size now (on exit).
void saveLayoutNow();
// Called inside a panel's window: puts it in front of every other panel
// (the popped-out Compare), behind popups and tooltips.
void keepAbovePanels();
// "standard", "wide" or "presentation".
const char* layoutDesignName();

// One line per panel on screen, "panel <x> <y> <w> <h> <title>", for the
// screenshot test to check every panel wherever the layout puts it.
void printPanelRects();

}  // namespace ringsim::gui
