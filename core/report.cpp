#include "report.h"

#include <fmt/format.h>

namespace ringsim {

nlohmann::json toJson(const RunResult& r) {
    nlohmann::json j;
    j["ringsim_version"] = RINGSIM_VERSION;
    j["mode"] = r.mode;
    j["preset"] = r.preset;
    j["machine"] = {{"memory_bytes", r.memoryBytes},
                    {"strict", r.strict},
                    {"hardware_assist", r.hardwareAssist},
                    {"nested_paging", r.nestedPaging}};
    nlohmann::json costs = nlohmann::json::object();
    for (const auto& [name, value] : listCosts(r.costs)) costs[name] = value;
    j["costs"] = costs;
    j["console"] = r.console;
    if (r.consoleTruncated) j["console_truncated"] = true;
    if (!r.hostConsole.empty()) j["host_console"] = r.hostConsole;
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
    nlohmann::json exits = nlohmann::json::object();
    for (size_t i = 0; i < kVmExitReasonCount; ++i)
        if (r.monitor.exits[i]) exits[std::string(vmExitReasonName(VmExitReason(i)))] = r.monitor.exits[i];
    j["vm_exits"] = exits;
    nlohmann::json hypercalls = nlohmann::json::object();
    for (const auto& [number, count] : r.monitor.hypercalls) hypercalls[std::to_string(number)] = count;
    j["hypercalls"] = hypercalls;
    j["monitor"] = {{"traps_into_monitor", r.monitor.trapsIntoMonitor},
                    {"emulated", r.monitor.emulated},
                    {"reflected", r.monitor.reflected},
                    {"callouts", r.monitor.callouts},
                    {"shadow_updates", r.monitor.shadowUpdates}};
    j["translations"] = {{"blocks", r.monitor.translatedBlocks},
                         {"instructions", r.monitor.translatedInstructions},
                         {"cache_hits", r.monitor.cacheHits},
                         {"invalidations", r.monitor.invalidations}};
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
    const auto& m = r.monitor;
    if (m.trapsIntoMonitor || m.totalExits() || m.totalHypercalls() || m.translatedBlocks || m.shadowUpdates)
        out += fmt::format("monitor: {} traps in, {} emulated, {} reflected, {} VM exits, {} hypercalls, {} callouts, "
                           "{} blocks translated, {} shadow updates\n",
                           m.trapsIntoMonitor, m.emulated, m.reflected, m.totalExits(), m.totalHypercalls(),
                           m.callouts, m.translatedBlocks, m.shadowUpdates);
    return out;
}

}  // namespace ringsim
