#include "report/sliced_matrix.h"

#include "machine/errors.h"
#include "report/matrix_plan.h"
#include "run/session.h"

namespace ringsim {

namespace {
// Simulated cycles between two looks at the clock: well under a millisecond of the interpreter's time.
constexpr uint64_t kSliceCycles = 20'000;
}  // namespace

struct SlicedMatrix::Running {
    matrix_plan::Job* job = nullptr;
    std::unique_ptr<Session> session;
};

SlicedMatrix::SlicedMatrix(std::vector<Scenario> scenarios, MatrixRequest request)
    : scenarios_(std::move(scenarios)), request_(std::move(request)),
      plan_(std::make_unique<matrix_plan::Plan>(matrix_plan::planMatrix(scenarios_, request_))) {}

SlicedMatrix::~SlicedMatrix() = default;

bool SlicedMatrix::done() const { return !running_ && next_ >= plan_->jobs.size(); }

void SlicedMatrix::startNextRun() {
    matrix_plan::Job& job = plan_->jobs[next_++];
    try {
        auto session = std::make_unique<Session>(plan_->images[job.scenario]->forMode(job.mode),
                                                 matrix_plan::optionsFor(job, scenarios_));
        running_ = std::make_unique<Running>(Running{&job, std::move(session)});
    } catch (const InputError& e) {
        job.error = e.what();
        if (request_.progress) request_.progress(job.mode, next_, plan_->jobs.size());
    }
}

bool SlicedMatrix::workUntil(std::chrono::steady_clock::time_point deadline) {
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        if (!running_) {
            startNextRun();
            continue;
        }
        matrix_plan::Job& job = *running_->job;
        Session& session = *running_->session;
        try {
            session.run(session.machine().cpu.account.now + kSliceCycles);
            if (!session.finished()) continue;
            job.result = session.result();
        } catch (const InputError& e) {
            job.error = e.what();
        }
        running_.reset();
        if (request_.progress) request_.progress(job.mode, next_, plan_->jobs.size());
    }
    return done();
}

std::vector<MatrixCell> SlicedMatrix::cells() const { return matrix_plan::cellsOf(*plan_, scenarios_); }

}  // namespace ringsim
