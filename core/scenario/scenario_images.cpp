#include "scenario/scenario_images.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

#include "machine/errors.h"
#include "monitors/monitor.h"

namespace ringsim {

namespace {

bool scenarioNeedsParavirt(const std::vector<Mode>& modes) {
    for (Mode m : modes)
        if (modeInfo(m).needsParavirtKernel) return true;
    return false;
}

}  // namespace

ScenarioImages::ScenarioImages(const Scenario& scenario)
    : unmodified_(assembleGuest(scenario.sourcesFor(Mode::Native))) {
    if (scenarioNeedsParavirt(scenario.modes)) paravirtual_ = assembleGuest(scenario.sourcesFor(Mode::Paravirt));
}

ScenarioImages::ScenarioImages(GuestImages unmodified, std::optional<GuestImages> paravirtual)
    : unmodified_(std::move(unmodified)), paravirtual_(std::move(paravirtual)) {}

ScenarioImages::ScenarioImages(const Scenario& scenario, const SourceOverrides& edited) {
    ScenarioBuild build = buildScenarioImages(scenario, edited);
    if (!build.images) {
        throw InputError(assembler::diagnosticsText(build.errors));
    }
    *this = std::move(*build.images);
}

ScenarioBuild buildScenarioImages(const Scenario& scenario, const SourceOverrides& edited) {
    ScenarioBuild out;
    GuestBuild unmodified = buildGuest(scenario.sourcesFor(Mode::Native), edited);
    std::optional<GuestBuild> paravirtual;
    if (scenarioNeedsParavirt(scenario.modes)) paravirtual = buildGuest(scenario.sourcesFor(Mode::Paravirt), edited);
    auto keep = [&out](const std::vector<assembler::Diagnostic>& errors) {
        for (const auto& d : errors) {
            const bool seen = std::any_of(out.errors.begin(), out.errors.end(), [&](const assembler::Diagnostic& o) {
                return o.file == d.file && o.line == d.line && o.column == d.column && o.message == d.message;
            });
            if (!seen) out.errors.push_back(d);
        }
    };
    keep(unmodified.errors);
    if (paravirtual) keep(paravirtual->errors);
    if (!out.errors.empty()) return out;
    std::optional<GuestImages> pv;
    if (paravirtual) pv = std::move(*paravirtual->images);
    out.images = std::make_unique<ScenarioImages>(std::move(*unmodified.images), std::move(pv));
    return out;
}

const GuestImages& ScenarioImages::forMode(Mode mode) const {
    if (!modeInfo(mode).needsParavirtKernel) return unmodified_;
    if (!paravirtual_) throw InputError(fmt::format("{}: the paravirtual build was not assembled", mode));
    return *paravirtual_;
}

std::string bundledScenarioFolder() {
    if (const char* env = std::getenv("RINGSIM_SCENARIOS"); env && *env) return env;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto beside = exe.parent_path().parent_path().parent_path() / "scenarios";  // build/bin/ringsim
        if (std::filesystem::is_directory(beside, ec)) return beside.string();
    }
    return std::string(RINGSIM_DATA_DIR) + "/scenarios";
}

}  // namespace ringsim
