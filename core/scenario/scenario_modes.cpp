// The modes a scenario compares (modes:), and the lists of modes that an
// expectation or a tour narrows itself to, which must be among them.
#include <fmt/format.h>

#include <algorithm>

#include "monitors/modes.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

void Loader::modes(const std::optional<Value>& v, Scenario& s) const {
    auto runnable = [&](const ModeInfo& m) { return !m.needsHardwareAssist || s.machine.hardwareAssist; };
    if (!v || (v->node.IsScalar() && v->node.Scalar() == "all")) {
        // "all": every mode this machine can run.
        for (const auto& m : modeTable())
            if (runnable(m)) s.modes.push_back(m.mode);
        return;
    }
    std::vector<Value> items;
    if (v->node.IsScalar()) items.push_back(*v);
    else items = list(*v);
    if (items.empty()) fail(*v, "lists no mode; leave modes out (or write modes: all) for every mode");
    for (const auto& item : items) {
        if (item.node.IsScalar() && item.node.Scalar() == "all")
            fail(item, "'all' stands alone: write modes: all");
        const Mode m = mode(item);
        if (std::find(s.modes.begin(), s.modes.end(), m) != s.modes.end()) fail(item, fmt::format("{} is listed twice", m));
        if (!runnable(modeInfo(m)))
            fail(item, fmt::format("{} needs a CPU with hardware assistance, but machine.hardware_assist is false", m));
        s.modes.push_back(m);
    }
}

std::vector<Mode> Loader::modeList(const Value& v, const Scenario& s, std::string_view what) const {
    std::vector<Value> items;
    if (v.node.IsScalar()) items.push_back(v);
    else items = list(v);
    if (items.empty()) fail(v, "lists no mode");
    std::vector<Mode> out;
    for (const auto& item : items) {
        const Mode m = mode(item);
        if (std::find(s.modes.begin(), s.modes.end(), m) == s.modes.end())
            fail(item, fmt::format("{} is not among the scenario's modes ({}), so {} never runs in it", m,
                                   joined(s.modes), what));
        if (std::find(out.begin(), out.end(), m) != out.end()) fail(item, fmt::format("{} is listed twice", m));
        out.push_back(m);
    }
    return out;
}

}  // namespace ringsim::scenario_detail
