// What the GUI's picture checkers share: starting ringsim-gui under xvfb-run
// with arguments quoted for the shell, reading a PNG back as RGB, failing
// with one line.
#pragma once

#include <stb_image.h>  // the implementation is compiled into Debian's libstb

#include <cstdio>
#include <string>
#include <vector>

namespace ringsim::guitest {

inline std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline int fail(const std::string& why) {
    std::fprintf(stderr, "FAIL: %s\n", why.c_str());
    return 1;
}

// "XVFB_RUN -a -s '-screen 0 WxHx24' RINGSIM_GUI ARGS..." with every argument quoted.
inline std::string guiCommand(const char* xvfbRun, const char* gui, const std::string& size, char** first, char** last) {
    std::string command = quoted(xvfbRun) + " -a -s " + quoted("-screen 0 " + size + "x24") + " " + quoted(gui);
    // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) about `" " + std::string`.
    for (char** arg = first; arg != last; ++arg) {
        command += ' ';
        command += quoted(*arg);
    }
    return command;
}

// The picture as RGB bytes, row by row; empty if it cannot be read.
inline std::vector<unsigned char> loadRgb(const std::string& path, int& width, int& height) {
    int channels = 0;
    unsigned char* pixels = stbi_load(path.c_str(), &width, &height, &channels, 3);
    if (!pixels) return {};
    std::vector<unsigned char> rgb(pixels, pixels + size_t(width) * size_t(height) * 3);
    stbi_image_free(pixels);
    return rgb;
}

}  // namespace ringsim::guitest
