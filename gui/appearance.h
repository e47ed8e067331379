// How the window looks follows the settings: the theme (dark or light, high
// contrast in presentation mode) and the font sizes (the text size, larger in
// presentation mode). Applied between frames, and only when they change.
#pragma once

#include "app_shell.h"
#include "theme.h"
#include "ui.h"

namespace ringsim::gui {

class Appearance {
public:
    // Before a frame begins (a font change rebuilds the font atlas).
    void update(AppShell& shell, const Settings& settings);
    Theme theme() const { return theme_; }

private:
    Theme theme_;
    bool applied_ = false;
};

}  // namespace ringsim::gui
