// The stage test: ringsim-gui follows a scenario's tour to its end under
// Xvfb with --print-stage, printing what the stage shows at each stop; the
// same tour followed headlessly (core's runTour) must give, stop by stop,
// the same picture from the stop's event receipt (stageAtStop).
//
//   ringsim_gui_stage_check XVFB_RUN RINGSIM_GUI SCENARIO SCREENSHOT
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lesson/stage.h"
#include "lesson/stage_cast.h"
#include "lesson/tour_run.h"
#include "scenario/scenario.h"

using namespace ringsim;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s XVFB_RUN RINGSIM_GUI SCENARIO SCREENSHOT\n", argv[0]);
        return 2;
    }
    const std::string xvfb = argv[1], gui = argv[2], path = argv[3], shot = argv[4];
    const Scenario scenario = loadScenario(path);
    if (!scenario.tour || scenario.tour->modes.empty()) {
        std::printf("%s has no tour: nothing to check\n", path.c_str());
        return 0;
    }
    const Mode mode = scenario.tour->modes.front();
    std::vector<std::string> expected;
    runTour(scenario, mode, [&](Session& session, const ReachedStop& stop) {
        StageView view = stageAtStop(session.machine().events, stop, session.machine().cpu.ring());
        surroundStage(view, session);
        expected.push_back(stageJson(view));
    });

    const std::string command = xvfb + " -a -s \"-screen 0 1280x800x24\" " + gui + " '" + path + "' --mode " +
                                std::string(modeName(mode)) + " --run-to-stop " + std::to_string(expected.size()) +
                                " --print-stage --screenshot '" + shot + "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        std::fprintf(stderr, "cannot run %s\n", command.c_str());
        return 1;
    }
    std::vector<std::string> printed;
    char buffer[8192];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
        std::string line(buffer);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        if (line.rfind("{\"event\":", 0) == 0) printed.push_back(line);
    }
    const int status = pclose(pipe);
    if (status != 0) {
        std::fprintf(stderr, "ringsim-gui exited with status %d\n", status);
        return 1;
    }
    int failures = 0;
    size_t cpuCompared = 0;
    if (printed.size() != expected.size()) {
        std::fprintf(stderr, "the window printed %zu stages, the tour has %zu stops\n", printed.size(), expected.size());
        ++failures;
    }
    for (size_t i = 0; i < std::min(printed.size(), expected.size()); ++i) {
        // The virtual CPU and where the VMs off stage wait are the session's as
        // it stands, so the window must pause where the headless tour pauses
        // (once it did not, a VM's slice later, at a stop at a VM's halt).
        auto window = nlohmann::json::parse(printed[i]), receipt = nlohmann::json::parse(expected[i]);
        if (window["virtual_cpu_at"] == receipt["virtual_cpu_at"]) ++cpuCompared;
        if (window != receipt) {
            std::fprintf(stderr, "stop %zu:\n  window: %s\n  receipt: %s\n", i + 1, printed[i].c_str(), expected[i].c_str());
            ++failures;
        }
    }
    if (failures) return 1;
    std::printf("ok: %zu stops of %s in %s, the stage as the receipts say, paused where the tour pauses (%zu)\n",
                expected.size(), path.c_str(), std::string(modeName(mode)).c_str(), cpuCompared);
    return 0;
}
