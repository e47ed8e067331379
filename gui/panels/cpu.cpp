// CPU: the architectural state of the CPU as it is now (registers, FLAGS,
// ring, root or non-root, control registers), and below it the code around
// the pc with breakpoints, or guest memory.
#include <imgui.h>

#include <vector>

#include "../layout.h"
#include "cpu_views.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

// Takes the snapshots when the simulation stands still at a new cycle, and
// returns what the views compare with.
PauseBaseline updatePauseSnapshots(CpuPanelState& snapshots, const SimController& sim, Session& session) {
    const Cpu& cpu = session.machine().cpu;
    if (snapshots.serial != sim.sessionSerial()) {
        snapshots = CpuPanelState();
        snapshots.serial = sim.sessionSerial();
    }
    if (!sim.busy() && cpu.account.now != snapshots.cycle) {
        // Whole memory, once a pause: a few megabytes, never while running.
        if (snapshots.cycle != ~uint64_t(0)) {
            snapshots.before = snapshots.atPause;
            snapshots.memoryBefore.swap(snapshots.memoryAtPause);
            snapshots.haveBefore = true;
        }
        snapshots.atPause = cpu.state;
        const PhysicalMemory& memory = cpu.memory();
        snapshots.memoryAtPause.assign(memory.data(), memory.data() + memory.size());
        snapshots.cycle = cpu.account.now;
    }
    // Paused: against the pause before this one; running: against the last pause.
    if (sim.busy())
        return snapshots.cycle == ~uint64_t(0) ? PauseBaseline{}
                                               : PauseBaseline{&snapshots.atPause, snapshots.memoryAtPause};
    return snapshots.haveBefore ? PauseBaseline{&snapshots.before, snapshots.memoryBefore} : PauseBaseline{};
}

}  // namespace

void drawCpuPanel(Ui& ui) {
    Session* session = beginRunPanel(ui, PanelSlot::Cpu, "CPU");
    if (!session) return;
    const PauseBaseline baseline = updatePauseSnapshots(ui.panels.cpu, ui.sim, *session);
    drawCpuRegisters(ui, *session, baseline);
    const ImGuiStyle& style = ImGui::GetStyle();
    const TabLine tabs{ImGui::GetCursorPosY(), ImGui::GetCursorPosX() + ImGui::CalcTextSize("Disassembly").x +
                                                   ImGui::CalcTextSize("Memory").x + style.FramePadding.x * 4 +
                                                   style.ItemInnerSpacing.x + 16};
    if (ImGui::BeginTabBar("cpu views")) {
        if (ImGui::BeginTabItem("Disassembly")) {
            drawDisassemblyView(ui, *session, tabs);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Memory")) {
            drawMemoryView(ui, *session, baseline);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
