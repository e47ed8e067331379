#include "guest.h"

#include <filesystem>

#include "errors.h"

namespace ringsim {

GuestImages assembleGuest(const GuestSources& sources) {
    GuestImages images;
    std::string errors;
    assembler::Options options;
    options.defines = sources.defines;
    auto assembleOne = [&](const std::string& path) -> std::optional<assembler::Program> {
        auto result = assembler::assembleFile(path, options);
        if (!result.ok()) {
            errors += result.errorText();
            if (!errors.empty() && errors.back() != '\n') errors += '\n';
            return std::nullopt;
        }
        return std::move(*result.program);
    };
    if (auto kernel = assembleOne(sources.kernel)) images.kernel = std::move(*kernel);
    if (sources.programs.size() > bootinfo::kMaxPrograms)
        errors += "too many user programs (the boot protocol passes at most 32)\n";
    for (const auto& path : sources.programs) {
        if (auto program = assembleOne(path)) {
            images.programs.push_back(std::move(*program));
            images.programNames.push_back(std::filesystem::path(path).filename().string());
        }
    }
    if (!errors.empty()) {
        errors.pop_back();
        throw InputError(errors);
    }
    return images;
}

}  // namespace ringsim
