#include "monitors/modes.h"

#include <fmt/format.h>

#include "machine/errors.h"
#include "monitors/binary_translation.h"
#include "monitors/container.h"
#include "monitors/emulation.h"
#include "monitors/hw_assist.h"
#include "monitors/native.h"
#include "monitors/paravirt.h"
#include "monitors/trap_emulate.h"

namespace ringsim {

namespace {

template <typename M>
std::unique_ptr<Monitor> make(Machine& machine) {
    return std::make_unique<M>(machine);
}

// Rows in the order of Mode. Columns: mode, name, title, summary, virtual machine, paravirtual
// kernel, hardware assistance, containers, container console, kernel deprivileged, translates, records halt,
// view, monitor.
constexpr ModeInfo kModes[] = {
    {Mode::Native, "native", "Native", "no monitor: the kernel owns ring 0 and the real devices", false, false, false,
     false, false, false, false, true, MechanismView::None, make<NativeMonitor>},
    {Mode::TrapEmulate, "trap-emulate", "Trap and emulate",
     "the kernel deprivileged to ring 1; privileged instructions fault to the monitor", true, false, false, false,
     false, true, false, true, MechanismView::None, make<TrapEmulateMonitor>},
    {Mode::BinaryTranslation, "binary-translation", "Binary translation",
     "kernel code translated block by block, sensitive instructions become callouts; user code runs directly", true,
     false, false, false, false, true, true, true, MechanismView::TranslationCache, make<BinaryTranslationMonitor>},
    {Mode::Emulation, "emulation", "Emulation", "every instruction, user and kernel, goes through the emulator", true,
     false, false, false, false, false, true, true, MechanismView::TranslationCache, make<EmulationMonitor>},
    {Mode::Paravirt, "paravirt", "Paravirtualisation", "a modified kernel in ring 1 calls the monitor with hypercalls",
     true, true, false, false, false, true, false, false, MechanismView::Hypercalls, make<ParavirtMonitor>},
    {Mode::HwAssist, "hw-assist", "Hardware assistance",
     "the unmodified kernel in non-root ring 0; selected events exit to the monitor in ring -1", true, false, true,
     false, false, false, false, false, MechanismView::ExitControls, make<HardwareAssistMonitor>},
    {Mode::Container, "container", "Containers",
     "no guest kernel: the programs run in ring 3 as processes of the host kernel, in a namespace of their own "
     "(pids, console stream)",
     false, false, false, true, true, false, false, true, MechanismView::None, make<ContainerMonitor>},
};
static_assert(std::size(kModes) == kModeCount, "a row for every mode");

constexpr bool rowsInOrder() {
    for (size_t i = 0; i < kModeCount; ++i)
        if (kModes[i].mode != Mode(i)) return false;
    return true;
}
static_assert(rowsInOrder(), "the rows follow the order of Mode");

}  // namespace

std::span<const ModeInfo> modeTable() { return kModes; }

const ModeInfo& modeInfo(Mode mode) { return kModes[static_cast<size_t>(mode)]; }

std::optional<Mode> modeFromName(std::string_view name) {
    for (const auto& m : kModes)
        if (m.name == name) return m.mode;
    return std::nullopt;
}

std::string knownModeNames() {
    std::string known;
    for (const auto& m : kModes) known += fmt::format("{}{}", known.empty() ? "" : ", ", m.name);
    return known;
}

Mode parseMode(std::string_view name) {
    if (auto mode = modeFromName(name)) return *mode;
    throw InputError(fmt::format("unknown mode '{}' (known: {})", name, knownModeNames()));
}

std::vector<Mode> allModes() {
    std::vector<Mode> out;
    for (const auto& m : kModes) out.push_back(m.mode);
    return out;
}

std::vector<Mode> parseModes(const std::vector<std::string>& names) {
    std::vector<Mode> out;
    for (const auto& name : names) {
        if (name == "all") {
            for (const auto& m : kModes) out.push_back(m.mode);
        } else {
            out.push_back(parseMode(name));
        }
    }
    return out;
}

std::unique_ptr<Monitor> makeMonitor(Mode mode, Machine& machine) { return modeInfo(mode).makeMonitor(machine); }

}  // namespace ringsim
