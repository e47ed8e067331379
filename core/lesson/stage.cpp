#include "lesson/stage.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>

#include "cpu-model/devices.h"
#include "cpu-model/isa.h"
#include "cpu-model/vmx.h"
#include "machine/hypercalls.h"
#include "monitors/monitor_receipts.h"

namespace ringsim {

std::string_view mechanismCaption(Mechanism m) {
    switch (m) {
    case Mechanism::SyscallGate: return "through the syscall gate";
    case Mechanism::ExceptionToKernel: return "through the trap table to the kernel";
    case Mechanism::NoHandler: return "no handler: the guest stopped";
    case Mechanism::ReflectedByMonitor: return "to the monitor, passed on to the guest kernel";
    case Mechanism::InjectedInterrupt: return "injected by the monitor";
    case Mechanism::TrapToMonitor: return "trapped to the monitor, emulated";
    case Mechanism::SilentlyExecuted: return "ran silently: no trap";
    case Mechanism::TranslationCallout: return "callout to the monitor, emulated";
    case Mechanism::Hypercall: return "hypercall to the monitor";
    case Mechanism::VmExit: return "VM exit to the monitor";
    case Mechanism::VmEntry: return "VM entry: back to the guest";
    case Mechanism::ReturnByKernel: return "return by the kernel";
    case Mechanism::ReturnByMonitor: return "return done by the monitor";
    case Mechanism::DirectDevice: return "straight to the device";
    case Mechanism::EmulatedDevice: return "virtual device, emulated by the monitor";
    case Mechanism::BlockTranslated: return "block translated";
    case Mechanism::CacheLookup: return "translation-cache lookup";
    case Mechanism::TranslationsDropped: return "translations dropped";
    case Mechanism::ShadowWriteFault: return "page-table write faulted: shadow updated";
    case Mechanism::ShadowTracedStore: return "page-table write traced: shadow updated";
    case Mechanism::ShadowExitUpdate: return "shadow entry updated after the exit";
    case Mechanism::ShadowSwitch: return "shadow tables switched";
    case Mechanism::HiddenFault: return "hidden fault: shadow entry filled";
    case Mechanism::PageWalk: return "page walk";
    case Mechanism::NestedPageWalk: return "two-dimensional page walk";
    case Mechanism::IsolationRefused: return "refused: outside what it owns";
    case Mechanism::VmSwitch: return "the monitor switched VMs";
    case Mechanism::ContainerSwitch: return "the host kernel switched containers";
    case Mechanism::Halt: return "halted";
    case Mechanism::Idle: return "idle until the next tick";
    case Mechanism::Count: break;
    }
    return "";
}

std::string silentWarning(const Event& e) {
    const int ring = e.ringBefore;
    if (ring == 3) {
        const auto* info = isa::infoFor(uint8_t(e.detail));
        return fmt::format("{} ran as ring 3 expects", info ? info->mnemonic : "?");
    }
    switch (isa::Opcode(e.detail)) {
    case isa::Opcode::Getcpl: return fmt::format("getcpl read {}; the kernel believes it runs in 0", ring);
    case isa::Opcode::Stt: return "stt read the monitor's trap table, not the kernel's";
    case isa::Opcode::Pushf: return "pushf pushed the real IF, not the one the kernel set";
    case isa::Opcode::Popf:
        // Asking for IF=1 is lost too: the monitor never sees it, so the
        // virtual CPU keeps what it had (the lesson's "interrupts stay off").
        return (e.extra & isa::flag::InterruptEnable) ? "popf asked for IF=1; no trap: the monitor never saw it"
                                                      : "popf asked for IF=0; the CPU kept IF=1";
    default: return "ran with the wrong effect: no trap";
    }
}

std::string hopLabel(Mechanism m, EventKind kind, const std::vector<Hop>& route, size_t hop) {
    if (hop + 1 >= route.size()) return "";
    const bool toMonitor = route[hop + 1].who == Actor::Monitor;
    const bool fromMonitor = route[hop].who == Actor::Monitor;
    switch (m) {
    case Mechanism::SyscallGate: return "syscall";
    case Mechanism::ExceptionToKernel: return kind == EventKind::Interrupt ? "interrupt" : "trap";
    case Mechanism::ReflectedByMonitor: return toMonitor ? "trap" : "reflected";
    case Mechanism::InjectedInterrupt: return toMonitor ? "interrupt" : "injected";
    case Mechanism::TrapToMonitor: return toMonitor ? "trap" : "emulated";
    case Mechanism::TranslationCallout: return toMonitor ? "callout" : "back";
    case Mechanism::Hypercall: return toMonitor ? "hypercall" : "back";
    case Mechanism::VmExit: return "exit";
    case Mechanism::VmEntry: return "entry";
    case Mechanism::ReturnByKernel: return "return";
    case Mechanism::ReturnByMonitor: return toMonitor ? "trap" : "return";
    case Mechanism::IsolationRefused: return toMonitor ? "refused" : "fault";
    case Mechanism::VmSwitch:
    case Mechanism::ContainerSwitch: return "switch";
    default: break;
    }
    // The rest: where control went.
    if (toMonitor) return "to the monitor";
    if (fromMonitor) return "back";
    return std::string(eventKindName(kind));
}

std::span<const std::string_view> stageDevices() {
    static constexpr std::string_view kDevices[] = {"console", "disk", "timer", "clock"};
    return kDevices;
}

namespace {

// The device behind a port, from the port table's name ("console.data", "block.sector").
std::string deviceOfPort(uint32_t port) {
    const std::string_view name = portName(port);
    if (name == DeviceSet::kUnassigned) return "";
    const std::string_view device = name.substr(0, name.find('.'));
    if (device == "block") return "disk";
    if (device == "console" || device == "clock") return std::string(device);
    return "";
}

std::string deviceOfVector(uint8_t vector) {
    switch (isa::Vector(vector)) {
    case isa::Vector::Timer: return "timer";
    case isa::Vector::Console: return "console";
    case isa::Vector::Block: return "disk";
    default: return "";
    }
}

}  // namespace

std::string stageDevice(const Event& e) {
    switch (e.kind) {
    case EventKind::PortIo: return deviceOfPort(e.detail);
    case EventKind::Interrupt: return deviceOfVector(e.vector);
    case EventKind::VmExit:
        if (VmExitReason(e.detail) == VmExitReason::IoInstruction) return deviceOfPort(e.extra);
        if (VmExitReason(e.detail) == VmExitReason::ExternalInterrupt ||
            VmExitReason(e.detail) == VmExitReason::TimerProgramming)
            return "timer";
        return "";
    case EventKind::Hypercall:
        switch (HypercallNumber(e.detail)) {
        case HypercallNumber::ConsoleWrite: return "console";
        case HypercallNumber::BlockIo: return "disk";
        case HypercallNumber::SetTimer: return "timer";
        default: return "";
        }
    default: return "";
    }
}

namespace {

StageMark markFor(const Event& e, uint64_t number) {
    StageMark m;
    m.number = number;
    m.kind = e.kind;
    m.mechanism = e.receipt.mechanism;
    const auto hops = e.receipt.hops();
    m.ring = hops.empty() ? e.ringBefore : hops.front().ring;
    m.who = hops.empty() ? actorAt(e.ringBefore) : hops.front().who;
    if (e.receipt.mechanism == Mechanism::SilentlyExecuted) {
        m.text = silentWarning(e);
        m.warning = e.ringBefore != 3;
    } else {
        m.text = fmt::format("{}: {}", eventKindName(e.kind), mechanismCaption(e.receipt.mechanism));
    }
    return m;
}

bool staysInOneRing(const Event& e) {
    const auto hops = e.receipt.hops();
    return hops.size() <= 1;
}

}  // namespace

StageView stageAtRest(int ring) {
    StageView v;
    v.litRing = ring;
    v.route = {Hop{int8_t(ring), actorAt(ring)}};
    return v;
}

StageView stageAtStop(const EventLog& log, const ReachedStop& stop, int cpuRing) {
    StageView v = stageAtRest(cpuRing);
    if (stop.number && *stop.number >= log.firstRetained() && *stop.number < log.total())
        v = stageForEvent(log, *stop.number);
    else if (log.total() > log.firstRetained())
        v = stageForEvent(log, log.total() - 1);
    v.current = true;
    return v;
}

StageView stageForEvent(const EventLog& log, uint64_t number) {
    const Event& e = log.at(number);
    StageView v;
    v.number = number;
    v.event = e;
    v.current = number + 1 == log.total();
    const auto hops = e.receipt.hops();
    v.route.assign(hops.begin(), hops.end());
    if (v.route.empty()) v.route.push_back(Hop{e.ringAfter, actorAt(e.ringAfter)});
    // At rest after the event, control is where its route ends.
    v.litRing = v.route.back().ring;
    v.monitorWorking = v.route.back().who == Actor::Monitor;
    v.caption = fmt::format("{}: {}", eventKindName(e.kind), mechanismCaption(e.receipt.mechanism));
    if (e.kind == EventKind::VmEntry && e.detail) v.caption += " (no VPID: TLB flushed)";
    for (size_t hop = 0; hop + 1 < v.route.size(); ++hop)
        v.hopLabels.push_back(hopLabel(e.receipt.mechanism, e.kind, v.route, hop));
    v.device = stageDevice(e);
    // The one-ring events of the same moment (an instruction's events share its cycle).
    uint64_t first = number;
    while (first > log.firstRetained() && log.at(first - 1).cycle == e.cycle) --first;
    for (uint64_t n = first; n < log.total() && log.at(n).cycle == e.cycle && v.marks.size() < 6; ++n)
        if (staysInOneRing(log.at(n))) v.marks.push_back(markFor(log.at(n), n));
    return v;
}

int litRingAt(const Timeline& timeline, uint64_t cycle, Mode mode, int cpuRing, bool& working) {
    working = false;
    const auto& spans = timeline.spans();
    const uint64_t at = timeline.spanAt(cycle);
    if (at >= spans.total()) return cpuRing;
    const TimelineSpan& span = spans.at(at);
    if (span.start > cycle) return cpuRing;
    switch (span.category) {
    case CycleCategory::Monitor:
    case CycleCategory::Translation:
    case CycleCategory::WorldSwitch: working = true; return monitorRing(mode);
    default: return cpuRing;
    }
}

std::vector<StageFlow> stageFlows(const EventLog& log, uint64_t now, uint64_t window, size_t limit, size_t scan) {
    // Keyed by kind, mechanism and the rings of the route.
    std::map<std::tuple<int, int, std::vector<int>>, StageFlow> flows;
    const uint64_t since = now > window ? now - window : 0;
    size_t read = 0;
    for (uint64_t n = log.total(); n > log.firstRetained() && read < scan; --n, ++read) {
        const Event& e = log.at(n - 1);
        if (e.cycle < since) break;
        std::vector<int> rings;
        for (const auto& hop : e.receipt.hops()) rings.push_back(hop.ring);
        auto& f = flows[{int(e.kind), int(e.receipt.mechanism), rings}];
        if (f.recent == 0) {
            f.kind = e.kind;
            f.mechanism = e.receipt.mechanism;
            f.route.assign(e.receipt.hops().begin(), e.receipt.hops().end());
        }
        ++f.recent;
    }
    std::vector<StageFlow> out;
    for (auto& [key, f] : flows) out.push_back(std::move(f));
    std::stable_sort(out.begin(), out.end(), [](const StageFlow& a, const StageFlow& b) { return a.recent > b.recent; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

std::string stageJson(const StageView& v) {
    nlohmann::ordered_json j;
    if (v.number) {
        j["event"] = {{"number", *v.number},
                      {"kind", std::string(eventKindName(v.event.kind))},
                      {"mechanism", std::string(mechanismId(v.event.receipt.mechanism))},
                      {"cycle", v.event.cycle},
                      {"pc", v.event.pc}};
    } else {
        j["event"] = nullptr;
    }
    j["current"] = v.current;
    j["route"] = nlohmann::ordered_json::array();
    j["route_who"] = nlohmann::ordered_json::array();
    for (const auto& hop : v.route) {
        j["route"].push_back(hop.ring);
        j["route_who"].push_back(std::string(actorName(hop.who)));
    }
    j["hop_labels"] = v.hopLabels;
    j["lit_ring"] = v.litRing;
    j["monitor_working"] = v.monitorWorking;
    j["marks"] = nlohmann::ordered_json::array();
    j["mark_texts"] = nlohmann::ordered_json::array();
    for (const auto& m : v.marks) {
        j["marks"].push_back(std::string(eventKindName(m.kind)));
        j["mark_texts"].push_back(m.text);
    }
    j["caption"] = v.caption;
    j["device"] = v.device;
    j["occupants"] = nlohmann::ordered_json::array();
    for (const auto& o : v.occupants) j["occupants"].push_back({{"name", o.name}, {"ring", o.ring}, {"lit", o.lit}});
    j["virtual_cpu"] = nlohmann::ordered_json::array();
    for (const auto& row : v.virtualCpu)
        j["virtual_cpu"].push_back({{"name", row.name}, {"guest", row.guest}, {"real", row.real}, {"differs", row.differs}});
    j["virtual_cpu_at"] = v.virtualCpuAt;
    j["cpu_line"] = v.cpuLine;
    return j.dump();
}

}  // namespace ringsim
