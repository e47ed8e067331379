// A sweep grid: scenarios x presets x cost overrides x modes, read from YAML
// with the scenario loader's walk (messages "file:line: key: problem"). The
// grid is what `ringsim sweep` runs and shards (docs/batch.md); each point
// has a fixed index, so shards run on different machines merge back into
// exactly what one process gives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "monitors/modes.h"
#include "scenario/scenario.h"

namespace ringsim {

// One cost the grid varies, with its values in the order written.
struct SweepCostAxis {
    std::string name;  // a cost entry or insn.<mnemonic>, as in a scenario's machine.costs
    std::vector<uint64_t> values;
};

struct SweepPoint {
    size_t index = 0;
    size_t scenario = 0;  // into SweepGrid::scenarios
    Mode mode = Mode::Native;
    std::string preset;
    std::vector<std::pair<std::string, uint64_t>> costs;  // one value of each axis, in the grid's order
};

struct SweepGrid {
    std::string path;
    std::vector<Scenario> scenarios;
    std::vector<Mode> modes;
    std::vector<std::string> presets;  // empty: each scenario's own
    std::vector<SweepCostAxis> costs;
    // Names the grid and what it runs (the points, the scenario files and
    // their guest sources), so merge can refuse shards of different grids.
    std::string digest;

    size_t size() const;
    // Points are numbered scenario by scenario, then preset, then cost
    // values (the first axis varying slowest), and the mode fastest, so the
    // runs that share a native baseline sit side by side.
    SweepPoint point(size_t index) const;
};

SweepGrid loadSweepGrid(const std::string& path);
// `path` names the text in messages; scenarios are looked for beside it.
SweepGrid parseSweepGrid(const std::string& text, const std::string& path);

}  // namespace ringsim
