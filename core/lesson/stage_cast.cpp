#include "lesson/stage_cast.h"

#include <fmt/format.h>

#include "lesson/virtual_cpu_view.h"
#include "monitors/container.h"
#include "monitors/monitor_receipts.h"
#include "run/guest_names.h"
#include "run/vm_host.h"

namespace ringsim {

namespace {

// A monitor of its own, in a ring apart from the guest kernel's (ring
// compression, or root mode). Emulation has none on the stage: its whole
// guest runs on the emulated CPU.
bool monitorApart(Mode mode) {
    const ModeInfo& info = modeInfo(mode);
    return info.kernelDeprivileged || info.needsHardwareAssist;
}

// Where a VM's kernel runs on the real CPU: ring 1 under ring compression,
// non-root ring 0 with hardware assistance.
int guestKernelRing(Mode mode) { return modeInfo(mode).kernelDeprivileged ? 1 : 0; }

// The ring a VM's code is in, given the ring its CPU state is in: while the
// monitor has the CPU (its ring), the VM waits in its kernel.
int vmRing(int ring, Mode mode) {
    if (monitorApart(mode) && ring == monitorRing(mode)) return guestKernelRing(mode);
    return ring;
}

std::string vmOccupant(size_t vm, int ring) { return fmt::format("{} {}", vmName(vm), ring == 3 ? "user" : "kernel"); }

void castVms(StageView& view, VmHost& host, Mode mode, int cpuRing) {
    if (monitorApart(mode)) view.occupants.push_back({"monitor", monitorRing(mode), view.litRing == monitorRing(mode)});
    // With an event on stage, its guest is where its receipt's route ends;
    // else the VM on the CPU is where the CPU is.
    const bool byEvent = view.number && view.event.vm < host.size();
    const size_t onStage = byEvent ? view.event.vm : host.current();
    const int onStageRing = byEvent ? view.route.back().ring : cpuRing;
    for (size_t vm = 0; vm < host.size(); ++vm) {
        const bool running = vm == onStage;
        const int ring = vmRing(running ? onStageRing : host.savedRing(vm), mode);
        view.occupants.push_back({vmOccupant(vm, ring), ring, running && ring == view.litRing});
    }
}

void castContainers(StageView& view, const ContainerMonitor& monitor) {
    view.occupants.push_back({"host kernel", 0, view.litRing == 0});
    for (const uint32_t id : monitor.containers())
        view.occupants.push_back({ContainerMonitor::containerName(id), 3,
                                  id == monitor.runningContainer() && view.litRing == 3});
}

void castNative(StageView& view) {
    view.occupants.push_back({"kernel", 0, view.litRing == 0});
    view.occupants.push_back({"program", 3, view.litRing == 3});
}

}  // namespace

void surroundStage(StageView& view, Session& session) {
    const Mode mode = session.options().mode;
    const int cpuRing = session.machine().cpu.ring();
    view.occupants.clear();
    if (VmHost* host = session.host()) castVms(view, *host, mode, cpuRing);
    else if (const auto* containers = dynamic_cast<const ContainerMonitor*>(session.monitor());
             containers && !containers->containers().empty())
        castContainers(view, *containers);
    else castNative(view);

    view.virtualCpu.clear();
    view.virtualCpuAt = session.machine().cpu.account.now;
    const VirtualCpuView cpu = virtualCpuView(session);
    for (const VirtualCpuRow& row : cpu.rows)
        if (row.name == "IF" || row.name == "ring (CPL)")
            view.virtualCpu.push_back({std::string(row.name), row.guest, row.real, row.differs});

    std::string who;
    for (const StageOccupant& o : view.occupants)
        if (o.lit) who += (who.empty() ? "" : ", ") + o.name;
    for (const StageOccupant& o : view.occupants)  // nobody lit: whoever is in that ring
        if (who.empty() && o.ring == view.litRing) who = o.name;
    if (who.empty()) who = "nobody";
    view.cpuLine = fmt::format("CPU in ring {} ({})", view.litRing, who);
}

}  // namespace ringsim
