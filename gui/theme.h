// The window's colours: a dark and a light theme, each with a high-contrast
// variant for presentation mode (a projector washes out mid greys). ImGui's
// own widgets take theirs from ImGui's style; what panels draw themselves
// (the rings, labels, messages) reads the palette, so every theme is readable.
#pragma once

#include <imgui.h>

namespace ringsim::gui {

struct Theme {
    bool dark = true;
    bool highContrast = false;
    bool operator==(const Theme&) const = default;
};

// Colours a panel picks itself, chosen per theme.
struct Palette {
    ImVec4 background;  // behind the panels (the clear colour)
    // The rings, outermost first: ringFill[0] is ring 3, ringFill[4] ring -1.
    ImU32 ringFill[5];
    ImU32 ringOutline;
    ImU32 ringLabel;     // a ring's name on its fill
    ImU32 litRingFill;   // the ring the CPU is in
    ImU32 litRingLabel;  // its name on that fill
    ImU32 arrowLabelBox; // behind an arrow's label, which is drawn in the kind's colour
    float arrowDarken;   // the kinds' colours are for dark fills: scaled by this on light ones
    ImVec4 errorText;    // a scenario that fails to load, a guest that faults
    ImVec4 noticeText;   // "the run has ended", a saved screenshot
    ImVec4 differsRow;   // behind a row whose two values differ (virtual CPU against real), under ImGui's text colour
    ImVec4 changedText;  // a value changed since the last pause: registers, memory, exit controls
};

// Sets ImGui's style colours and the palette. Cheap enough to call on every change.
void applyTheme(Theme theme);
const Palette& palette();
// An event kind's colour made readable on the current ring fills.
ImU32 onRingFill(ImU32 colour);

}  // namespace ringsim::gui
