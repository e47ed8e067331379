#include "chart_export.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "panels/mode_chart.h"
#include "screenshot.h"
#include "ui.h"

namespace ringsim::gui {

namespace {

// The chart's size for a slide (16:9), shrunk to fit a smaller window.
constexpr float kExportWidth = 960, kExportHeight = 540;

struct ExportState {
    std::optional<std::string> path;  // a request waits
    bool drawn = false;               // the chart is in this frame, at `min`..`max`
    ImVec2 min, max;
    std::string failure;              // the request cannot be met
    std::string message;
};
ExportState state;

}  // namespace

void requestChartExport(std::string path) {
    state.path = std::move(path);
    state.drawn = false;
    state.failure.clear();
}

bool chartExportPending() { return state.path.has_value(); }

void drawChartExport(Ui& ui) {
    state.drawn = false;
    if (!state.path) return;
    const ModeComparison* comparison = ui.allModes.current();
    if (!comparison) {
        if (!ui.allModes.busy()) state.failure = "no comparison of the modes to export (no scenario is open)";
        return;
    }
    if (!comparison->error.empty() || comparison->cells.empty()) {
        state.failure = "no chart to export: " + (comparison->error.empty() ? std::string("no mode ran") : comparison->error);
        return;
    }
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float w = std::min(kExportWidth, display.x - 20), h = std::min(kExportHeight, display.y - 20);
    // Whole pixels, so that the saved rectangle is exactly what was drawn.
    state.min = ImVec2(std::floor((display.x - w) * 0.5f), std::floor((display.y - h) * 0.5f));
    state.max = ImVec2(state.min.x + std::floor(w), state.min.y + std::floor(h));
    ModeChartLook look;
    look.font = ui.fonts.large;
    // A font's own size is in the atlas's pixels: FontGlobalScale brings it to the display's (the web edition on HiDPI).
    const float atlasToDisplay = ImGui::GetIO().FontGlobalScale;
    look.fontSize = ui.fonts.large ? ui.fonts.large->FontSize * atlasToDisplay : ImGui::GetFontSize() * 1.6f;
    look.titleFont = ui.fonts.large;
    look.titleSize = look.fontSize;
    look.title = comparison->scenarioTitle;
    look.subtitle = "cycles of each mode by category, and the overhead against native (cost preset " + comparison->preset + ")";
    look.subtitleFont = ui.fonts.body;
    look.subtitleSize = ui.fonts.body ? ui.fonts.body->FontSize * atlasToDisplay : ImGui::GetFontSize();
    look.currentMode = ui.sim.mode();
    look.fillBackground = true;
    // Drawn once into a scratch list to learn its height (a few modes need
    // less than a slide), then for real on a background cut to fit.
    ImDrawList scratch(ImGui::GetDrawListSharedData());
    scratch._ResetForNewFrame();
    scratch.PushClipRectFullScreen();
    scratch.PushTextureID(ImGui::GetIO().Fonts->TexID);
    const float bottom = drawModeChart(&scratch, state.min, state.max, *comparison, look, ImVec2(-1e9f, -1e9f)).bottom;
    state.max.y = std::min(state.max.y, std::ceil(bottom));
    // Over every window, and with no mouse: nothing hovered, no tooltip in the picture.
    drawModeChart(ImGui::GetForegroundDrawList(), state.min, state.max, *comparison, look, ImVec2(-1e9f, -1e9f));
    state.drawn = true;
}

std::optional<ChartExportOutcome> saveRequestedChart(int framebufferWidth, int framebufferHeight) {
    if (!state.path) return std::nullopt;
    ChartExportOutcome outcome{*state.path, state.failure};
    if (outcome.error.empty()) {
        if (!state.drawn) return std::nullopt;
        // Display coordinates to framebuffer pixels (they differ on a high-density screen).
        const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
        outcome.error = saveBackBufferRegionPng(
            outcome.path, int(state.min.x * scale.x), int(state.min.y * scale.y), int((state.max.x - state.min.x) * scale.x),
            int((state.max.y - state.min.y) * scale.y), framebufferWidth, framebufferHeight);
    }
    state.message = outcome.error.empty() ? "saved the chart as " + outcome.path : outcome.error;
    state.path.reset();
    state.drawn = false;
    state.failure.clear();
    return outcome;
}

const std::string& lastChartExportMessage() { return state.message; }

}  // namespace ringsim::gui
