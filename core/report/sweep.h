// Sweeps: a grid's points (scenario/sweep_grid.h) run on the comparison
// matrix's threads, one JSON line per point, in shares that run on several
// machines and merge back into exactly what one process gives
// (docs/batch.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/sweep_grid.h"

namespace ringsim {

// The K-th of N shares: point i belongs to share i mod N + 1.
struct SweepShard {
    size_t k = 1;
    size_t n = 1;
};
// "K/N" as --shard gives it; InputError unless 1 <= K <= N.
SweepShard parseSweepShard(const std::string& text);
std::vector<size_t> pointsOfShard(size_t points, SweepShard shard);

// One line per point: index, scenario, mode, preset and cost overrides, in the fixed order.
std::string sweepListing(const SweepGrid& grid, const std::vector<size_t>& points);

// Runs the points (ascending indices) on `jobs` threads (0: every core).
// Each comes back as one JSON line (no newline): the run as compare's JSON
// gives it (its overhead against native with the same preset and costs),
// plus point, grid_points, grid_digest and cost_overrides. The text of a
// point does not depend on the threads or the share it ran in.
std::vector<std::string> runSweep(const SweepGrid& grid, const std::vector<size_t>& points, unsigned jobs);

// Points' lines (ascending indices) as `format`: jsonl (the lines), json (an
// array) or csv (a header of every field, nested ones as a.b, then a row per
// point). InputError for another format.
std::string sweepTable(const std::vector<std::string>& lines, std::string_view format);

// Shard outputs (file name, text) combined into one table ordered by point:
// byte for byte what the whole grid gives in one process. InputError, naming
// the files, for shards of different grids, a point missing or given twice,
// or a line that is not a sweep's.
std::string mergeSweeps(const std::vector<std::pair<std::string, std::string>>& files, std::string_view format);

}  // namespace ringsim
