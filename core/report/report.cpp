#include "report/report.h"

#include <fmt/format.h>

#include "report/json_text.h"
#include "report/network_report.h"
#include "report/storage_report.h"

namespace ringsim {

namespace {

nlohmann::json cyclesJson(const std::array<uint64_t, kCycleCategoryCount>& cycles) {
    nlohmann::json j;
    uint64_t total = 0;
    for (auto c : cycles) total += c;
    j["total"] = total;
    for (size_t i = 0; i < kCycleCategoryCount; ++i) j[std::string(categoryName(CycleCategory(i)))] = cycles[i];
    return j;
}

nlohmann::json eventsJson(const EventCounts& counts) {
    nlohmann::json events = nlohmann::json::object();
    for (size_t i = 0; i < kEventKindCount; ++i) events[std::string(eventKindName(EventKind(i)))] = counts[i];
    return events;
}

// The monitor's counters, as fields of `j`.
void addMonitorJson(nlohmann::json& j, const MonitorCounters& m) {
    nlohmann::json exits = nlohmann::json::object();
    for (size_t i = 0; i < kVmExitReasonCount; ++i)
        if (m.exits[i]) exits[std::string(vmExitReasonName(VmExitReason(i)))] = m.exits[i];
    j["vm_exits"] = exits;
    nlohmann::json hypercalls = nlohmann::json::object();
    for (const auto& [number, count] : m.hypercalls) hypercalls[std::to_string(number)] = count;
    j["hypercalls"] = hypercalls;
    j["monitor"] = {{"traps_into_monitor", m.trapsIntoMonitor},
                    {"emulated", m.emulated},
                    {"reflected", m.reflected},
                    {"callouts", m.callouts},
                    {"shadow_updates", m.shadowUpdates},
                    {"hidden_faults", m.hiddenFaults}};
    j["translations"] = {{"blocks", m.translatedBlocks},
                         {"instructions", m.translatedInstructions},
                         {"cache_hits", m.cacheHits},
                         {"invalidations", m.invalidations}};
}

nlohmann::json footprintJson(const Footprint& f) {
    return {{"pages", f.pages},
            {"startup_cycles", f.startupCycles ? nlohmann::json(*f.startupCycles) : nlohmann::json(nullptr)}};
}

nlohmann::json guestJson(const GuestResult& g) {
    nlohmann::json j;
    j["name"] = g.name;
    if (g.weight) j["weight"] = g.weight;
    j["console"] = bytesAsJsonText(g.console);
    if (g.consoleTruncated) j["console_truncated"] = true;
    j["stop_reason"] = stopReasonName(g.stopReason);
    if (!g.stopMessage.empty()) j["stop_message"] = g.stopMessage;
    j["instructions"] = g.instructions;
    j["cycles"] = cyclesJson(g.cycles);
    j["events"] = eventsJson(g.events);
    addMonitorJson(j, g.monitor);
    j["footprint"] = footprintJson(g.footprint);
    return j;
}

}  // namespace

nlohmann::json toJson(const RunResult& r) {
    nlohmann::json j;
    j["ringsim_version"] = RINGSIM_VERSION;
    j["mode"] = modeName(r.mode);
    j["preset"] = r.preset;
    j["machine"] = {{"memory_bytes", r.memoryBytes},
                    {"strict", r.strict},
                    {"hardware_assist", r.hardwareAssist},
                    {"nested_paging", r.nestedPaging}};
    nlohmann::json costs = nlohmann::json::object();
    for (const auto& [name, value] : listCosts(r.costs)) costs[name] = value;
    j["costs"] = costs;
    j["console"] = bytesAsJsonText(r.console);
    if (r.consoleTruncated) j["console_truncated"] = true;
    if (!r.hostConsole.empty()) j["host_console"] = bytesAsJsonText(r.hostConsole);
    j["stop_reason"] = stopReasonName(r.stopReason);
    if (!r.stopMessage.empty()) j["stop_message"] = r.stopMessage;
    j["instructions"] = r.instructions;
    j["cycles"] = cyclesJson(r.cycles);
    j["events"] = eventsJson(r.events);
    j["tlb"] = {{"misses", r.tlbMisses}, {"flushes", r.tlbFlushes}, {"walk_references", r.pageWalkRefs}};
    j["port_accesses"] = r.portAccesses;
    if (r.storage) j["storage"] = storageJson(*r.storage);
    addMonitorJson(j, r.monitor);
    j["instances"] = r.instances;
    nlohmann::json guests = nlohmann::json::array();
    nlohmann::json pages = nlohmann::json::array(), startup = nlohmann::json::array();
    for (const auto& g : r.guests) {
        guests.push_back(guestJson(g));
        pages.push_back(g.footprint.pages);
        startup.push_back(g.footprint.startupCycles ? nlohmann::json(*g.footprint.startupCycles) : nlohmann::json(nullptr));
    }
    j["guests"] = guests;
    j["footprint"] = {{"pages", {{"total", r.footprint.pages}, {"per_instance", pages}}},
                      {"startup_cycles",
                       {{"total", r.footprint.startupCycles ? nlohmann::json(*r.footprint.startupCycles)
                                                            : nlohmann::json(nullptr)},
                        {"per_instance", startup}}}};
    if (modeInfo(r.mode).virtualMachine) j["host_cycles"] = cyclesJson(r.hostCycles);
    j["guest_switches"] = r.guestSwitches;
    if (r.network) j["network"] = networkJson(*r.network);
    return j;
}

std::string guestTable(const RunResult& r) {
    const bool vms = modeInfo(r.mode).virtualMachine;
    uint64_t guestCycles = 0;
    for (const auto& g : r.guests) guestCycles += g.totalCycles();
    std::string out = fmt::format("{} {}:\n", r.guests.size(), vms ? "VMs under one monitor" : "guests on one kernel");
    out += fmt::format("  {:<12}{:>7}{:>14}{:>14}{:>8}{:>8}{:>14}  {}\n", "guest", "weight", "instructions", "cycles",
                       "share", "pages", "startup", "stop");
    for (const auto& g : r.guests) {
        const double share = guestCycles ? 100.0 * double(g.totalCycles()) / double(guestCycles) : 0.0;
        out += fmt::format("  {:<12}{:>7}{:>14}{:>14}{:>7.1f}%{:>8}{:>14}  {}\n", g.name, g.weight, g.instructions,
                           g.totalCycles(), share, g.footprint.pages,
                           g.footprint.startupCycles ? std::to_string(*g.footprint.startupCycles) : "-",
                           stopReasonName(g.stopReason));
    }
    if (vms) {
        uint64_t host = 0;
        for (auto c : r.hostCycles) host += c;
        out += fmt::format("  the monitor itself: {} cycles switching VMs ({} switches)\n", host, r.guestSwitches);
    } else if (r.guestSwitches) {
        out += fmt::format("  {} switches between containers\n", r.guestSwitches);
    }
    out += fmt::format("  footprint: {} pages in use in all; the last instance printed at cycle {}\n", r.footprint.pages,
                       r.footprint.startupCycles ? std::to_string(*r.footprint.startupCycles) : "-");
    return out;
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
    if (r.guests.size() > 1) out += guestTable(r);
    const auto& m = r.monitor;
    if (m.trapsIntoMonitor || m.totalExits() || m.totalHypercalls() || m.translatedBlocks || m.shadowUpdates)
        out += fmt::format("monitor: {} traps in, {} emulated, {} reflected, {} VM exits, {} hypercalls, {} callouts, "
                           "{} blocks translated, {} shadow updates ({} hidden faults)\n",
                           m.trapsIntoMonitor, m.emulated, m.reflected, m.totalExits(), m.totalHypercalls(),
                           m.callouts, m.translatedBlocks, m.shadowUpdates, m.hiddenFaults);
    if (r.network) out += networkText(*r.network);
    return out;
}

}  // namespace ringsim
