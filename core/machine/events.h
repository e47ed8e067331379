// The event stream: every transition the lecture talks about, with its cycle
// stamp, VM, ring before and after, and details. The store is bounded: the
// most recent `capacity` events (a BoundedRing: memory grows only as events
// arrive, so a big capacity costs nothing until it is used) plus exact counts
// per kind.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpu-model/receipt.h"
#include "machine/bounded_ring.h"

namespace ringsim {

enum class EventKind : uint8_t {
    Syscall,               // a user program entered the kernel through the syscall gate
    SyscallReturn,         // sysret back to the caller
    Fault,                 // an exception (vector)
    Interrupt,             // an interrupt (vector)
    TrapReturn,            // iret
    SensitiveTrapped,      // a sensitive instruction trapped to the monitor and was emulated
    SensitiveSilent,       // a sensitive-unprivileged instruction ran above ring 0 without trapping
    Hypercall,             // detail = hypercall number
    VmExit,                // detail = exit reason
    VmEntry,               // detail = 1 when the entry flushed the TLB (no VPID)
    Translation,           // a guest block was translated; detail = block address, extra = instructions
    TranslationHit,        // a translated block was found in the cache
    TranslationInvalidate, // a write to guest code dropped translated blocks
    EmulatedInstruction,   // an instruction emulated by the monitor
    PortIo,                // detail = port, extra = value
    PageWalk,              // a TLB miss walked page tables; extra = memory references
    ShadowUpdate,          // the monitor updated shadow page tables
    IsolationViolation,    // a guest reached outside what it owns; detail = address
    ContextSwitch,         // the kernel switched processes, or the monitor switched VMs
    WorldSwitch,           // the physical CPU moved between the monitor and a VM
    Halt,                  // hlt
    Count
};
constexpr size_t kEventKindCount = static_cast<size_t>(EventKind::Count);
using EventCounts = std::array<uint64_t, kEventKindCount>;
// Event::vm of what the monitor (or host kernel) does for itself, such as switching VMs.
constexpr uint16_t kHostGuest = 0xFFFF;
std::string_view eventKindName(EventKind k);  // "syscall", "vm-exit", ...
std::optional<EventKind> eventKindFromName(std::string_view name);

struct Event {
    uint64_t cycle = 0;
    uint32_t pc = 0;
    uint32_t detail = 0;
    uint32_t extra = 0;
    uint32_t cost = 0;       // cycles this transition cost, when known
    uint16_t vm = 0;         // the guest it belongs to: a VM or a container; kHostGuest for the monitor's own
    int8_t ringBefore = 0;   // -1: root mode (the monitor with hardware assistance)
    int8_t ringAfter = 0;
    EventKind kind = EventKind::Count;
    uint8_t vector = 0;
    Receipt receipt;         // what handled it, the route control took, the costs charged
};

// One line a person can read: "cycle 1234  ring 3 -> 0  syscall  vector 8 (syscall) pc 0x00400010"
std::string describeEvent(const Event& e);
// What handled it, the route and the bill: "reflected-by-monitor: 3 user -> 0 monitor -> 1 kernel;
// reflect_trap 500 in event, monitor_trap 120 apart"
std::string describeReceipt(const Receipt& r);
// Just the detail part of that line: "reason io-instruction", "lksp", "console_write (number 7)", ...
std::string eventDetail(const Event& e);

class EventLog {
public:
    explicit EventLog(size_t capacity = 1 << 16);

    void record(const Event& e);
    // Called for every event as it is recorded (tracing, tours, the GUI).
    void setListener(std::function<void(const Event&)> listener) { listener_ = std::move(listener); }

    uint64_t count(EventKind k) const { return counts_[static_cast<size_t>(k)]; }
    const EventCounts& counts() const { return counts_; }
    // The counts of one guest's events (Event::vm), kHostGuest included.
    EventCounts countsFor(uint16_t guest) const;
    uint64_t total() const { return ring_.total(); }
    // Events are numbered from 0 in the order they were recorded; the store
    // keeps numbers firstRetained() .. total()-1.
    uint64_t firstRetained() const { return ring_.firstRetained(); }
    size_t retained() const { return ring_.retained(); }
    // The event numbered `number`, which must be retained (no copy: a view of a million rows reads it in place).
    const Event& at(uint64_t number) const { return ring_.at(number); }
    // The number of the first retained event at or after `cycle` (total() if
    // none): events are recorded in cycle order, so a binary search.
    uint64_t firstAtOrAfter(uint64_t cycle) const {
        return ring_.partitionPoint([cycle](const Event& e) { return e.cycle < cycle; });
    }
    // The retained events, oldest first (at most `capacity`).
    std::vector<Event> recent() const;
    size_t capacity() const { return ring_.capacity(); }

private:
    BoundedRing<Event> ring_;
    EventCounts counts_{};
    std::vector<EventCounts> guestCounts_;  // by Event::vm; the host's in the last slot
    std::function<void(const Event&)> listener_;
};

}  // namespace ringsim
