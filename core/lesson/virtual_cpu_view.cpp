#include "lesson/virtual_cpu_view.h"

#include <fmt/format.h>

#include "monitors/modes.h"

namespace ringsim {

namespace {

using Holder = VirtualCpuState::Holder;

std::string onOff(bool on) { return on ? "1 (on)" : "0 (off)"; }
std::string hex(uint32_t value) { return fmt::format("{:#010x}", value); }
std::string period(uint32_t cycles) { return cycles ? std::to_string(cycles) : "off"; }
std::string yesNo(bool yes) { return yes ? "yes" : "no"; }

// The real ring in the words of the mode: root and non-root matter only under hardware assistance.
std::string realRing(const VirtualCpuState& real, Holder holder) {
    if (real.ring < 0) return "-1 (root)";
    return holder == Holder::Hardware ? fmt::format("{} (non-root)", real.ring) : std::to_string(real.ring);
}

// What a difference means, by row, for a monitor's own copy (ring compression).
std::string_view whyInterrupts(const VirtualCpuState& guest) {
    return guest.interruptsEnabled
               ? "The guest kernel has its interrupts on, but the real CPU has them off for now."
               : "The guest kernel's interrupts are off (as at boot, or after cli, popf or a hypercall); the real CPU "
                 "keeps them on so that every tick reaches the monitor, which holds it for the guest until the guest "
                 "turns them on.";
}
std::string_view whyPending(const VirtualCpuState& guest) {
    return guest.interruptPending
               ? "A tick came while the guest had its interrupts off: the monitor holds it, and passes it on when "
                 "the guest turns them on."
               : "The real CPU has a tick waiting that the monitor has not taken yet.";
}

}  // namespace

bool VirtualCpuView::anyDifference() const {
    for (const VirtualCpuRow& row : rows)
        if (row.differs) return true;
    return false;
}

VirtualCpuView compareVirtualCpu(const VirtualCpuState& guest, const VirtualCpuState& real) {
    VirtualCpuView view;
    const bool hardware = guest.holder == Holder::Hardware;
    view.heldByHardware = hardware;
    auto row = [&](std::string_view name, std::string g, std::string r, bool differs, std::string_view why) {
        view.rows.push_back(VirtualCpuRow{name, std::move(g), std::move(r), differs, differs ? why : ""});
    };
    row("IF", onOff(guest.interruptsEnabled), onOff(real.interruptsEnabled),
        guest.interruptsEnabled != real.interruptsEnabled, whyInterrupts(guest));
    row("ring (CPL)", hardware ? realRing(guest, Holder::Hardware) : std::to_string(guest.ring),
        realRing(real, guest.holder), guest.ring != real.ring,
        hardware ? "The monitor runs in root mode (ring -1); the guest's state waits in the VMCS until the VM entry."
                 : "Ring compression: the guest kernel runs in ring 1 of the real CPU, and the monitor keeps that it "
                   "is in its ring 0. An unprivileged getcpl would read the real 1.");
    row("trap table", hex(guest.trapTable), hex(real.trapTable), guest.trapTable != real.trapTable,
        "The real CPU takes every trap through the monitor's table; the monitor passes each on through the guest's "
        "own. An unprivileged stt would read the monitor's.");
    row("page table", hex(guest.pageTable), hex(real.pageTable), guest.pageTable != real.pageTable,
        "The MMU walks other tables than the ones the guest kernel loaded: the monitor's.");
    row("kernel stack", hex(guest.kernelStack), hex(real.kernelStack), guest.kernelStack != real.kernelStack,
        "The real CPU would enter ring 0 on the monitor's stack; when the monitor passes a trap on, it puts the "
        "guest's handler on the guest's own kernel stack.");
    row("timer (cycles)", period(guest.timerPeriod), period(real.timerPeriod), guest.timerPeriod != real.timerPeriod,
        "The real timer is set apart from the guest's virtual one.");
    row("tick pending", yesNo(guest.interruptPending), yesNo(real.interruptPending),
        guest.interruptPending != real.interruptPending, whyPending(guest));

    if (guest.interruptsEnabled != real.interruptsEnabled && !guest.interruptsEnabled)
        view.note = "The guest kernel's interrupts are off; the real CPU keeps them on so the monitor sees every tick.";
    else if (hardware)
        view.note = "Hardware assistance: the CPU itself holds the guest's state in non-root mode, so there is no "
                    "second copy and nothing to emulate.";
    return view;
}

VirtualCpuView virtualCpuView(Session& session) {
    const Mode mode = session.options().mode;
    VirtualCpuView absent;
    VmHost* host = session.host();
    std::optional<VirtualCpuState> guest;
    if (host) guest = host->monitor(host->current()).virtualCpu();
    else if (session.monitor()) guest = session.monitor()->virtualCpu();
    if (!guest) {
        switch (mode) {
        case Mode::Native: absent.absent = "Native: no monitor and no virtual CPU; the kernel owns the real CPU."; break;
        case Mode::Container:
            absent.absent = "Containers: no guest kernel and no virtual CPU; the host kernel owns the real CPU.";
            break;
        case Mode::Emulation:
            absent.absent = "Emulation: the CPU shown is the emulated one, the guest's whole machine; there is no "
                            "second copy beside it.";
            break;
        default: absent.absent = fmt::format("{}: its monitor keeps no virtual CPU.", modeInfo(mode).title); break;
        }
        return absent;
    }
    VirtualCpuView view = compareVirtualCpu(*guest, realCpuState(session.machine().cpu));
    if (host && host->size() > 1) view.whose = fmt::format("vm{} (of {} VMs)", host->current(), host->size());
    return view;
}

}  // namespace ringsim
