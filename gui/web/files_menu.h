// The web edition's "Your files" menu: a user's own scenario and guest files
// opened with the browser's file picker (loaded as the desktop loads a file,
// with the desktop's message when it does not load), and what the window
// holds saved by download: the scenario, sources edited in the window, the
// settings. (PNG export downloads from File, as web_main.cpp arranges.)
#pragma once

#include <string>
#include <vector>

#include "gui/ui.h"

namespace ringsim::gui::web {

class FilesMenu {
public:
    // Inside the main menu bar, each frame.
    void draw(Ui& ui);
    // Once a frame: opens what the user picked, if anything arrived.
    void openPicked(Ui& ui);
    // Where the menu and its items were drawn last ("menu X Y W H label"
    // lines on standard output), so that a test can click them.
    void printPlaces() const;

private:
    struct Place {
        std::string label;
        float x = 0, y = 0, w = 0, h = 0;
    };
    void notePlace(const char* label);
    std::vector<Place> places_;
};

}  // namespace ringsim::gui::web
