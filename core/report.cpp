#include "report.h"

#include <fmt/format.h>

namespace ringsim {

nlohmann::json toJson(const RunResult& r) {
    nlohmann::json j;
    j["ringsim_version"] = RINGSIM_VERSION;
    j["mode"] = r.mode;
    j["preset"] = r.preset;
    nlohmann::json costs = nlohmann::json::object();
    for (const auto& [name, value] : listCosts(r.costs)) costs[name] = value;
    j["costs"] = costs;
    j["console"] = r.console;
    if (r.consoleTruncated) j["console_truncated"] = true;
    j["stop_reason"] = stopReasonName(r.stopReason);
    if (!r.stopMessage.empty()) j["stop_message"] = r.stopMessage;
    j["instructions"] = r.instructions;
    nlohmann::json cycles;
    cycles["total"] = r.totalCycles;
    for (size_t i = 0; i < kCycleCategoryCount; ++i) cycles[std::string(categoryName(CycleCategory(i)))] = r.cycles[i];
    j["cycles"] = cycles;
    nlohmann::json events = nlohmann::json::object();
    for (size_t i = 0; i < kEventKindCount; ++i) events[std::string(eventKindName(EventKind(i)))] = r.events[i];
    j["events"] = events;
    j["tlb"] = {{"misses", r.tlbMisses}, {"flushes", r.tlbFlushes}, {"walk_references", r.pageWalkRefs}};
    j["port_accesses"] = r.portAccesses;
    return j;
}

std::string toText(const RunResult& r) {
    std::string out;
    out += fmt::format("mode {}, preset {}: {} after {} cycles, {} instructions\n", r.mode, r.preset,
                       stopReasonName(r.stopReason), r.totalCycles, r.instructions);
    if (!r.stopMessage.empty()) out += fmt::format("  {}\n", r.stopMessage);
    out += "cycles by category:\n";
    for (size_t i = 0; i < kCycleCategoryCount; ++i) {
        const double share = r.totalCycles ? 100.0 * double(r.cycles[i]) / double(r.totalCycles) : 0.0;
        out += fmt::format("  {:<14}{:>14}  {:5.1f}%\n", categoryLabel(CycleCategory(i)), r.cycles[i], share);
    }
    out += "events:\n";
    for (size_t i = 0; i < kEventKindCount; ++i)
        if (r.events[i]) out += fmt::format("  {:<24}{:>12}\n", eventKindName(EventKind(i)), r.events[i]);
    out += fmt::format("TLB: {} misses, {} flushes, {} walk references; {} port accesses\n", r.tlbMisses,
                       r.tlbFlushes, r.pageWalkRefs, r.portAccesses);
    return out;
}

}  // namespace ringsim
