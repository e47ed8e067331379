#include "appearance.h"

#include <algorithm>
#include <cmath>

namespace ringsim::gui {

namespace {
// The sizes of the body, tour and register fonts at a text size of 100%.
constexpr float kBody = 16.0f, kLarge = 26.0f, kMono = 15.0f;
// In presentation mode body text is a 40th of the window's height (20 px at
// 800, 27 at 1080): readable from the back of a lecture hall, and the
// presentation layout still holds its panels' contents.
constexpr float kPresentationLinesPerScreen = 40.0f;
}  // namespace

void Appearance::update(AppShell& shell, const Settings& settings) {
    const Theme wanted{settings.darkTheme, settings.presentation};
    if (!applied_ || wanted != theme_) {
        applyTheme(wanted);
        const ImVec4 clear = palette().background;
        shell.setClearColour(clear.x, clear.y, clear.z);
        theme_ = wanted;
        applied_ = true;
    }
    float scale = settings.fontScale;
    if (settings.presentation) {
        int w = 0, h = 0;
        shell.windowSize(w, h);
        scale *= std::max(1.0f, float(h) / kPresentationLinesPerScreen / kBody);
    }
    // Whole pixels, so a window resized by a pixel does not rebuild the fonts.
    shell.setFontSizes(std::round(kBody * scale), std::round(kLarge * scale), std::round(kMono * scale));
}

}  // namespace ringsim::gui
