#include "monitors/monitor.h"

#include <fmt/format.h>
#include <stdexcept>

#include "machine/errors.h"
#include "monitors/native.h"
#include "monitors/container.h"
#include "monitors/binary_translation.h"
#include "monitors/emulation.h"
#include "monitors/hw_assist.h"
#include "monitors/paravirt.h"
#include "monitors/trap_emulate.h"

namespace ringsim {

namespace {
constexpr ModeInfo kModes[] = {
    {"native", "no monitor: the kernel owns ring 0 and the real devices", false, false, false, false, false},
    {"trap-emulate", "the kernel deprivileged to ring 1; privileged instructions fault to the monitor", true, false,
     false, false, true},
    {"binary-translation", "kernel code translated block by block, sensitive instructions become callouts; user code "
                           "runs directly",
     true, false, false, false, true},
    {"emulation", "every instruction, user and kernel, goes through the emulator", true, false, false, false, false},
    {"paravirt", "a modified kernel in ring 1 calls the monitor with hypercalls", true, true, false, false, true},
    {"hw-assist", "the unmodified kernel in non-root ring 0; selected events exit to the monitor in ring -1", true,
     false, true, false, false},
    {"container", "no guest kernel: the programs run in ring 3 as processes of the host kernel, in a namespace of "
                  "their own (pids, console stream)",
     false, false, false, true, false},
};
}  // namespace

std::span<const ModeInfo> modeTable() { return kModes; }

const ModeInfo* modeInfo(std::string_view name) {
    for (const auto& m : kModes)
        if (m.name == name) return &m;
    return nullptr;
}

const ModeInfo& requireMode(std::string_view name) {
    if (const ModeInfo* m = modeInfo(name)) return *m;
    std::string known;
    for (const auto& m : kModes) known += fmt::format("{}{}", known.empty() ? "" : ", ", m.name);
    throw InputError(fmt::format("unknown mode '{}' (known: {})", name, known));
}

std::vector<std::string> expandModes(const std::vector<std::string>& modes) {
    std::vector<std::string> out;
    for (const auto& m : modes) {
        if (m == "all")
            for (const auto& info : modeTable()) out.emplace_back(info.name);
        else
            out.emplace_back(requireMode(m).name);
    }
    return out;
}

void Monitor::outsideWindow(Cpu& cpu, const Trap& trap) {
    if (requireMode(mode()).virtualMachine)
        record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), trap.faultPc, trap.address);
}

MonitorCounters& MonitorCounters::operator+=(const MonitorCounters& o) {
    for (size_t i = 0; i < exits.size(); ++i) exits[i] += o.exits[i];
    for (const auto& [number, count] : o.hypercalls) hypercalls[number] += count;
    trapsIntoMonitor += o.trapsIntoMonitor;
    emulated += o.emulated;
    reflected += o.reflected;
    translatedBlocks += o.translatedBlocks;
    translatedInstructions += o.translatedInstructions;
    cacheHits += o.cacheHits;
    invalidations += o.invalidations;
    callouts += o.callouts;
    shadowUpdates += o.shadowUpdates;
    return *this;
}

bool refuseUnassignedPort(Machine& machine, Cpu& cpu, uint32_t port, uint32_t pc) {
    if (DeviceSet::answers(port)) return false;
    machine.record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), pc, port);
    return true;
}

bool Monitor::portRefused(Cpu& cpu, uint32_t port, uint32_t pc) {
    return !DeviceSet::answers(port) && requireMode(mode()).virtualMachine &&
           refuseUnassignedPort(machine_, cpu, port, pc);
}

Footprint Monitor::footprint() const {
    Footprint f;
    const uint32_t limit = partition_.limit ? partition_.limit : machine_.memory.size() - partition_.base;
    f.pages = machine_.memory.pagesInUse(partition_.base, limit);
    f.startupCycles = guestDevices().console.firstLineCycle(Console::kWholeText, "kernel: ");
    return f;
}

void Monitor::bootInPartition(const GuestImages& guest) {
    const uint32_t limit = partition_.limit ? partition_.limit : machine_.memory.size() - partition_.base;
    machine_.boot(guest, partition_.base, limit);
}

std::unique_ptr<Monitor> makeMonitor(std::string_view mode, Machine& machine) {
    requireMode(mode);
    if (mode == "native") return std::make_unique<NativeMonitor>(machine);
    if (mode == "trap-emulate") return std::make_unique<TrapEmulateMonitor>(machine);
    if (mode == "binary-translation") return std::make_unique<BinaryTranslationMonitor>(machine);
    if (mode == "emulation") return std::make_unique<EmulationMonitor>(machine);
    if (mode == "hw-assist") return std::make_unique<HardwareAssistMonitor>(machine);
    if (mode == "paravirt") return std::make_unique<ParavirtMonitor>(machine);
    if (mode == "container") return std::make_unique<ContainerMonitor>(machine);
    throw std::logic_error(fmt::format("mode '{}' is in the mode table but has no monitor", mode));
}

}  // namespace ringsim
