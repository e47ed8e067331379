// Reading a sweep grid (sweep_grid.h) with the scenario loader's walk, so a
// mistake reads like one in a scenario: "file:line: key: problem".
#include "scenario/sweep_grid.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "cpu-model/costs.h"
#include "machine/errors.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_words.h"

namespace ringsim {

namespace {

using namespace scenario_detail;  // the loader's walk, its words and its limits

// A list of at least one item (a single text counts as a list of one).
std::vector<Value> nonEmptyList(const Loader& loader, const Value& v, std::string_view what) {
    std::vector<Value> items = v.node.IsScalar() ? std::vector<Value>{v} : loader.list(v);
    if (items.empty()) loader.fail(v, fmt::format("lists no {}; a sweep needs at least one", what));
    return items;
}

template <typename T>
void refuseTwice(const Loader& loader, const std::vector<T>& seen, const T& item, const Value& v) {
    if (std::find(seen.begin(), seen.end(), item) != seen.end())
        loader.fail(v, fmt::format("{} is listed twice", quote(fmt::format("{}", item))));
}

Scenario scenarioAt(const Loader& loader, const Value& v, const std::filesystem::path& folder) {
    const std::string given = loader.text(v);
    const std::string file = scenario_detail::findScenarioFile(given, folder);
    if (file.empty())
        loader.fail(v, fmt::format("unknown scenario {} (looked beside the grid, in {}, and among the bundled "
                                   "scenarios)",
                                   quote(given), folder.string()));
    try {
        return loadScenario(file);
    } catch (const InputError& e) {
        loader.fail(v, fmt::format("the scenario does not load: {}", e.what()));
    }
}

// A cost's values: one number, a list, or a range {from, to, step} (to included).
std::vector<uint64_t> costValues(const Loader& loader, const Value& v) {
    if (v.node.IsMap()) {
        const Fields range(loader, v, {"from", "to", "step"});
        const uint64_t from = loader.whole(range.require("from"), 0, scenario_detail::kMaxCostCycles);
        const uint64_t to = loader.whole(range.require("to"), 0, scenario_detail::kMaxCostCycles);
        uint64_t step = 1;
        if (auto s = range.get("step")) step = loader.whole(*s, 1, scenario_detail::kMaxCostCycles);
        if (from > to) loader.fail(v, fmt::format("is an empty range: from {} is above to {}", from, to));
        if ((to - from) / step + 1 > scenario_detail::kMaxSweepPoints)
            loader.fail(v, fmt::format("has {} values; a sweep holds at most {} points", (to - from) / step + 1,
                                       scenario_detail::kMaxSweepPoints));
        std::vector<uint64_t> values;
        for (uint64_t x = from; x <= to; x += step) values.push_back(x);
        return values;
    }
    std::vector<uint64_t> values;
    for (const Value& item : nonEmptyList(loader, v, "value")) {
        const uint64_t x = loader.whole(item, 0, scenario_detail::kMaxCostCycles);
        refuseTwice(loader, values, x, item);
        values.push_back(x);
    }
    return values;
}

// FNV-1a, 64 bits: any changed byte of what the grid runs changes the digest.
struct Digest {
    uint64_t h = 14695981039346656037ull;
    void add(std::string_view bytes) {
        for (const unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull;  // ends each part, so "ab"+"c" differs from "a"+"bc"
    }
};

std::string digestOf(const SweepGrid& grid) {
    Digest d;
    d.add(fmt::format("{}", grid.size()));
    for (const auto& s : grid.scenarios) {
        d.add(s.name);
        d.add(scenario_detail::readInputFile(s.path));
        d.add(scenario_detail::readInputFile(s.guests.kernel));
        for (const auto& p : s.guests.programs) d.add(scenario_detail::readInputFile(p));
    }
    for (const Mode m : grid.modes) d.add(modeName(m));
    for (const auto& p : grid.presets) d.add(p);
    for (const auto& axis : grid.costs) {
        d.add(axis.name);
        for (const uint64_t v : axis.values) d.add(fmt::format("{}", v));
    }
    return fmt::format("{:016x}", d.h);
}

}  // namespace

size_t SweepGrid::size() const {
    size_t n = scenarios.size() * modes.size() * std::max<size_t>(presets.size(), 1);
    for (const auto& axis : costs) n *= axis.values.size();
    return n;
}

SweepPoint SweepGrid::point(size_t index) const {
    SweepPoint p;
    p.index = index;
    // Mixed radix, the mode the fastest digit and the scenario the slowest.
    size_t rest = index;
    p.mode = modes[rest % modes.size()];
    rest /= modes.size();
    std::vector<size_t> picks(costs.size());
    for (size_t a = costs.size(); a-- > 0;) {
        picks[a] = rest % costs[a].values.size();
        rest /= costs[a].values.size();
    }
    const size_t presetCount = std::max<size_t>(presets.size(), 1);
    const size_t preset = rest % presetCount;
    p.scenario = rest / presetCount;
    p.preset = presets.empty() ? scenarios[p.scenario].machine.preset : presets[preset];
    for (size_t a = 0; a < costs.size(); ++a) p.costs.emplace_back(costs[a].name, costs[a].values[picks[a]]);
    return p;
}

SweepGrid parseSweepGrid(const std::string& text, const std::string& path) {
    Loader loader(path);
    const YAML::Node root = loader.document(text, "the grid is empty; it needs at least scenarios: and modes:");
    SweepGrid grid{path, {}, {}, {}, {}, {}};
    try {
        // Fields refuses a top level that is not a map, with its line.
        const Fields f(loader, Value{root, "", 1}, {"scenarios", "modes", "presets", "costs"});
        for (const Value& v : nonEmptyList(loader, f.require("scenarios", "the scenario files to run"), "scenario")) {
            Scenario s = scenarioAt(loader, v, loader.folder());
            for (const auto& other : grid.scenarios)
                if (other.path == s.path) loader.fail(v, fmt::format("{} is listed twice", quote(loader.text(v))));
            grid.scenarios.push_back(std::move(s));
        }
        const Value modes = f.require("modes", "the modes to run (a list, or all)");
        if (modes.node.IsScalar() && modes.node.Scalar() == "all") {
            grid.modes = allModes();
        } else {
            for (const Value& v : nonEmptyList(loader, modes, "mode")) {
                const Mode m = loader.mode(v);
                refuseTwice(loader, grid.modes, m, v);
                grid.modes.push_back(m);
            }
        }
        if (auto presets = f.get("presets"))
            for (const Value& v : nonEmptyList(loader, *presets, "preset")) {
                const std::string p = loader.preset(v);
                refuseTwice(loader, grid.presets, p, v);
                grid.presets.push_back(p);
            }
        if (auto costs = f.get("costs")) {
            const Fields axes(loader, *costs, scenario_detail::costNames());
            Costs scratch = presets().front().costs;
            for (const auto& [name, value] : axes.entries()) {
                SweepCostAxis axis{name, costValues(loader, value)};
                for (const uint64_t v : axis.values)
                    if (auto error = applyCostOverride(scratch, name, std::to_string(v))) loader.fail(value, *error);
                grid.costs.push_back(std::move(axis));
            }
        }
    } catch (const YAML::Exception& e) {
        loader.fail(e.mark.is_null() ? 0 : e.mark.line + 1, "", "YAML: " + e.msg);
    }
    // Counted without overflow: each factor is checked against what is left.
    size_t points = 1;
    auto times = [&](size_t n) {
        if (n != 0 && points > scenario_detail::kMaxSweepPoints / n)
            loader.fail(1, "", fmt::format("the grid has more than {} points; split it into several grids",
                                           scenario_detail::kMaxSweepPoints));
        points *= n;
    };
    times(grid.scenarios.size());
    times(grid.modes.size());
    times(std::max<size_t>(grid.presets.size(), 1));
    for (const auto& axis : grid.costs) times(axis.values.size());
    grid.digest = digestOf(grid);
    return grid;
}

SweepGrid loadSweepGrid(const std::string& path) {
    return parseSweepGrid(scenario_detail::readInputFile(path), path);
}

}  // namespace ringsim
