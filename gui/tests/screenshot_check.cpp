// The GUI's screenshot test: starts ringsim-gui under xvfb-run on a scenario,
// follows its tour to a stop, saves the window as PNG, and checks that what a
// lecturer would see is there: a picture of the window's size that is not one
// colour, in which every panel the GUI reports is drawn over the background
// (whose colour the GUI reports too: it follows the theme).
//
// usage: ringsim_gui_screenshot_check XVFB_RUN RINGSIM_GUI OUT.png [--tour-complete] [--size WxH] [--panel NAME]... [--expect TEXT]... [--highlight-in NAME] -- GUI_ARGS...
// --tour-complete: the GUI must also report (--print-state) that it showed every tour stop.
// --size: the screen and the window (default 1280x800).
// --panel NAME: this panel must be on screen too (a mode's own mechanism view).
// --expect TEXT: what the GUI reports must contain TEXT (repeatable).
// --highlight-in NAME: this panel must show a highlighted row (the colour the GUI reports as "highlight R G B").

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "check_support.h"

using ringsim::guitest::fail;
using ringsim::guitest::quoted;

namespace {

struct Rect {
    int x, y, w, h;
    std::string name;
};
// Panels that must be on screen in every run; the others (a mode's own
// mechanism view) are checked when the GUI reports them.
const char* const kRequiredPanels[] = {"Controls", "Stage", "Tour", "Event log", "CPU", "Counters", "Timeline", "Compare",
                                       "Console", "Why did this happen?", "Source", "Virtual CPU"};

}  // namespace

int main(int argc, char** argv) {
    bool tourComplete = false;
    std::string size = "1280x800";
    int dashes = 4;
    std::vector<std::string> expectedPanels;
    std::vector<std::string> expected;  // --expect TEXT: lines the GUI's --print-state output must contain
    std::string highlightIn;
    for (; dashes < argc && std::string(argv[dashes]) != "--"; ++dashes) {
        const std::string option = argv[dashes];
        if (option == "--tour-complete") tourComplete = true;
        else if (option == "--size" && dashes + 1 < argc) size = argv[++dashes];
        else if (option == "--panel" && dashes + 1 < argc) expectedPanels.push_back(argv[++dashes]);
        else if (option == "--expect" && dashes + 1 < argc) expected.push_back(argv[++dashes]);
        else if (option == "--highlight-in" && dashes + 1 < argc) highlightIn = argv[++dashes];
        else break;
    }
    int expectedW = 0, expectedH = 0;
    if (argc < 4 || dashes >= argc || std::string(argv[dashes]) != "--" ||
        std::sscanf(size.c_str(), "%dx%d", &expectedW, &expectedH) != 2) {
        std::fprintf(stderr, "usage: %s XVFB_RUN RINGSIM_GUI OUT.png [--tour-complete] [--size WxH] [--panel NAME]... [--expect TEXT]... [--highlight-in NAME] -- GUI_ARGS...\n", argv[0]);
        return 2;
    }
    const std::string out = argv[3];
    std::remove(out.c_str());
    std::string command = ringsim::guitest::guiCommand(argv[1], argv[2], size, argv + dashes + 1, argv + argc);
    command += " --size ";
    command += size;
    command += " --screenshot ";
    command += quoted(out);
    command += " --print-state --print-panels";
    std::printf("%s\n", command.c_str());
    FILE* gui = popen(command.c_str(), "r");
    if (!gui) return fail("cannot start ringsim-gui");
    std::string state;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, gui)) state += buffer;
    if (const int rc = pclose(gui); rc != 0) return fail("ringsim-gui exited with status " + std::to_string(rc));
    std::printf("%s", state.c_str());
    for (const auto& text : expected)
        if (state.find(text) == std::string::npos) return fail("the GUI did not report \"" + text + "\"");
    if (tourComplete) {
        // "tour-stop A/B": every stop shown, and the tour has stops.
        unsigned shown = 0, stops = 0;
        const auto at = state.find("tour-stop ");
        if (at == std::string::npos || std::sscanf(state.c_str() + at, "tour-stop %u/%u", &shown, &stops) != 2 ||
            stops == 0 || shown != stops)
            return fail("the tour did not reach its end");
    }

    int w = 0, h = 0;
    const std::vector<unsigned char> rgb = ringsim::guitest::loadRgb(out, w, h);
    if (rgb.empty()) return fail("cannot read " + out);
    if (w != expectedW || h != expectedH)
        return fail("the picture is " + std::to_string(w) + "x" + std::to_string(h) + ", not " + size);
    // "background R G B": the colour behind the panels in this run's theme.
    int backgroundColour[3] = {};
    const auto backgroundLine = state.find("background ");
    if (backgroundLine == std::string::npos ||
        std::sscanf(state.c_str() + backgroundLine, "background %d %d %d", &backgroundColour[0], &backgroundColour[1],
                    &backgroundColour[2]) != 3)
        return fail("ringsim-gui did not report its background colour");

    auto at = [&](int x, int y) { return &rgb[(size_t(y) * size_t(w) + size_t(x)) * 3]; };
    bool uniform = true;
    for (size_t i = 3; i < rgb.size() && uniform; ++i) uniform = rgb[i] == rgb[i % 3];
    if (uniform) return fail("every pixel has the same colour");

    // "panel X Y W H NAME" lines: where the GUI put each panel.
    std::vector<Rect> panels;
    for (size_t line = state.find("panel "); line != std::string::npos; line = state.find("\npanel ", line + 1)) {
        if (state[line] == '\n') ++line;
        Rect r{};
        int consumed = 0;
        if (std::sscanf(state.c_str() + line, "panel %d %d %d %d %n", &r.x, &r.y, &r.w, &r.h, &consumed) != 4) continue;
        const size_t end = state.find('\n', line);
        r.name = state.substr(line + size_t(consumed), end == std::string::npos ? std::string::npos : end - line - size_t(consumed));
        // Only what is inside the picture is looked at.
        r.w = std::min(r.w, w - r.x), r.h = std::min(r.h, h - r.y);
        if (r.x >= 0 && r.y >= 0 && r.w > 16 && r.h > 16) panels.push_back(r);
    }
    for (const char* name : kRequiredPanels)
        if (std::none_of(panels.begin(), panels.end(), [&](const Rect& r) { return r.name == name; }))
            return fail(std::string("the panel \"") + name + "\" is not on screen");
    for (const std::string& name : expectedPanels)
        if (std::none_of(panels.begin(), panels.end(), [&](const Rect& r) { return r.name == name; }))
            return fail("the panel \"" + name + "\" is not on screen");
    for (const Rect& r : panels) {
        // A panel is drawn: nearly all of it differs from the background...
        size_t total = 0, background = 0;
        std::map<unsigned, size_t> colours;
        for (int y = r.y + 4; y < r.y + r.h - 4; ++y)
            for (int x = r.x + 4; x < r.x + r.w - 4; ++x) {
                const unsigned char* p = at(x, y);
                ++total;
                bool same = true;
                for (int c = 0; c < 3; ++c) same = same && std::abs(int(p[c]) - backgroundColour[c]) <= 3;
                background += same;
                ++colours[unsigned(p[0]) << 16 | unsigned(p[1]) << 8 | p[2]];
            }
        if (background * 10 > total)
            return fail(r.name + ": " + std::to_string(background * 100 / total) + "% of it is the background");
        // ...and shows something: not all one colour.
        size_t commonest = 0;
        for (const auto& [colour, n] : colours) commonest = std::max(commonest, n);
        if (commonest * 100 > total * 99) return fail(r.name + ": the panel is empty (one colour)");
        std::printf("%-20s drawn: %zu colours, %zu%% background\n", r.name.c_str(), colours.size(), background * 100 / total);
    }
    if (!highlightIn.empty()) {
        // A highlighted row is a band of the highlight colour at least a row's text high and a column wide.
        int highlight[3] = {};
        const auto line = state.find("highlight ");
        if (line == std::string::npos ||
            std::sscanf(state.c_str() + line, "highlight %d %d %d", &highlight[0], &highlight[1], &highlight[2]) != 3)
            return fail("ringsim-gui did not report its highlight colour");
        const auto panel = std::find_if(panels.begin(), panels.end(), [&](const Rect& r) { return r.name == highlightIn; });
        if (panel == panels.end()) return fail("the panel \"" + highlightIn + "\" is not on screen");
        size_t lit = 0;
        for (int y = panel->y; y < panel->y + panel->h; ++y)
            for (int x = panel->x; x < panel->x + panel->w; ++x) {
                const unsigned char* p = at(x, y);
                bool same = true;
                for (int c = 0; c < 3; ++c) same = same && std::abs(int(p[c]) - highlight[c]) <= 3;
                lit += same;
            }
        if (lit < 1000) return fail(highlightIn + ": no highlighted row (" + std::to_string(lit) + " pixels of the highlight colour)");
        std::printf("%-20s highlighted: %zu pixels\n", highlightIn.c_str(), lit);
    }
    std::printf("ok: %s\n", out.c_str());
    return 0;
}
