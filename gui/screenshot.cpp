#include "screenshot.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL 2: the web edition (gui/web/)
#else
#include <glad/gl.h>
#endif
#include <stb_image_write.h>  // the implementation is compiled into Debian's libstb

#include <algorithm>
#include <cstddef>
#include <vector>

namespace ringsim::gui {

std::string saveBackBufferPng(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0) return "the window has no pixels";
    return saveBackBufferRegionPng(path, 0, 0, width, height, width, height);
}

std::string saveBackBufferRegionPng(const std::string& path, int x, int y, int w, int h, int framebufferWidth,
                                    int framebufferHeight) {
    const int left = std::max(x, 0), top = std::max(y, 0);
    const int right = std::min(x + w, framebufferWidth), bottom = std::min(y + h, framebufferHeight);
    if (right <= left || bottom <= top) return "nothing to save: the rectangle is off the window";
    const int width = right - left, height = bottom - top;
    std::vector<unsigned char> pixels(size_t(width) * size_t(height) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    // OpenGL counts rows from the bottom.
    glReadPixels(left, framebufferHeight - bottom, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's rows run bottom to top, a PNG's top to bottom.
    const size_t row = size_t(width) * 4;
    std::vector<unsigned char> flipped(pixels.size());
    for (int r = 0; r < height; ++r)
        std::copy_n(pixels.begin() + std::ptrdiff_t(size_t(height - 1 - r) * row), row,
                    flipped.begin() + std::ptrdiff_t(size_t(r) * row));
    // Alpha from the framebuffer means nothing on screen: make every pixel opaque.
    for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    if (!stbi_write_png(path.c_str(), width, height, 4, flipped.data(), int(row))) return "cannot write " + path;
    return {};
}

}  // namespace ringsim::gui
