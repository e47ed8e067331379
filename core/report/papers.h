// The literature's experiments run in ringsim, beside the papers' own
// figures: `ringsim paper NAME` and docs/papers.md. A paper is data (the
// table in papers_table.cpp); running it is runPaper; which of issue 15's
// targets hold is paperTargets; the formats are in papers_format.cpp.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "monitors/modes.h"

namespace ringsim {

// What a benchmark's figure is.
enum class PaperMetric {
    CyclesPerOp,       // total cycles with 2N iterations minus with N, over N ops: start-up cancels
    CyclesPerRun,      // a fixed workload (a macro benchmark), whole
    StartUpCycles,     // cycles until the last instance printed its first output (per run)
    PagesPerInstance,  // physical pages in use at the end, over the instances
};

// The guest a benchmark runs. Paths are relative to the bundled scenarios
// folder (or absolute); `iterationsDefine` scales the work for CyclesPerOp.
struct PaperWorkload {
    std::string kernel = "guests/kernel.s";
    std::vector<std::string> programs;
    std::map<std::string, int64_t> defines;
    std::string iterationsDefine = "ITERS";
    uint32_t iterations = 100;       // N (CyclesPerOp runs N and 2N)
    double opsPerIteration = 1;      // e.g. 2 context switches per yield round of two processes
    uint32_t instances = 1;          // VMs, containers or processes side by side
};

// A figure the paper gives for one column: a value in the paper's unit,
// and/or a ratio to native (time, so a slowdown is > 1). Empty where the
// paper gives none.
struct PaperFigure {
    std::optional<double> value;
    std::optional<double> ratioToNative;
};

// One column of a paper's table: a mode, and for hw-assist the paging it used.
struct PaperColumn {
    Mode mode = Mode::Native;
    std::string paging = "auto";
    std::string label;  // "native", "hw-assist (shadow)"
};

struct PaperBenchmark {
    std::string name;
    PaperWorkload workload;
    PaperMetric metric = PaperMetric::CyclesPerOp;
    std::string paperUnit;             // "cycles", "s", "tuples/s"; empty if the paper gives no value
    std::vector<PaperFigure> figures;  // one per column of the paper (missing ones: none)
    std::string note;                  // where ringsim cannot yet run it faithfully, or where a figure came from
};

struct Paper {
    std::string name;       // as typed: "adams-agesen-2006"
    std::string citation;   // authors, title, venue, year, table
    std::string preset;
    std::vector<PaperColumn> columns;  // the first is the baseline ratios are taken against
    std::vector<PaperBenchmark> benchmarks;
};

// The bundled papers, in the order `--list` prints them.
const std::vector<Paper>& bundledPapers();
// "adams-agesen-2006, barham-2003, ...", for messages.
std::string knownPaperNames();
// The paper named so; throws InputError naming the known ones.
const Paper& paperNamed(const std::string& name);

// One cell: a benchmark in one column, as measured, beside the paper.
struct PaperCell {
    std::string paper;
    std::string benchmark;
    PaperColumn column;
    std::string preset;
    PaperMetric metric = PaperMetric::CyclesPerOp;
    std::optional<double> value;          // empty if the run failed
    std::optional<double> ratioToNative;  // empty if either run failed
    PaperFigure paperFigure;
    std::string paperUnit;
    std::string note;     // the benchmark's note
    std::string failure;  // why there is no value or no ratio; empty if there is both
};

struct PaperRequest {
    unsigned jobs = 0;  // threads; 0 = every core
};

// Runs every benchmark of `paper` in every column; cells in table order
// (benchmark, column). Throws InputError if a workload does not assemble.
std::vector<PaperCell> runPaper(const Paper& paper, const PaperRequest& request = {});

// One of issue 15's targets (item 2): whether it holds on these cells.
struct PaperTarget {
    std::string paper;
    std::string claim;
    bool holds = false;
    std::string measured;  // the figures it was judged on
};
// The targets that concern `paper` (none if it has none).
std::vector<PaperTarget> paperTargets(const Paper& paper, const std::vector<PaperCell>& cells);

std::string_view paperMetricName(PaperMetric metric);  // "cycles/op", "cycles", "pages/instance"

// The formats of `ringsim paper`: a table per paper (text), a row per cell
// (csv), an array of cells (json).
struct PaperRun {
    const Paper* paper = nullptr;
    std::vector<PaperCell> cells;
    std::vector<PaperTarget> targets;
};
void writePapersText(const std::vector<PaperRun>& runs, std::ostream& out);
void writePapersCsv(const std::vector<PaperRun>& runs, std::ostream& out);
void writePapersJson(const std::vector<PaperRun>& runs, std::ostream& out);
// The targets alone, in `format` (text, csv or json: an array of {paper, claim, holds, measured}).
void writePaperTargets(const std::vector<PaperRun>& runs, const std::string& format, std::ostream& out);

}  // namespace ringsim
