// PNG export of the whole window.
#pragma once

#include <string>

namespace ringsim::gui {

// Saves the back buffer (the frame just rendered, before it is presented) as
// a PNG of width x height pixels. Returns an empty string, or why it failed.
std::string saveBackBufferPng(const std::string& path, int width, int height);

}  // namespace ringsim::gui
