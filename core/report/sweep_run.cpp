// Running a sweep's points: each (scenario, preset, cost values) becomes one
// scenario of the comparison matrix with those costs as its own, so
// runMatrix's threads, native baseline and overhead serve the sweep as they
// serve compare.
#include "report/sweep.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

#include "machine/errors.h"
#include "report/compare.h"
#include "report/json_text.h"
#include "report/matrix.h"

namespace ringsim {

SweepShard parseSweepShard(const std::string& text) {
    SweepShard shard;
    const size_t slash = text.find('/');
    auto number = [](std::string_view s, size_t& out) {
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && end == s.data() + s.size() && !s.empty();
    };
    if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), shard.k) ||
        !number(std::string_view(text).substr(slash + 1), shard.n))
        throw InputError(fmt::format("--shard {}: expects K/N, the K-th of N shares (e.g. 2/3)", text));
    if (shard.n == 0) throw InputError(fmt::format("--shard {}: N must be at least 1", text));
    if (shard.k < 1 || shard.k > shard.n)
        throw InputError(fmt::format("--shard {}: K must be from 1 to {} (shares are counted from 1)", text, shard.n));
    return shard;
}

std::vector<size_t> pointsOfShard(size_t points, SweepShard shard) {
    std::vector<size_t> mine;
    for (size_t i = shard.k - 1; i < points; i += shard.n) mine.push_back(i);
    return mine;
}

namespace {

std::string overridesText(const SweepPoint& p) {
    std::string out;
    for (const auto& [name, value] : p.costs) out += fmt::format(" {}={}", name, value);
    return out;
}

}  // namespace

std::string sweepListing(const SweepGrid& grid, const std::vector<size_t>& points) {
    std::string out;
    for (const size_t i : points) {
        const SweepPoint p = grid.point(i);
        out += fmt::format("{} {} {} {}{}\n", i, grid.scenarios[p.scenario].name, p.mode, p.preset, overridesText(p));
    }
    return out;
}

std::vector<std::string> runSweep(const SweepGrid& grid, const std::vector<size_t>& points, unsigned jobs) {
    // Points that differ only in mode are one scenario of the matrix (the
    // mode is the fastest digit of an index), so they share its native run.
    std::vector<Scenario> variants;
    std::vector<SweepPoint> runs;
    size_t lastVariant = SIZE_MAX;
    for (const size_t i : points) {
        const SweepPoint p = grid.point(i);
        const size_t variant = i / grid.modes.size();
        if (variant != lastVariant) {
            Scenario s = grid.scenarios[p.scenario];
            s.machine.preset = p.preset;
            for (const auto& [name, value] : p.costs) s.machine.costOverrides.push_back(fmt::format("{}={}", name, value));
            s.modes.clear();
            variants.push_back(std::move(s));
            lastVariant = variant;
        }
        variants.back().modes.push_back(p.mode);
        runs.push_back(p);
    }
    MatrixRequest request;
    request.jobs = jobs;
    const std::vector<MatrixCell> cells = runMatrix(variants, request);

    // The listed cells come back in the order of the points.
    std::vector<std::string> lines;
    size_t next = 0;
    for (const MatrixCell& cell : cells) {
        if (!cell.listed) continue;
        const SweepPoint& p = runs.at(next++);
        nlohmann::json j = cellJson(cell);
        j["point"] = p.index;
        j["grid_points"] = grid.size();
        j["grid_digest"] = grid.digest;
        nlohmann::json overrides = nlohmann::json::object();
        for (const auto& [name, value] : p.costs) overrides[name] = value;
        j["cost_overrides"] = overrides;
        lines.push_back(dumpJson(j, -1));
    }
    if (lines.size() != points.size())
        throw InputError(fmt::format("sweep: {} runs came back for {} points", lines.size(), points.size()));
    return lines;
}

}  // namespace ringsim
