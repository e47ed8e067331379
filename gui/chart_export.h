// Export of the chart of the modes alone, as a PNG for a slide: from a menu
// (requestChartExport) or the command line (--screenshot-chart). The frame
// loop carries a request out: once the comparison is ready, the chart is
// drawn over the window at a size for a slide (drawChartExport, last in the
// frame), and its rectangle is saved from the back buffer after the frame is
// rendered (saveRequestedChart).
#pragma once

#include <optional>
#include <string>

namespace ringsim::gui {

struct Ui;

// Asks for the chart to be saved as `path` as soon as the comparison is ready.
void requestChartExport(std::string path);
// A request waits for the comparison, or for the frame that draws the chart.
bool chartExportPending();

// Last in a frame: draws the chart alone if a request waits and the
// comparison is ready (a comparison that failed fails the request).
void drawChartExport(Ui& ui);

struct ChartExportOutcome {
    std::string path;
    std::string error;  // empty: saved
};
// After the frame is rendered, before it is presented: saves the chart drawn
// in this frame. Empty when nothing was to be saved this frame.
std::optional<ChartExportOutcome> saveRequestedChart(int framebufferWidth, int framebufferHeight);

// What the last export did ("saved chart.png", or why not), for the window to show.
const std::string& lastChartExportMessage();

}  // namespace ringsim::gui
