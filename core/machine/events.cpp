#include "machine/events.h"

#include <fmt/format.h>

#include "cpu-model/devices.h"
#include "cpu-model/isa.h"
#include "cpu-model/vmx.h"
#include "machine/hypercalls.h"

namespace ringsim {
namespace {
constexpr std::string_view kNames[] = {
    "syscall",       "syscall-return",        "fault",          "interrupt",    "trap-return",
    "sensitive-trapped", "sensitive-silent",  "hypercall",      "vm-exit",      "vm-entry",
    "translation",   "translation-hit",       "translation-invalidate", "emulated-instruction",
    "port-io",       "page-walk",             "shadow-update",  "isolation-violation", "context-switch",
    "world-switch",  "halt",
};
static_assert(std::size(kNames) == kEventKindCount);
}  // namespace

std::string_view eventKindName(EventKind k) {
    auto i = static_cast<size_t>(k);
    return i < kEventKindCount ? kNames[i] : "?";
}

std::optional<EventKind> eventKindFromName(std::string_view name) {
    for (size_t i = 0; i < kEventKindCount; ++i)
        if (kNames[i] == name) return static_cast<EventKind>(i);
    return std::nullopt;
}

std::string eventDetail(const Event& e) {
    std::string detail;
    switch (e.kind) {
    case EventKind::Fault:
    case EventKind::Interrupt:
    case EventKind::Syscall:
        detail = fmt::format("vector {} ({})", e.vector, isa::vectorName(e.vector));
        if (e.kind == EventKind::Fault && e.detail) detail += fmt::format(" address {:#x}", e.detail);
        break;
    case EventKind::PortIo:
        detail = fmt::format("{} port {:#x} ({}) value {:#x}", e.vector ? "out" : "in", e.detail, portName(e.detail),
                             e.extra);
        break;
    case EventKind::PageWalk: detail = fmt::format("address {:#x}, {} references", e.detail, e.extra); break;
    case EventKind::SensitiveSilent:
    case EventKind::SensitiveTrapped:
    case EventKind::EmulatedInstruction: {
        const auto* info = isa::infoFor(uint8_t(e.detail));
        detail = fmt::format("{}", info ? info->mnemonic : "?");
        break;
    }
    case EventKind::Hypercall: {
        const HypercallInfo* h = hypercallByNumber(e.detail);
        detail = h ? fmt::format("{} (number {})", h->name, e.detail) : fmt::format("number {}", e.detail);
        break;
    }
    case EventKind::VmExit: detail = fmt::format("reason {}", vmExitReasonName(VmExitReason(e.detail))); break;
    case EventKind::VmEntry:
        if (e.detail) detail = "TLB flushed (no VPID)";
        break;
    case EventKind::Halt: detail = fmt::format("idle {} cycles", e.extra); break;
    case EventKind::ContextSwitch:
        // The monitor's own switches are between VMs; a host kernel's, between containers.
        detail = e.vm == kHostGuest ? fmt::format("vm{} -> vm{}", e.detail, e.extra)
                                    : fmt::format("container {} -> {}", e.extra, e.detail);
        break;
    case EventKind::IsolationViolation: detail = fmt::format("address or port {:#x}", e.detail); break;
    default:
        if (e.detail || e.extra) detail = fmt::format("{:#x} {}", e.detail, e.extra);
    }
    return detail;
}

std::string describeReceipt(const Receipt& r) {
    std::string route;
    for (const auto& hop : r.hops())
        route += fmt::format("{}{} {}", route.empty() ? "" : " -> ", hop.ring, actorName(hop.who));
    std::string bill;
    for (const auto& item : r.costItems()) {
        const std::string amount = item.count == 1 ? fmt::format("{}", item.each)
                                                   : fmt::format("{} x {}", item.count, item.each);
        bill += fmt::format("{}{}{} {} {}", bill.empty() ? "" : ", ", item.instruction ? "insn." : "", item.name(), amount, item.inEvent ? "in event" : "apart");
    }
    return fmt::format("{}: {}{}{}", mechanismId(r.mechanism), route, bill.empty() ? "" : "; ", bill);
}

std::string describeEvent(const Event& e) {
    const std::string detail = eventDetail(e);
    const std::string guest = e.vm == kHostGuest ? "host" : fmt::format("vm{}", e.vm);
    std::string line = fmt::format("{:>12}  {:<4} ring {:>2} -> {:>2}  {:<22} pc {:#010x}", e.cycle, guest,
                                   e.ringBefore, e.ringAfter, eventKindName(e.kind), e.pc);
    if (!detail.empty()) line += "  " + detail;
    if (e.cost) line += fmt::format("  cost {}", e.cost);
    return line;
}

EventLog::EventLog(size_t capacity) : ring_(capacity) {}

namespace {
size_t guestSlot(uint16_t guest) { return guest == kHostGuest ? 0 : size_t(guest) + 1; }
}  // namespace

void EventLog::record(const Event& e) {
    ++counts_[static_cast<size_t>(e.kind)];
    const size_t slot = guestSlot(e.vm);
    if (slot >= guestCounts_.size()) guestCounts_.resize(slot + 1);
    ++guestCounts_[slot][static_cast<size_t>(e.kind)];
    ring_.push(e);
    if (listener_) listener_(e);
}

EventCounts EventLog::countsFor(uint16_t guest) const {
    const size_t slot = guestSlot(guest);
    return slot < guestCounts_.size() ? guestCounts_[slot] : EventCounts{};
}

std::vector<Event> EventLog::recent() const {
    std::vector<Event> out;
    out.reserve(ring_.retained());
    for (uint64_t n = firstRetained(); n < total(); ++n) out.push_back(at(n));
    return out;
}

}  // namespace ringsim
