#include "machine/source_edit.h"

#include <filesystem>
#include <fstream>

namespace ringsim {

std::string GuestBuild::errorText() const { return assembler::diagnosticsText(errors); }

std::string normalSourcePath(const std::string& path) {
    return std::filesystem::path(path).lexically_normal().generic_string();
}

std::optional<std::string> writeSourceFile(const std::string& path, const std::string& text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) return "cannot open " + path + " for writing";
    file << text;
    file.flush();
    if (!file) return "writing " + path + " failed";
    return std::nullopt;
}

GuestBuild buildGuest(const GuestSources& sources, const SourceOverrides& edited) {
    SourceOverrides byNormalPath;
    for (const auto& [path, text] : edited) byNormalPath[normalSourcePath(path)] = text;
    assembler::Options options;
    options.defines = sources.defines;
    options.includeDirs = sources.includeDirs;
    options.readFile = [&byNormalPath](const std::string& path) -> std::optional<std::string> {
        if (auto it = byNormalPath.find(normalSourcePath(path)); it != byNormalPath.end()) return it->second;
        return readSourceFile(path);
    };
    GuestBuild build;
    GuestImages images;
    auto assembleOne = [&](const std::string& path) -> std::optional<assembler::Program> {
        auto result = assembler::assembleFile(path, options);
        if (!result.ok()) {
            build.errors.insert(build.errors.end(), result.errors.begin(), result.errors.end());
            return std::nullopt;
        }
        return std::move(*result.program);
    };
    if (auto kernel = assembleOne(sources.kernel)) images.kernel = std::move(*kernel);
    if (sources.programs.size() > bootinfo::kMaxPrograms)
        build.errors.push_back({sources.kernel, 0, 0, "too many user programs (the boot protocol passes at most 32)"});
    for (const auto& path : sources.programs) {
        if (auto program = assembleOne(path)) {
            images.programs.push_back(std::move(*program));
            images.programNames.push_back(std::filesystem::path(path).filename().string());
        }
    }
    if (build.errors.empty()) build.images = std::move(images);
    return build;
}

}  // namespace ringsim
