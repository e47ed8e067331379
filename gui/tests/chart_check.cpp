// The chart export's test: starts ringsim-gui under xvfb-run with
// --screenshot-chart, which waits for the comparison of the modes in the
// background and saves the chart alone, and checks the picture: the size of
// a slide, not one colour, and bars in several of the cycle categories'
// colours (the colours the GUI draws them in, gui/colours.h).
//
// usage: ringsim_gui_chart_check XVFB_RUN RINGSIM_GUI OUT.png MIN_CATEGORIES -- GUI_ARGS...

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "../colours.h"

#include "check_support.h"

using ringsim::guitest::fail;
using ringsim::guitest::quoted;

namespace {

// A bar's inside is filled with exactly its category's colour; a legend swatch
// (about 20x20) has it too, so a category counts when it covers more than that.
constexpr size_t kPixelsForABar = 1000;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6 || std::string(argv[5]) != "--") {
        std::fprintf(stderr, "usage: %s XVFB_RUN RINGSIM_GUI OUT.png MIN_CATEGORIES -- GUI_ARGS...\n", argv[0]);
        return 2;
    }
    const std::string out = argv[3];
    const size_t minCategories = size_t(std::atoi(argv[4]));
    std::remove(out.c_str());
    std::string command = ringsim::guitest::guiCommand(argv[1], argv[2], "1280x800", argv + 6, argv + argc);
    command += " --screenshot-chart ";
    command += quoted(out);
    std::printf("%s\n", command.c_str());
    if (const int rc = std::system(command.c_str()); rc != 0) return fail("ringsim-gui exited with status " + std::to_string(rc));

    int w = 0, h = 0;
    const std::vector<unsigned char> rgb = ringsim::guitest::loadRgb(out, w, h);
    if (rgb.empty()) return fail("cannot read " + out);
    std::printf("%s: %dx%d\n", out.c_str(), w, h);
    // A slide's width; as tall as its modes need, at most 16:9.
    if (w != 960 || h < 150 || h > 540)
        return fail("the chart is " + std::to_string(w) + "x" + std::to_string(h) + ", not 960 wide and 150 to 540 high");

    std::map<unsigned, size_t> colours;
    for (size_t i = 0; i < rgb.size(); i += 3) ++colours[unsigned(rgb[i]) << 16 | unsigned(rgb[i + 1]) << 8 | rgb[i + 2]];
    if (colours.size() < 2) return fail("every pixel has the same colour");

    size_t categories = 0;
    for (size_t c = 0; c < ringsim::kCycleCategoryCount; ++c) {
        const ImU32 u = ringsim::gui::categoryColourU32(ringsim::CycleCategory(c));
        const unsigned r = (u >> IM_COL32_R_SHIFT) & 0xFF, g = (u >> IM_COL32_G_SHIFT) & 0xFF, b = (u >> IM_COL32_B_SHIFT) & 0xFF;
        const auto it = colours.find(r << 16 | g << 8 | b);
        const size_t n = it == colours.end() ? 0 : it->second;
        const std::string_view label = ringsim::categoryLabel(ringsim::CycleCategory(c));
        std::printf("%-14.*s %zu pixels\n", int(label.size()), label.data(), n);
        if (n >= kPixelsForABar) ++categories;
    }
    if (categories < minCategories)
        return fail("bars in " + std::to_string(categories) + " category colours, expected at least " +
                    std::to_string(minCategories));
    std::printf("ok: %zu colours, bars in %zu categories\n", colours.size(), categories);
    return 0;
}
