// The one table of modes: a row per approach to running a guest, with the
// facts the rest of the simulator asks about and how to make its monitor.
// Text becomes a Mode only where input arrives (the command line, scenario
// files, the GUI's pickers); every list of modes a message shows comes from
// this table. A new mode is its own monitor files plus one row here
// (docs/architecture.md has the checklist).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace ringsim {

class Machine;
class Monitor;

enum class Mode : uint8_t {
    Native,             // no monitor
    TrapEmulate,        // the kernel deprivileged to ring 1, privileged instructions trap
    BinaryTranslation,  // kernel code translated, sensitive instructions become callouts
    Emulation,          // every instruction through the emulator
    Paravirt,           // a modified kernel calls the monitor with hypercalls
    HwAssist,           // root and non-root mode: VM exits to ring -1
    Container,          // no guest kernel: programs on the host kernel
    Count
};
constexpr size_t kModeCount = static_cast<size_t>(Mode::Count);

// The GUI view that shows a mode's own mechanism at work.
enum class MechanismView : uint8_t { None, TranslationCache, Hypercalls, ExitControls };

struct ModeInfo {
    Mode mode;
    std::string_view name;     // as typed and printed: "binary-translation"
    std::string_view title;    // as a heading: "Binary translation"
    std::string_view summary;  // one line: where the kernel runs and what the monitor does
    bool virtualMachine;       // the guest kernel runs under a monitor (not native, not container)
    bool needsParavirtKernel;  // the guest kernel must be the paravirtual build
    bool needsHardwareAssist;  // the CPU must have root/non-root mode
    bool containers;           // no guest kernel: the programs run in containers on the host kernel
    bool containerConsole;     // the guest's console is its container's stream: native's without the kernel's lines
    // Ring compression: the guest kernel is moved out to ring 1 and the
    // monitor takes ring 0 (its trap table, its traps). Not emulation (the
    // kernel runs in emulated ring 0) nor hardware assistance (non-root ring 0).
    bool kernelDeprivileged;
    bool translates;           // guest code goes through a translator and its cache
    // The guest's hlt shows as a halt event. Not under hw-assist (hlt is a VM
    // exit) nor paravirt (the kernel asks the monitor with the halt hypercall).
    bool recordsHalt;
    MechanismView view;
    std::unique_ptr<Monitor> (*makeMonitor)(Machine& machine);
};

std::span<const ModeInfo> modeTable();
const ModeInfo& modeInfo(Mode mode);
inline std::string_view modeName(Mode mode);
// The mode a user named, if there is one.
std::optional<Mode> modeFromName(std::string_view name);
// The mode a user named; throws InputError naming the known modes otherwise.
Mode parseMode(std::string_view name);
// Modes as a user gives them, "all" standing for every mode, each checked with parseMode.
std::vector<Mode> parseModes(const std::vector<std::string>& names);
// Every mode, in the table's order.
std::vector<Mode> allModes();
// "native, trap-emulate, ...": the known names for a message.
std::string knownModeNames();

// The monitor for a mode.
std::unique_ptr<Monitor> makeMonitor(Mode mode, Machine& machine);

inline std::string_view modeName(Mode mode) { return modeInfo(mode).name; }
inline std::ostream& operator<<(std::ostream& out, Mode mode) { return out << modeName(mode); }

}  // namespace ringsim

// Modes print by name in messages: fmt::format("{}", Mode::HwAssist) is "hw-assist".
template <>
struct fmt::formatter<ringsim::Mode> : fmt::formatter<std::string_view> {
    template <typename Context>
    auto format(ringsim::Mode mode, Context& ctx) const {
        return fmt::formatter<std::string_view>::format(ringsim::modeName(mode), ctx);
    }
};
