// Each window size keeps its own arrangement of the panels: a layout the
// user made at 1280x800 says nothing about where panels belong at 1920x1080.
// The arrangement is ImGui's own settings text (window places, table
// columns) kept per size in <folder>/layouts/<W>x<H>.ini; a size with no
// file gets the layout's design for it.
#pragma once

#include <filesystem>
#include <string>

namespace ringsim::gui {

class LayoutMemory {
public:
    // An empty folder: nothing is read or written (screenshot runs).
    void setFolder(std::filesystem::path folder) { folder_ = std::move(folder); }
    bool enabled() const { return !folder_.empty(); }
    std::filesystem::path fileFor(int width, int height) const;
    // Hands ImGui the arrangement kept for this size (applied to the panels
    // that exist and to those that begin later); false when none is kept.
    bool load(int width, int height) const;
    // Keeps ImGui's arrangement as it is now for this size; reports a failure once.
    void save(int width, int height);

private:
    std::filesystem::path folder_;
    bool reportedFailure_ = false;
};

}  // namespace ringsim::gui
