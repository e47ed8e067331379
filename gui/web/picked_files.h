// Files a user picked in the browser arrive in one flat folder, without the
// folders their scenario names them by (guests/kernel.s, include/x.inc). This
// puts each where the files that name it look for it: a picked file of that
// name, else the bundled file at that place (a scenario written beside the
// bundled ones uses their guests), so the scenario then loads as on the desktop.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ringsim::gui::web {

struct PickedScenario {
    std::string scenario;             // the picked scenario's path in the folder; empty if none was picked
    std::vector<std::string> placed;  // the copies made, relative to the folder
};

// `folder`: the picked files; `bundled`: the bundled scenarios' folder.
PickedScenario arrangePickedFiles(const std::filesystem::path& folder, const std::filesystem::path& bundled);

}  // namespace ringsim::gui::web
