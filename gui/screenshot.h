// PNG export of the whole window, or of a part of it (the chart of the modes).
#pragma once

#include <string>

namespace ringsim::gui {

// Saves the back buffer (the frame just rendered, before it is presented) as
// a PNG of width x height pixels. Returns an empty string, or why it failed.
std::string saveBackBufferPng(const std::string& path, int width, int height);

// The same for the rectangle at (x, y) (pixels from the top left) of w x h,
// clipped to the framebuffer.
std::string saveBackBufferRegionPng(const std::string& path, int x, int y, int w, int h, int framebufferWidth,
                                    int framebufferHeight);

}  // namespace ringsim::gui
