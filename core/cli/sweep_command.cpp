// `ringsim sweep` and `ringsim merge` (sweep_command.h).
#include "cli/sweep_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

#include "machine/errors.h"
#include "report/sweep.h"
#include "scenario/scenario_loader.h"

namespace ringsim::cli {

CLI::App* addSweepCommand(CLI::App& app, SweepArgs& args) {
    auto* cmd = app.add_subcommand("sweep", "run a grid of scenarios x modes x presets x cost values, one JSON line "
                                            "per point, in shares across machines (docs/batch.md)");
    cmd->add_option("GRID", args.grid, "the grid (.yaml): scenarios, modes, presets, costs")->required();
    cmd->add_flag("--list", args.list, "print the points (index, scenario, mode, preset, costs) instead of running");
    cmd->add_option("--shard", args.shard, "K/N: run only the K-th of N shares (point i is in share i mod N + 1)");
    cmd->add_option("--jobs,-j", args.jobs, "threads (default: every core); results do not depend on it");
    cmd->add_option("--format", args.format, "jsonl (a line per point, for merge), json or csv")->capture_default_str();
    return cmd;
}

int sweepCommand(const SweepArgs& args, std::ostream& out, std::ostream& err) {
    try {
        sweepTable({}, args.format);  // an unknown format is refused before anything runs
        const SweepGrid grid = loadSweepGrid(args.grid);
        std::vector<size_t> points;
        if (args.shard.empty()) {
            points = pointsOfShard(grid.size(), {});
        } else {
            points = pointsOfShard(grid.size(), parseSweepShard(args.shard));
        }
        if (args.list) {
            out << sweepListing(grid, points);
            return 0;
        }
        out << sweepTable(runSweep(grid, points, args.jobs), args.format);
        return 0;
    } catch (const InputError& e) {
        err << e.what() << "\n";
        return 2;
    }
}

CLI::App* addMergeCommand(CLI::App& app, MergeArgs& args) {
    auto* cmd = app.add_subcommand("merge", "combine the shares of one sweep into one table ordered by point, as "
                                            "the whole sweep gives it in one process");
    cmd->add_option("FILES", args.files, "the shares' outputs (ringsim sweep --shard K/N, JSON lines)")->required();
    cmd->add_option("--format", args.format, "json, csv or jsonl")->capture_default_str();
    return cmd;
}

int mergeCommand(const MergeArgs& args, std::ostream& out, std::ostream& err) {
    try {
        std::vector<std::pair<std::string, std::string>> files;
        for (const auto& f : args.files) files.emplace_back(f, scenario_detail::readInputFile(f));
        out << mergeSweeps(files, args.format);
        return 0;
    } catch (const InputError& e) {
        err << e.what() << "\n";
        return 2;
    }
}

}  // namespace ringsim::cli
