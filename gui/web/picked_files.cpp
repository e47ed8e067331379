#include "picked_files.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <set>

namespace ringsim::gui::web {

namespace fs = std::filesystem;

namespace {

// More references than any scenario has: a picked file that names thousands is not followed further.
constexpr size_t kMostPlaced = 256;

bool isScenario(const fs::path& path) { return path.extension() == ".yaml" || path.extension() == ".yml"; }

std::string textOf(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The guest files a text names: a scenario's kernel and programs, a source's .include.
std::vector<std::string> namedSources(const std::string& text) {
    static const std::regex name(R"([A-Za-z0-9_./+-]+\.(s|S|inc|asm))");
    std::vector<std::string> names;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it)
        names.push_back(it->str());
    return names;
}

// `path` relative to `root`, if it lies inside it.
std::optional<fs::path> inside(const fs::path& path, const fs::path& root) {
    const fs::path relative = path.lexically_normal().lexically_relative(root.lexically_normal());
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    return relative;
}

}  // namespace

PickedScenario arrangePickedFiles(const fs::path& folder, const fs::path& bundled) {
    PickedScenario picked;
    std::set<std::string> pickedNames;
    std::deque<fs::path> toRead;  // files whose references are still to follow
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        if (!entry.is_regular_file()) continue;
        pickedNames.insert(entry.path().filename().string());
        toRead.push_back(entry.path());
    }
    std::vector<fs::path> scenarios;
    std::copy_if(toRead.begin(), toRead.end(), std::back_inserter(scenarios), isScenario);
    std::sort(scenarios.begin(), scenarios.end());
    if (!scenarios.empty()) picked.scenario = scenarios.front().string();
    while (!toRead.empty() && picked.placed.size() < kMostPlaced) {
        const fs::path file = toRead.front();
        toRead.pop_front();
        for (const std::string& name : namedSources(textOf(file))) {
            const fs::path wanted = fs::path(name).is_absolute() ? fs::path(name) : file.parent_path() / name;
            const auto relative = inside(wanted, folder);
            if (!relative || fs::exists(wanted, ec)) continue;
            const std::string base = relative->filename().string();
            const fs::path source = pickedNames.count(base) ? folder / base : bundled / *relative;
            if (!fs::is_regular_file(source, ec)) continue;  // the loader will say what is missing
            fs::create_directories(wanted.parent_path(), ec);
            if (!fs::copy_file(source, wanted, ec)) continue;
            picked.placed.push_back(relative->generic_string());
            toRead.push_back(wanted);
        }
    }
    return picked;
}

}  // namespace ringsim::gui::web
