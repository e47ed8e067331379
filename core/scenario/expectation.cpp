// What the rest of ringsim asks of an expectation: the counters one may name
// (knownCounters) and its one-line description (Expectation::describe).
#include <fmt/format.h>

#include <cmath>

#include "machine/events.h"
#include "machine/hypercalls.h"
#include "run/storage_result.h"
#include "scenario/scenario.h"
#include "scenario/scenario_words.h"

namespace ringsim {

const std::vector<std::string>& knownCounters() {
    // The same names as the JSON of a run (core/report.cpp), flattened with dots.
    static const std::vector<std::string> counters = [] {
        std::vector<std::string> c;
        c.push_back("cycles.total");
        for (size_t i = 0; i < kCycleCategoryCount; ++i) c.push_back(fmt::format("cycles.{}", categoryName(CycleCategory(i))));
        for (size_t i = 0; i < kEventKindCount; ++i) c.push_back(fmt::format("events.{}", eventKindName(EventKind(i))));
        c.push_back("vm_exits.total");
        for (size_t i = 0; i < kVmExitReasonCount; ++i)
            c.push_back(fmt::format("vm_exits.{}", vmExitReasonName(VmExitReason(i))));
        c.push_back("hypercalls.total");
        for (const auto& h : hypercallTable()) c.push_back(fmt::format("hypercalls.{}", h.name));
        for (const char* f : {"traps_into_monitor", "emulated", "reflected", "callouts", "shadow_updates", "hidden_faults"})
            c.push_back(fmt::format("monitor.{}", f));
        for (const char* f : {"blocks", "instructions", "cache_hits", "invalidations"})
            c.push_back(fmt::format("translations.{}", f));
        for (const char* f : {"misses", "flushes", "walk_references"}) c.push_back(fmt::format("tlb.{}", f));
        for (const StorageField& f : storageFields()) c.push_back(fmt::format("storage.{}", f.name));
        for (const char* f : {"port_accesses", "instructions", "footprint.pages", "footprint.startup_cycles",
                              "guest_switches", "overhead_percent"})
            c.emplace_back(f);
        return c;
    }();
    return counters;
}

std::string Expectation::describe() const {
    using scenario_detail::joined;
    // One line whatever the text holds: newlines shown as \n, long texts cut.
    auto shown = [](const std::string& t) {
        std::string out;
        for (char c : t) {
            if (c == '\n') out += "\\n";
            else out += c;
        }
        if (out.size() > 80) out = out.substr(0, 77) + "...";
        return fmt::format("\"{}\"", out);
    };
    std::string prefix = modes.empty() ? std::string() : joined(modes);
    if (!preset.empty()) prefix += fmt::format("{}({})", prefix.empty() ? "" : " ", preset);
    if (!prefix.empty()) prefix += ": ";
    auto number = [](double v) {
        return v == std::floor(v) && std::fabs(v) < 1e15 ? fmt::format("{}", int64_t(v)) : fmt::format("{}", v);
    };
    switch (kind) {
    case Kind::Console: {
        const std::string who = guest.empty() ? "console" : guest + " console";
        const char* how = match == Match::Exact ? "is" : match == Match::Contains ? "contains" : "matches";
        return fmt::format("{}{} {} {}", prefix, who, how, match == Match::Regex ? fmt::format("/{}/", text) : shown(text));
    }
    case Kind::Diverges:
        return fmt::format("{}{} from native", prefix, diverges ? "diverges" : "does not diverge");
    case Kind::Counter: return fmt::format("{}{} {} {}", prefix, counter, op, number(value));
    case Kind::Order: return fmt::format("{}total cycles {}", prefix, joined(order, " < "));
    }
    return prefix;
}

}  // namespace ringsim
