// A receipt: what handled an event and what it cost, written by whoever
// handled it (the CPU or a monitor) at the moment it charged the cycles.
// Explanations, predictions, traces and pictures read it instead of working
// out again from the mode or the cost which mechanism ran.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "costs.h"

namespace ringsim {

enum class Mechanism : uint8_t {
    SyscallGate,          // syscall entered the kernel through its gate
    ExceptionToKernel,    // a fault or interrupt went through the trap table to the kernel
    NoHandler,            // the trap table had no handler: the guest stopped
    ReflectedByMonitor,   // the trap landed in the monitor, which passed it on to the guest kernel
    InjectedInterrupt,    // the monitor injected a virtual interrupt, delivered through the guest's trap table
    TrapToMonitor,        // a privileged instruction faulted into the monitor, which emulated it
    SilentlyExecuted,     // a sensitive instruction ran outside ring 0 without trapping
    TranslationCallout,   // translated code called the monitor in place of an instruction
    Hypercall,            // the paravirtual kernel called the monitor
    VmExit,               // the CPU left non-root mode for the monitor in root mode
    VmEntry,              // the monitor resumed the guest in non-root mode
    ReturnByKernel,       // iret or sysret executed by the kernel itself (a paravirtual one's iret in ring 1 too)
    ReturnByMonitor,      // the monitor popped the guest's trap frame for it
    DirectDevice,         // a port access reached a physical device
    EmulatedDevice,       // the monitor emulated a port access on a virtual device
    BlockTranslated,      // a guest block was translated
    CacheLookup,          // an unchained entry found its block in the translation cache
    TranslationsDropped,  // a write over translated code dropped blocks
    ShadowWriteFault,     // a guest page-table write faulted into the monitor, which updated the shadow entry
    ShadowTracedStore,    // a translated store to a guest page table told the monitor inline
    ShadowExitUpdate,     // after a page-table-write VM exit the monitor updated the shadow entry
    ShadowSwitch,         // a page-table-base load made the monitor switch shadow tables
    HiddenFault,          // the shadow tables lacked an entry the guest's tables have: the monitor filled it
    PageWalk,             // a TLB miss walked the page tables
    NestedPageWalk,       // a TLB miss walked guest tables through the monitor's (two-dimensional)
    IsolationRefused,     // a guest reached outside what it owns and was refused
    VmSwitch,             // the monitor moved the CPU from one VM to another
    ContainerSwitch,      // the host kernel switched between containers
    Halt,                 // hlt stopped the CPU
    Idle,                 // hlt slept until the next interrupt
    Count
};
constexpr size_t kMechanismCount = static_cast<size_t>(Mechanism::Count);
std::string_view mechanismId(Mechanism m);  // "reflected-by-monitor", for traces and JSON

// Who runs at a stop on the route. The ring says where; which kernel it is
// (the guest's, the host's) the mode says.
enum class Actor : uint8_t { User, Kernel, Monitor };
std::string_view actorName(Actor a);  // "user", "kernel", "monitor"

// Who runs in a ring as the CPU sees it: the monitor owns root mode, the
// kernel the privileged rings, user programs ring 3.
inline Actor actorAt(int ring) { return ring < 0 ? Actor::Monitor : ring == 3 ? Actor::User : Actor::Kernel; }

struct Hop {
    int8_t ring = 0;  // -1: root mode
    Actor who = Actor::Kernel;
};

// One line of the bill: a named cost (an index in costEntries(), or an
// instruction's own cycles), how many times, and whether the event's cost
// includes it or it is charged apart (in another event or the counters).
struct CostItem {
    uint8_t entry = 0;         // costEntries()[entry], or the opcode when `instruction`
    bool instruction = false;  // the instruction's own base cycles
    bool inEvent = false;
    uint32_t count = 0;
    uint32_t each = 0;
    uint64_t cycles() const { return uint64_t(count) * each; }
    std::string_view name() const;  // "trap_entry", or the mnemonic for an instruction
};

struct Receipt {
    static constexpr size_t kMaxHops = 4;
    static constexpr size_t kMaxItems = 5;

    Mechanism mechanism = Mechanism::Count;  // Count: nobody wrote one
    uint8_t hopCount = 0;
    uint8_t itemCount = 0;
    std::array<Hop, kMaxHops> route{};
    std::array<CostItem, kMaxItems> items{};

    Receipt() = default;
    explicit Receipt(Mechanism m) : mechanism(m) {}

    // The next stop of the route (extra stops past kMaxHops are dropped).
    Receipt& via(int ring, Actor who);
    // A cost charged in this event, and one charged apart.
    Receipt& in(uint32_t Costs::*field, uint32_t each, uint32_t count = 1) { return add(field, each, count, true); }
    Receipt& apart(uint32_t Costs::*field, uint32_t each, uint32_t count = 1) { return add(field, each, count, false); }
    Receipt& instructionApart(uint8_t opcode, uint32_t each);

    std::span<const Hop> hops() const { return {route.data(), hopCount}; }
    std::span<const CostItem> costItems() const { return {items.data(), itemCount}; }
    // The cycles of the items the event's cost includes.
    uint64_t inEventCycles() const;
    bool written() const { return mechanism != Mechanism::Count; }

private:
    Receipt& add(uint32_t Costs::*field, uint32_t each, uint32_t count, bool inEvent);
    Receipt& push(const CostItem& item);
};

}  // namespace ringsim
