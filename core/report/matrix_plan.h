// What runMatrix and SlicedMatrix share (matrix.cpp, sliced_matrix.cpp): the
// runs a matrix needs, in a fixed order, with every scenario assembled; how
// one run is set up; and the cells made of the finished runs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "report/matrix.h"
#include "scenario/scenario_images.h"

namespace ringsim::matrix_plan {

// One run the matrix needs.
struct Job {
    size_t scenario = 0;
    Mode mode = Mode::Native;
    std::string preset;
    bool singleInstance = false;  // the native one-instance reference for consoles
    std::optional<RunResult> result;
    std::string error;
};

struct Plan {
    std::vector<std::vector<Mode>> modesOf;            // per scenario
    std::vector<std::vector<std::string>> presetsOf;   // per scenario
    std::vector<std::shared_ptr<const ScenarioImages>> images;  // per scenario (shared where the sources are)
    std::vector<Job> jobs;                             // in the order cellsOf reads them
};

// Assembles everything first (errors surface before any run): throws InputError as the loader does.
Plan planMatrix(const std::vector<Scenario>& scenarios, const MatrixRequest& request);
// The options `job` runs with.
RunOptions optionsFor(const Job& job, const std::vector<Scenario>& scenarios);
// The cells of the finished runs, in the order runMatrix gives them.
std::vector<MatrixCell> cellsOf(const Plan& plan, const std::vector<Scenario>& scenarios);

}  // namespace ringsim::matrix_plan
