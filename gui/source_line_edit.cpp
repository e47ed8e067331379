#include "source_line_edit.h"

#include <fmt/format.h>

#include <filesystem>

namespace ringsim::gui {

std::string editSourceLine(SimController& sim, const std::string& spec) {
    const size_t colon = spec.find(':');
    const size_t second = colon == std::string::npos ? std::string::npos : spec.find(':', colon + 1);
    if (second == std::string::npos) return fmt::format("expected FILE:LINE:TEXT, got '{}'", spec);
    const std::string name = spec.substr(0, colon);
    int line = 0;
    try {
        line = std::stoi(spec.substr(colon + 1, second - colon - 1));
    } catch (const std::exception&) {
    }
    if (line < 1) return fmt::format("'{}' is not a line number", spec.substr(colon + 1, second - colon - 1));
    std::string path;
    for (const auto& f : sim.guestSourceFiles())
        if (std::filesystem::path(f).filename().string() == name || f.ends_with(fmt::format("/{}", name))) path = f;
    if (path.empty()) return fmt::format("the guest has no source file named {}", name);
    std::string text = readSourceFile(path).value_or("");
    size_t start = 0;
    for (int l = 1; l < line && start != std::string::npos; ++l) {
        start = text.find('\n', start);
        if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos) return fmt::format("{} has fewer than {} lines", name, line);
    const size_t end = text.find('\n', start);
    text.replace(start, end == std::string::npos ? std::string::npos : end - start, spec.substr(second + 1));
    SourceOverrides edited = sim.sourceOverrides();
    edited[path] = text;
    sim.reloadWithSources(edited);
    return "";
}

}  // namespace ringsim::gui
