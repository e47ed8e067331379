// The machine: section of a scenario: memory, CPU, paging, cost preset and
// overrides, cycle budget.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "cpu-model/costs.h"
#include "cpu-model/isa.h"
#include "run/nic_network.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_numbers.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

namespace {

uint32_t parseMemory(const Loader& L, const Value& v) {
    if (!v.node.IsDefined() || v.node.IsNull() || !v.node.IsScalar())
        L.fail(v, fmt::format("expects a size (bytes, or \"<n> KiB\", \"<n> MiB\"), not {}", kindOf(v.node)));
    const std::string s = v.node.Scalar();
    uint64_t bytes = 0;
    const Whole plain = parseWhole(s);
    if (plain.ok && !plain.negative && !plain.tooLarge) {
        bytes = plain.value;
    } else {
        // "<n> KiB|MiB|GiB", the space optional.
        size_t i = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        size_t j = i;
        while (j < s.size() && s[j] == ' ') ++j;
        const std::string unit = s.substr(j);
        const Whole n = parseWhole(std::string_view(s).substr(0, i));
        const uint64_t scale = unit == "KiB" ? 1u << 10 : unit == "MiB" ? 1u << 20 : unit == "GiB" ? 1u << 30 : 0;
        if (!n.ok || n.tooLarge || !scale)
            L.fail(v, fmt::format("expects a size in bytes, or \"<n> KiB\" / \"<n> MiB\" / \"<n> GiB\", not {}",
                                  quote(s)));
        // Anything past 4 GiB is refused below; stop there so the product cannot overflow.
        bytes = n.value > (uint64_t(1) << 32) ? uint64_t(1) << 32 : n.value * scale;
    }
    if (bytes > 0xFFFF'F000u) L.fail(v, fmt::format("{} is more than the machine can address (4 GiB)", quote(s)));
    if (bytes < isa::kPageSize * 4 || bytes % isa::kPageSize)
        L.fail(v, fmt::format("{} must be a multiple of 4096 bytes and at least 16 KiB", quote(s)));
    return uint32_t(bytes);
}

}  // namespace

void Loader::machine(const Value& v, Scenario& s, int& pagingLine, int& nicLine) const {
    const Fields f(*this, v,
                   {"memory", "strict", "hardware_assist", "paging", "preset", "costs", "max_cycles", "nic", "disk"});
    ScenarioMachine& m = s.machine;
    if (auto x = f.get("memory")) m.memoryBytes = parseMemory(*this, *x);
    if (auto x = f.get("strict")) m.strict = flag(*x);
    if (auto x = f.get("hardware_assist")) m.hardwareAssist = flag(*x);
    if (auto x = f.get("preset")) m.preset = preset(*x);
    if (auto x = f.get("max_cycles")) m.maxCycles = whole(*x, 1, kMaxCycleBudget);
    if (auto x = f.get("nic")) {
        nicLine = x->line;
        const std::string model = text(*x);
        if (!NicNetwork::knownModel(model))
            fail(*x, fmt::format("unknown NIC model {}{}", quote(model), hint(model, {"e1000"})));
        m.nic = model;
    }
    if (auto x = f.get("paging")) {
        pagingLine = x->line;
        const std::string p = text(*x);
        const std::vector<std::string> known = {"auto", "nested", "shadow"};
        if (std::find(known.begin(), known.end(), p) == known.end())
            fail(*x, fmt::format("unknown paging {}{}", quote(p), hint(p, known)));
        m.paging = p;
        const Preset* preset = presetNamed(m.preset);
        if (p == "nested" && !m.hardwareAssist)
            fail(*x, "nested paging needs hardware assistance, but hardware_assist is false");
        if (p == "nested" && preset && !preset->nestedPaging)
            fail(*x, fmt::format("the '{}' preset's CPU cannot walk nested page tables; use auto or shadow, or "
                                 "the modern preset",
                                 m.preset));
    }
    if (auto x = f.get("disk")) {
        const std::string d = text(*x);
        const auto kind = diskFrontEndFromName(d);
        const std::vector<std::string> known = {"none", "ide", "virtio"};
        if (!kind) fail(*x, fmt::format("unknown disk front end {}{}", quote(d), hint(d, known)));
        m.disk = *kind;
    }
    if (auto x = f.get("costs")) {
        const Fields costs(*this, *x, costNames());
        Costs scratch = presetNamed(m.preset)->costs;
        for (const auto& [name, value] : costs.entries()) {
            const uint64_t cycles = whole(value, 0, kMaxCostCycles);
            if (auto error = applyCostOverride(scratch, name, std::to_string(cycles))) fail(value, *error);
            m.costOverrides.push_back(fmt::format("{}={}", name, cycles));
        }
    }
}

}  // namespace ringsim::scenario_detail
