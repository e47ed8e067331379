// `ringsim sweep GRID.yaml` and `ringsim merge FILES...`: a grid of runs in
// shares across machines, and the shares combined (core/report/sweep.h,
// docs/batch.md). Exit codes as the other commands: 0 success, 2 bad input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ringsim::cli {

struct SweepArgs {
    std::string grid;
    bool list = false;     // print the points instead of running them
    std::string shard;     // "K/N"; empty: every point
    unsigned jobs = 0;     // 0: every core
    std::string format = "jsonl";  // jsonl | json | csv
};
CLI::App* addSweepCommand(CLI::App& app, SweepArgs& args);
int sweepCommand(const SweepArgs& args, std::ostream& out, std::ostream& err);

struct MergeArgs {
    std::vector<std::string> files;
    std::string format = "json";  // json | csv | jsonl
};
CLI::App* addMergeCommand(CLI::App& app, MergeArgs& args);
int mergeCommand(const MergeArgs& args, std::ostream& out, std::ostream& err);

}  // namespace ringsim::cli
