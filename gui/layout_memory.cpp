#include "layout_memory.h"

#include <imgui.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace ringsim::gui {

std::filesystem::path LayoutMemory::fileFor(int width, int height) const {
    return folder_ / "layouts" / (std::to_string(width) + "x" + std::to_string(height) + ".ini");
}

bool LayoutMemory::load(int width, int height) const {
    if (!enabled()) return false;
    std::ifstream in(fileFor(width, height));
    if (!in) return false;
    std::stringstream text;
    text << in.rdbuf();
    const std::string ini = text.str();
    ImGui::LoadIniSettingsFromMemory(ini.data(), ini.size());
    return true;
}

void LayoutMemory::save(int width, int height) {
    if (!enabled()) return;
    const std::filesystem::path file = fileFor(width, height);
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    size_t size = 0;
    const char* ini = ImGui::SaveIniSettingsToMemory(&size);
    // Written beside and renamed over, so a run killed while saving leaves the old file whole.
    const std::filesystem::path partial = file.string() + ".partial";
    bool written = false;
    if (!ec) {
        std::ofstream out(partial, std::ios::binary);
        out.write(ini, std::streamsize(size));
        written = bool(out.flush());
    }
    if (written) std::filesystem::rename(partial, file, ec);
    if ((!written || ec) && !reportedFailure_) {
        std::fprintf(stderr, "ringsim-gui: layout not saved: cannot write %s\n", file.string().c_str());
        reportedFailure_ = true;
    }
}

}  // namespace ringsim::gui
