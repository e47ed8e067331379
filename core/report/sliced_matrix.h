// runMatrix's runs one after another, each cut into slices of simulated
// time, for a front end with no thread to spare: the web edition's frame loop
// works on it a few milliseconds a frame. The same cells in the same order
// with the same figures as runMatrix (a run cut into slices measures exactly
// what a whole one does).
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "report/matrix.h"

namespace ringsim {

namespace matrix_plan {
struct Plan;
}

class SlicedMatrix {
public:
    // Assembles every scenario now (throws InputError as runMatrix does);
    // runs nothing yet. `request.jobs` and `request.cancelled` are not used.
    SlicedMatrix(std::vector<Scenario> scenarios, MatrixRequest request);
    ~SlicedMatrix();
    SlicedMatrix(const SlicedMatrix&) = delete;
    SlicedMatrix& operator=(const SlicedMatrix&) = delete;

    // Runs slices until `deadline` has passed or every run is done (true then).
    bool workUntil(std::chrono::steady_clock::time_point deadline);
    bool done() const;
    // The cells, as runMatrix gives them; only once done().
    std::vector<MatrixCell> cells() const;

private:
    struct Running;
    void startNextRun();

    std::vector<Scenario> scenarios_;
    MatrixRequest request_;
    std::unique_ptr<matrix_plan::Plan> plan_;
    size_t next_ = 0;                   // the job to start next
    std::unique_ptr<Running> running_;  // the job being run, if any
};

}  // namespace ringsim
