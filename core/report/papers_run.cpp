// Running a paper: each benchmark becomes scenarios made on the spot (one
// per size of the work and per paging), all of them go through runMatrix
// at once, and each column's figure is read from the runs' counters.
//
// Per-operation figures take the difference of two runs, with N and 2N
// iterations, over N operations: boot, process start-up and shutdown are the
// same in both runs and cancel, so they never pollute a per-op figure.
#include "report/papers.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "report/matrix.h"
#include "scenario/scenario_images.h"

namespace ringsim {

namespace {

// The scenarios of one benchmark: a size (1 = N, 2 = 2N) and a paging each.
struct BenchmarkRun {
    size_t benchmark = 0;
    uint32_t size = 1;
    std::string paging;
};

// A scenario's unique name: how its cells are found again.
std::string runName(const Paper& paper, size_t benchmark, uint32_t size, const std::string& paging) {
    return fmt::format("{}#{}x{}/{}", paper.name, benchmark, size, paging);
}

Scenario scenarioFor(const Paper& paper, const PaperBenchmark& bench, const BenchmarkRun& run) {
    const std::filesystem::path root = bundledScenarioFolder();
    auto resolve = [&](const std::string& path) { return (root / path).string(); };  // an absolute path stays
    Scenario s;
    s.name = runName(paper, run.benchmark, run.size, run.paging);
    s.path = resolve(bench.workload.kernel);
    s.title = paper.name + ": " + bench.name;
    s.machine.preset = paper.preset;
    s.machine.paging = run.paging;
    s.guests.kernel = resolve(bench.workload.kernel);
    for (const auto& program : bench.workload.programs) s.guests.programs.push_back(resolve(program));
    s.guests.defines = bench.workload.defines;
    if (!bench.workload.iterationsDefine.empty())
        s.guests.defines[bench.workload.iterationsDefine] = int64_t(bench.workload.iterations) * run.size;
    s.guests.includeDirs = {resolve("guests")};
    s.guests.instances = bench.workload.instances;
    for (const PaperColumn& c : paper.columns)
        if (c.paging == run.paging && c.mode != Mode::Native) s.modes.push_back(c.mode);
    s.modes.insert(s.modes.begin(), Mode::Native);
    s.defaultMode = Mode::Native;
    return s;
}

const MatrixCell* findCell(const std::vector<MatrixCell>& cells, const std::string& scenario, Mode mode) {
    for (const MatrixCell& c : cells)
        if (c.scenario->name == scenario && c.mode == mode) return &c;
    return nullptr;
}

// Why a run gives no figure; empty if it gives one.
std::string runFailure(const MatrixCell* cell) {
    if (!cell) return "did not run";
    if (!cell->result) return cell->error.empty() ? "did not run" : cell->error;
    const RunResult& r = *cell->result;
    if (!r.succeeded())
        return fmt::format("the guest did not halt cleanly: {}{}{}", stopReasonName(r.stopReason),
                           r.stopMessage.empty() ? "" : ": ", r.stopMessage);
    if (r.console.find("FAILED") != std::string::npos) return "the workload reported FAILED";
    return {};
}

struct Measured {
    std::optional<double> value;
    std::string failure;
};

Measured measure(const PaperBenchmark& bench, const MatrixCell* once, const MatrixCell* twice) {
    if (std::string why = runFailure(once); !why.empty()) return {std::nullopt, why};
    const RunResult& r = *once->result;
    switch (bench.metric) {
        case PaperMetric::CyclesPerOp: {
            if (std::string why = runFailure(twice); !why.empty()) return {std::nullopt, why};
            const double ops = bench.workload.iterations * bench.workload.opsPerIteration;
            return {(double(twice->result->totalCycles) - double(r.totalCycles)) / ops, {}};
        }
        case PaperMetric::CyclesPerRun: return {double(r.totalCycles), {}};
        case PaperMetric::StartUpCycles:
            if (!r.footprint.startupCycles) return {std::nullopt, "no instance printed anything"};
            return {double(*r.footprint.startupCycles), {}};
        case PaperMetric::PagesPerInstance:
            return {double(r.footprint.pages) / std::max<uint32_t>(r.instances, 1), {}};
    }
    return {};
}

}  // namespace

std::vector<PaperCell> runPaper(const Paper& paper, const PaperRequest& request) {
    std::vector<BenchmarkRun> runs;
    std::vector<std::string> pagings;
    for (const PaperColumn& c : paper.columns)
        if (std::find(pagings.begin(), pagings.end(), c.paging) == pagings.end()) pagings.push_back(c.paging);
    for (size_t b = 0; b < paper.benchmarks.size(); ++b) {
        const uint32_t sizes = paper.benchmarks[b].metric == PaperMetric::CyclesPerOp ? 2 : 1;
        for (uint32_t size = 1; size <= sizes; ++size)
            for (const auto& paging : pagings)
                runs.push_back({b, size, paging});
    }
    std::vector<Scenario> scenarios;
    for (const BenchmarkRun& run : runs) scenarios.push_back(scenarioFor(paper, paper.benchmarks[run.benchmark], run));
    MatrixRequest matrix;
    matrix.jobs = request.jobs;
    const std::vector<MatrixCell> results = runMatrix(scenarios, matrix);

    std::vector<PaperCell> cells;
    for (size_t b = 0; b < paper.benchmarks.size(); ++b) {
        const PaperBenchmark& bench = paper.benchmarks[b];
        auto measureColumn = [&](const PaperColumn& column) {
            return measure(bench, findCell(results, runName(paper, b, 1, column.paging), column.mode),
                           findCell(results, runName(paper, b, 2, column.paging), column.mode));
        };
        const PaperColumn& baseline = paper.columns.front();
        const Measured native = measureColumn(baseline);
        for (size_t c = 0; c < paper.columns.size(); ++c) {
            PaperCell cell;
            cell.paper = paper.name;
            cell.benchmark = bench.name;
            cell.column = paper.columns[c];
            cell.preset = paper.preset;
            cell.metric = bench.metric;
            cell.paperUnit = bench.paperUnit;
            if (c < bench.figures.size()) cell.paperFigure = bench.figures[c];
            cell.note = bench.note;
            const Measured m = c == 0 ? native : measureColumn(paper.columns[c]);
            cell.value = m.value;
            if (!m.value)
                cell.failure = m.failure;
            else if (!native.value)
                cell.failure = fmt::format("{} failed: {}", baseline.label, native.failure);
            else if (*native.value > 0)
                cell.ratioToNative = *m.value / *native.value;
            cells.push_back(std::move(cell));
        }
    }
    return cells;
}

}  // namespace ringsim
