// The chart of every mode side by side for one scenario: one bar per mode,
// stacked by cycle category, labelled with its total cycles and its overhead
// against native. Drawn with a draw list into any rectangle, so that the
// Counters panel shows it and the export draws it again, larger, on its own.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "../background_compare.h"

namespace ringsim::gui {

struct ModeChartLook {
    ImFont* font = nullptr;  // mode names, figures, legend
    float fontSize = 16.0f;
    ImFont* titleFont = nullptr;
    float titleSize = 26.0f;
    std::string title;             // drawn above the bars when not empty (wrapped)
    std::string subtitle;          // under the title, dimmer
    ImFont* subtitleFont = nullptr;
    float subtitleSize = 16.0f;
    std::optional<Mode> currentMode;  // its bar is highlighted
    // The run on screen so far (its cycles), marked on the current mode's bar.
    std::optional<uint64_t> liveCycles;
    bool fillBackground = false;   // paint the whole rectangle (the chart alone, for export)
    bool legendNativeLine = true;  // explain the dashed line at native's total in the legend
};

struct ModeChartDrawn {
    int hovered = -1;    // the index into comparison.cells of the bar under the mouse
    float bottom = 0;    // where the chart ends: rows stop growing at a comfortable height
};
// Draws the chart in [min, max].
ModeChartDrawn drawModeChart(ImDrawList* draw, ImVec2 min, ImVec2 max, const ModeComparison& comparison,
                             const ModeChartLook& look, ImVec2 mouse);

// One mode's figures in a tooltip: where its cycles went, its overhead (when
// the cell has one: MatrixCell::hasOverhead), and the counts that explain them.
void modeBreakdownTooltip(const MatrixCell& cell);

// The colour that marks the mode on screen (its bar, its overhead), for the theme in use.
ImU32 currentModeColour();

// "8.27M", "513k", "4096": cycles short enough for a label.
std::string shortCount(uint64_t n);

}  // namespace ringsim::gui
