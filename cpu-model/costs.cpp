#include "costs.h"

#include <charconv>
#include <fmt/format.h>

#include "isa.h"

namespace ringsim {
namespace {

constexpr CostEntry kEntries[] = {
    {"trap_entry", &Costs::trapEntry, "hardware delivery of a fault or interrupt through the trap table"},
    {"trap_return", &Costs::trapReturn, "return from a trap or interrupt (iret)"},
    {"syscall_entry", &Costs::syscallEntry, "entering the kernel through the syscall gate"},
    {"syscall_return", &Costs::syscallReturn, "returning through sysret"},
    {"page_walk_ref", &Costs::pageWalkRef, "one memory reference of a page-table walk after a TLB miss"},
    {"io_port", &Costs::ioPort, "one access to a physical device's I/O port"},
    {"block_sector", &Costs::blockSector, "the physical disk moving one 512-byte sector by DMA"},
    {"monitor_trap", &Costs::monitorTrap, "a trap from a deprivileged guest into the monitor and back"},
    {"emulate_privileged", &Costs::emulatePrivileged, "monitor work to emulate one privileged instruction"},
    {"reflect_trap", &Costs::reflectTrap, "monitor work to reflect a trap or interrupt into the guest kernel"},
    {"emulated_io", &Costs::emulatedIo, "monitor work to emulate one access to a virtual device"},
    {"bt_translate_insn", &Costs::btTranslatePerInsn, "binary translation of one guest instruction"},
    {"bt_translate_block", &Costs::btTranslatePerBlock, "fixed cost of translating one basic block"},
    {"bt_lookup", &Costs::btLookup, "translation-cache lookup on an unchained block entry or indirect jump"},
    {"bt_callout", &Costs::btCallout, "a callout from translated code into the monitor"},
    {"emu_insn", &Costs::emuPerInsn, "full emulation overhead per guest instruction (decode, dispatch, flags)"},
    {"emu_helper", &Costs::emuHelper, "full emulation: a call from translated code to a helper for one sensitive instruction"},
    {"emu_tlb_fill", &Costs::emuTlbFill, "full emulation: refilling the emulator's software TLB by walking the guest's tables"},
    {"emu_exception", &Costs::emuException, "full emulation: leaving translated code to deliver a trap or interrupt"},
    {"hypercall", &Costs::hypercall, "a hypercall into the monitor and back"},
    {"vm_exit", &Costs::vmExit, "VM exit: save guest state, load the monitor's (to root mode, ring -1)"},
    {"vm_entry", &Costs::vmEntry, "VM entry: load guest state, back to non-root mode"},
    {"exit_handling", &Costs::exitHandling, "monitor work to decode and handle one VM exit"},
    {"shadow_pte_update", &Costs::shadowPteUpdate, "monitor work to mirror one guest page-table write in the shadow tables"},
    {"shadow_ptb_switch", &Costs::shadowPtbSwitch, "monitor work to switch shadow tables when the guest loads its page-table base"},
    {"nested_walk_refs", &Costs::nestedWalkRefs, "memory references of one two-dimensional (nested paging) walk"},
    {"vm_switch", &Costs::vmSwitch, "the monitor moving the physical CPU from one VM to another"},
    {"container_switch", &Costs::containerSwitch, "host kernel bookkeeping when switching between containers"},
    {"memory_backing", &Costs::memoryBacking,
     "monitor work to back a guest frame on its first touch: allocate a host frame, zero it, map it"},
    {"reflect_gate", &Costs::reflectGate, "monitor work to read and check the guest's trap-table entry before reflecting a trap"},
    {"guest_table_walk", &Costs::guestTableWalk, "the monitor walking the guest's page tables in software for one address"},
    {"device_model_trip", &Costs::deviceModelTrip, "the monitor handing a device access to its device model process and back"},
};

Costs withTableCycles(Costs c) {
    for (const auto& info : isa::instructionTable()) c.instruction[static_cast<uint8_t>(info.opcode)] = info.cycles;
    return c;
}

// A first-generation VT-x machine (Pentium 4 class, 2006). See docs/costs.md.
Costs vtx2006() {
    Costs c;
    c.trapEntry = 400;
    c.trapReturn = 250;
    c.syscallEntry = 100;
    c.syscallReturn = 80;
    c.pageWalkRef = 30;
    c.ioPort = 3000;
    c.blockSector = 20000;
    c.monitorTrap = 650;
    c.emulatePrivileged = 150;
    c.reflectTrap = 300;
    c.emulatedIo = 200;
    c.btTranslatePerInsn = 60;
    c.btTranslatePerBlock = 400;
    c.btLookup = 40;
    c.btCallout = 120;
    c.emuPerInsn = 10;
    c.emuHelper = 60;
    c.emuTlbFill = 300;
    c.emuException = 1200;
    c.hypercall = 400;
    c.vmExit = 1200;
    c.vmEntry = 1200;
    c.exitHandling = 1500;
    c.shadowPteUpdate = 400;
    c.shadowPtbSwitch = 1500;
    c.nestedWalkRefs = 8;
    c.vmSwitch = 3000;
    c.containerSwitch = 50;
    c.memoryBacking = 6000;
    c.reflectGate = 800;
    c.guestTableWalk = 1500;
    c.deviceModelTrip = 4000;
    return withTableCycles(c);
}

// A current machine with cheap exits and nested paging. See docs/costs.md.
Costs modern() {
    Costs c;
    c.trapEntry = 150;
    c.trapReturn = 100;
    c.syscallEntry = 60;
    c.syscallReturn = 50;
    c.pageWalkRef = 20;
    c.ioPort = 1500;
    c.blockSector = 8000;
    c.monitorTrap = 250;
    c.emulatePrivileged = 100;
    c.reflectTrap = 150;
    c.emulatedIo = 150;
    c.btTranslatePerInsn = 40;
    c.btTranslatePerBlock = 300;
    c.btLookup = 25;
    c.btCallout = 80;
    c.emuPerInsn = 8;
    c.emuHelper = 40;
    c.emuTlbFill = 200;
    c.emuException = 800;
    c.hypercall = 200;
    c.vmExit = 250;
    c.vmEntry = 250;
    c.exitHandling = 400;
    c.shadowPteUpdate = 300;
    c.shadowPtbSwitch = 800;
    c.nestedWalkRefs = 8;
    c.vmSwitch = 1000;
    c.containerSwitch = 50;
    c.memoryBacking = 3000;
    c.reflectGate = 200;
    c.guestTableWalk = 400;
    c.deviceModelTrip = 2000;
    return withTableCycles(c);
}

const Preset kPresets[] = {
    {"modern", "a current CPU: cheap VM exits and entries (~500 cycles round trip), nested paging available",
     true, true, modern()},
    {"vtx-2006",
     "a first-generation VT-x CPU (2006): costly exits (~2400 cycles round trip), no nested paging, no VPID (each "
     "exit and entry flushes the TLB)",
     false, false, vtx2006()},
};

constexpr std::string_view kInsnPrefix = "insn.";

}  // namespace

std::string_view categoryName(CycleCategory c) {
    static constexpr std::string_view names[] = {"guest_user", "guest_kernel", "monitor",   "translation",
                                                 "world_switch", "page_walk", "device", "idle"};
    auto i = static_cast<size_t>(c);
    return i < std::size(names) ? names[i] : "?";
}

std::string_view categoryLabel(CycleCategory c) {
    static constexpr std::string_view labels[] = {"guest user", "guest kernel", "monitor",  "translation",
                                                  "world switch", "page walk", "device", "idle"};
    auto i = static_cast<size_t>(c);
    return i < std::size(labels) ? labels[i] : "?";
}

std::span<const CostEntry> costEntries() { return kEntries; }
std::span<const Preset> presets() { return kPresets; }

const Preset* presetNamed(std::string_view name) {
    for (const auto& p : kPresets)
        if (p.name == name) return &p;
    return nullptr;
}

std::optional<std::string> applyCostOverride(Costs& costs, std::string_view name, std::string_view value) {
    uint64_t parsed = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
        return fmt::format("cost '{}': '{}' is not a non-negative whole number of cycles", name, value);
    if (name.starts_with(kInsnPrefix)) {
        auto mnemonic = name.substr(kInsnPrefix.size());
        const auto* info = isa::infoForMnemonic(mnemonic);
        if (!info) return fmt::format("cost '{}': there is no instruction '{}'", name, mnemonic);
        if (parsed < 1 || parsed > 10000)
            return fmt::format("cost '{}': an instruction takes 1 to 10000 cycles, not {}", name, parsed);
        costs.instruction[static_cast<uint8_t>(info->opcode)] = static_cast<uint16_t>(parsed);
        return std::nullopt;
    }
    for (const auto& e : kEntries) {
        if (e.name != name) continue;
        if (parsed > 100'000'000) return fmt::format("cost '{}': {} cycles is more than the limit of 100000000", name, parsed);
        costs.*e.field = static_cast<uint32_t>(parsed);
        return std::nullopt;
    }
    std::string known;
    for (const auto& e : kEntries) known += fmt::format("{}{}", known.empty() ? "" : ", ", e.name);
    return fmt::format("unknown cost '{}' (known: {}, or insn.<mnemonic>)", name, known);
}

std::optional<std::string> applyCostOverride(Costs& costs, std::string_view assignment) {
    auto eq = assignment.find('=');
    if (eq == std::string_view::npos)
        return fmt::format("cost override '{}' must look like name=value", assignment);
    return applyCostOverride(costs, assignment.substr(0, eq), assignment.substr(eq + 1));
}

std::vector<std::pair<std::string, uint32_t>> listCosts(const Costs& costs) {
    std::vector<std::pair<std::string, uint32_t>> out;
    for (const auto& e : kEntries) out.emplace_back(std::string(e.name), costs.*e.field);
    for (const auto& info : isa::instructionTable())
        out.emplace_back(fmt::format("{}{}", kInsnPrefix, info.mnemonic),
                         costs.instruction[static_cast<uint8_t>(info.opcode)]);
    return out;
}

}  // namespace ringsim
