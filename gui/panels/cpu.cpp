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

// The machine at the last two pauses: what "changed since the last pause or
// step" compares with. Taken when the simulation stands still at a new cycle.
struct PauseSnapshots {
    uint64_t serial = ~uint64_t(0);
    uint64_t cycle = ~uint64_t(0);
    bool haveBefore = false;
    ArchState before, atPause;
    std::vector<uint8_t> memoryBefore, memoryAtPause;

    PauseBaseline update(const SimController& sim, Session& session) {
        const Cpu& cpu = session.machine().cpu;
        if (serial != sim.sessionSerial()) {
            *this = PauseSnapshots();
            serial = sim.sessionSerial();
        }
        if (!sim.busy() && cpu.account.now != cycle) {
            // Whole memory, once a pause: a few megabytes, never while running.
            if (cycle != ~uint64_t(0)) {
                before = atPause;
                memoryBefore.swap(memoryAtPause);
                haveBefore = true;
            }
            atPause = cpu.state;
            const PhysicalMemory& memory = cpu.memory();
            memoryAtPause.assign(memory.data(), memory.data() + memory.size());
            cycle = cpu.account.now;
        }
        // Paused: against the pause before this one; running: against the last pause.
        if (sim.busy()) return cycle == ~uint64_t(0) ? PauseBaseline{} : PauseBaseline{&atPause, memoryAtPause};
        return haveBefore ? PauseBaseline{&before, memoryBefore} : PauseBaseline{};
    }
};

PauseSnapshots snapshots;

}  // namespace

void drawCpuPanel(Ui& ui) {
    Session* session = beginRunPanel(ui, PanelSlot::Cpu, "CPU");
    if (!session) return;
    const PauseBaseline baseline = snapshots.update(ui.sim, *session);
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
