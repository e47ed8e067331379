// The cost model: where every simulated cycle goes, and how many cycles each
// mechanism costs under a named preset. Figures and their sources: docs/costs.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringsim {

// Every cycle is charged to exactly one of these.
enum class CycleCategory : uint8_t {
    GuestUser,    // instructions executed in ring 3
    GuestKernel,  // instructions executed in rings 0-2 by the (guest) kernel, and its trap entries
    Monitor,      // work of a monitor: emulating, handling exits, hypercalls, callouts
    Translation,  // translating guest code, translation-cache lookups, interpretation overhead
    WorldSwitch,  // VM exits and entries, switches between VMs
    PageWalk,     // TLB misses: walking page tables
    Device,       // time spent by device accesses (port I/O, DMA)
    Idle,         // halted, waiting for an interrupt
    Count
};
constexpr size_t kCycleCategoryCount = static_cast<size_t>(CycleCategory::Count);
std::string_view categoryName(CycleCategory c);   // "guest_user", ...
std::string_view categoryLabel(CycleCategory c);  // "guest user", ...

// Named costs, in cycles. Instruction base cycles come from the instruction
// table and may be overridden per mnemonic ("insn.div").
struct Costs {
    // the bare machine
    uint32_t trapEntry = 0;       // hardware delivery of a fault or interrupt through the trap table
    uint32_t trapReturn = 0;      // iret
    uint32_t syscallEntry = 0;    // the syscall gate
    uint32_t syscallReturn = 0;   // sysret
    uint32_t pageWalkRef = 0;     // one memory reference of a page walk
    uint32_t ioPort = 0;          // one access to a physical device's port
    uint32_t blockSector = 0;     // DMA of one 512-byte sector by the physical disk
    // monitors
    uint32_t monitorTrap = 0;       // a trap into the monitor and back (trap-and-emulate, ring compression)
    uint32_t emulatePrivileged = 0; // monitor work to emulate one privileged instruction
    uint32_t reflectTrap = 0;       // monitor work to reflect a trap into the guest kernel
    uint32_t emulatedIo = 0;        // monitor work to emulate one access to a virtual device
    uint32_t btTranslatePerInsn = 0;  // translating one guest instruction
    uint32_t btTranslatePerBlock = 0; // fixed cost of translating one block
    uint32_t btLookup = 0;            // translation-cache lookup (unchained block entry, indirect jump)
    uint32_t btCallout = 0;           // a callout from translated code into the monitor
    uint32_t emuPerInsn = 0;          // full emulation: interpreting/translating one guest instruction
    uint32_t emuHelper = 0;           // full emulation: a helper call for a sensitive instruction
    uint32_t emuTlbFill = 0;          // full emulation: refilling the soft TLB (a software page walk)
    uint32_t emuException = 0;        // full emulation: leaving translated code to deliver a trap or interrupt
    uint32_t hypercall = 0;           // a hypercall into the monitor and back
    uint32_t vmExit = 0;              // VM exit: save guest state, load host state (root mode)
    uint32_t vmEntry = 0;             // VM entry: back to non-root mode
    uint32_t exitHandling = 0;        // monitor work to decode and handle one VM exit
    uint32_t shadowPteUpdate = 0;     // monitor work to mirror one guest page-table write in the shadow tables
    uint32_t shadowPtbSwitch = 0;     // monitor work to switch shadow tables on a guest page-table-base load
    uint32_t nestedWalkRefs = 0;      // memory references of one two-dimensional (nested) page walk
    uint32_t vmSwitch = 0;            // the monitor switching the physical CPU from one VM to another
    uint32_t containerSwitch = 0;     // host kernel switching between containers (cgroup/namespace bookkeeping)
    uint32_t memoryBacking = 0;       // monitor work to back a guest frame on first touch (allocate, zero, map)
    // the parts of a monitor's work that issue 15's mechanisms name
    uint32_t reflectGate = 0;         // monitor work to read and check the guest's trap-table entry before reflecting
    uint32_t guestTableWalk = 0;      // monitor walking the guest's page tables in software (one address)
    uint32_t deviceModelTrip = 0;     // the monitor handing a device access to its device model process and back
    // per-opcode base cycles (from the instruction table unless overridden)
    std::array<uint16_t, 256> instruction{};
};

struct CostEntry {
    std::string_view name;            // as written in overrides: "trap_entry"
    uint32_t Costs::*field;
    std::string_view meaning;
};
std::span<const CostEntry> costEntries();

struct Preset {
    std::string_view name;
    std::string_view description;
    bool nestedPaging;  // whether this generation of CPU can walk nested page tables
    bool taggedTlb;     // whether its TLB tags entries by VM (VPID), so VM exits and entries keep them
    Costs costs;
};
std::span<const Preset> presets();
const Preset* presetNamed(std::string_view name);
constexpr std::string_view kDefaultPreset = "modern";

// Applies "name=value" (or name and value) to costs. Names are cost entries or
// "insn.<mnemonic>". Returns an error message, or nothing on success.
std::optional<std::string> applyCostOverride(Costs& costs, std::string_view name, std::string_view value);
std::optional<std::string> applyCostOverride(Costs& costs, std::string_view assignment);

// Every named cost with its value, instruction overrides included, in a stable order.
std::vector<std::pair<std::string, uint32_t>> listCosts(const Costs& costs);

}  // namespace ringsim
