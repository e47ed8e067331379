// A scenario's guest software assembled for the modes it runs in, and where
// the bundled scenarios live.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "machine/guest.h"
#include "machine/source_edit.h"
#include "scenario/scenario.h"

namespace ringsim {

// A scenario's guest software, assembled once: the unmodified build and, for
// the paravirtual mode, the PARAVIRT=1 build of the same sources.
class ScenarioImages {
public:
    explicit ScenarioImages(const Scenario& scenario);
    // With edited sources in place of the files they name; throws InputError
    // with every diagnostic.
    ScenarioImages(const Scenario& scenario, const SourceOverrides& edited);
    // From builds already made (see buildScenarioImages).
    ScenarioImages(GuestImages unmodified, std::optional<GuestImages> paravirtual);
    const GuestImages& forMode(Mode mode) const;

private:
    GuestImages unmodified_;
    std::optional<GuestImages> paravirtual_;
};

// A scenario's guest assembled with edited sources: the images, or every
// diagnostic (each once, though both builds may report it).
struct ScenarioBuild {
    std::unique_ptr<ScenarioImages> images;
    std::vector<assembler::Diagnostic> errors;
};
ScenarioBuild buildScenarioImages(const Scenario& scenario, const SourceOverrides& edited);

// The folder of the bundled scenarios: $RINGSIM_SCENARIOS, else scenarios/
// beside the build's bin/ folder's parent, else the source tree's.
std::string bundledScenarioFolder();

}  // namespace ringsim
