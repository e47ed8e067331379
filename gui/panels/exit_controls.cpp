// Exit controls (hw-assist): the VMCS-like controls as checkboxes — which
// events exit to the monitor — applied from the next reset, beside the exits
// of the current run by reason. Each control's tooltip says what exits when
// it is on and what happens when it is off, including when turning it off
// costs the monitor its control or the guest its correctness.
#include <imgui.h>

#include <algorithm>

#include <string>

#include "../elide.h"
#include "../layout.h"
#include "../theme.h"
#include "run/session.h"
#include "mechanism_panels.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

struct ControlFacts {
    VmExitReason reason;
    const char* label;  // the instruction or event, as a student knows it
    const char* on;
    const char* off;
};

// In the order a lecture meets them: the instructions an unmodified kernel
// uses, then the events.
constexpr ControlFacts kControls[] = {
    {VmExitReason::IoInstruction, "in / out",
     "in and out exit; the monitor emulates the device. Every access costs an exit and an entry.",
     "in and out run in the guest and reach its device without a world switch, like a device passed through to "
     "the VM: the same output, far cheaper. On real hardware the guest then drives the physical device itself, "
     "which is safe only when the device is this VM's alone: the monitor no longer sees or checks the I/O."},
    {VmExitReason::Hlt, "hlt",
     "hlt exits; the monitor idles the VM until its next interrupt and could run another VM meanwhile.",
     "hlt runs in the guest: the physical CPU itself waits for the next interrupt, and the monitor cannot give "
     "the idle time to another VM."},
    {VmExitReason::TimerProgramming, "stimer",
     "stimer exits; the monitor programs the VM's virtual timer.",
     "stimer runs in the guest and programs the timer directly: here the result is the same with one exit "
     "fewer. On real hardware that timer is the monitor's, and a guest that reprograms it decides when the "
     "monitor gets the CPU back."},
    {VmExitReason::ExternalInterrupt, "timer interrupt",
     "A timer interrupt while the guest runs exits; the monitor injects a virtual one. This is how the monitor "
     "keeps control of the CPU.",
     "Interrupts go straight to the guest's own trap table, without an exit: cheaper, but the monitor never "
     "regains the CPU on a tick. On real hardware it could no longer preempt this VM (the simulator's VM "
     "scheduler still switches VMs at the end of each slice)."},
    {VmExitReason::PageTableBaseLoad, "lptb",
     "lptb exits (like a CR3 load); with shadow paging the monitor rebuilds its shadow tables for the new "
     "address space.",
     "lptb runs in the guest. With nested paging that is right: the MMU walks the guest's tables itself. With "
     "shadow paging the monitor never learns of the switch, and a real machine would go on translating with "
     "the old shadow tables: the guest would run with the wrong memory. (The simulator's MMU still walks the "
     "guest's tables, so here only the counts change.)"},
    {VmExitReason::GuestPageTableWrite, "page-table write",
     "Not a VT-x control but shadow paging's write protection: a write to a guest page table the monitor "
     "shadows exits, and the monitor updates its shadow.",
     "The writes go unseen. On a real machine the shadow tables go stale and the guest keeps using mappings "
     "it removed, so the isolation it relies on breaks. (The simulator's MMU still reads the guest's tables, "
     "so here only the counts change.) With nested paging there are no shadows and this does nothing."},
    {VmExitReason::TlbInvalidate, "invlpg / tlbflush",
     "invlpg and tlbflush exit; the monitor drops the translations for the guest.",
     "They run in the guest: they drop only the guest's own cached translations, which is all they need to do."},
    {VmExitReason::TrapTableLoad, "ltt",
     "ltt exits (like descriptor-table exiting); the monitor loads the trap table for the guest.",
     "ltt runs in the guest: in non-root mode the guest has a trap table of its own, so nothing needs the monitor."},
    {VmExitReason::ControlRegisterRead, "rdcr",
     "rdcr exits; the monitor reads the control register for the guest.",
     "rdcr runs in the guest and reads the guest's own control registers."},
    {VmExitReason::PageFault, "page fault",
     "Every page fault in the guest exits; the monitor hands it back to the guest (a monitor that shadows page "
     "tables needs this to tell its own faults from the guest's).",
     "Page faults go to the guest's own handler without an exit."},
    {VmExitReason::MemoryBacking, "first touch of memory",
     "Not a VT-x control but how the monitor holds the VM's memory: the first touch of a guest frame it has not "
     "backed yet exits (an EPT violation), and the monitor allocates, zeroes and maps a host frame for it.",
     "The monitor backs all of the VM's memory when it creates it: no exits on first touches, but every frame "
     "of the partition is the VM's from the start, touched or not."},
    {VmExitReason::Hypercall, "hcall",
     "hcall always exits, like VMCALL: there is no control to turn it off. This monitor offers no hypercalls, "
     "so the unmodified guest gets an invalid-opcode fault.",
     ""},
};
static_assert(std::size(kControls) == kVmExitReasonCount);


void controlTooltip(const ControlFacts& c, bool nested) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::Text("%s (exit reason %s)", c.label, std::string(vmExitReasonName(c.reason)).c_str());
    ImGui::Separator();
    ImGui::TextUnformatted("On: ");
    ImGui::SameLine(0, 0);
    ImGui::TextUnformatted(c.on);
    if (*c.off) {
        ImGui::TextUnformatted("Off: ");
        ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(c.off);
    }
    if (nested && (c.reason == VmExitReason::PageTableBaseLoad || c.reason == VmExitReason::GuestPageTableWrite))
        ImGui::TextDisabled("This run uses nested paging: the MMU translates guest memory itself.");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace

void drawExitControlsPanel(Ui& ui) {
    ExitControlsPanelState& view = ui.panels.exitControls;
    if (!beginMechanismPanel(ui, MechanismPanel::ExitControls)) return;
    Session* session = ui.sim.session();
    const VmControls& running = session->machine().cpu.vmControls;
    if (view.shownFor != session) {
        // A new run: start from the controls it actually uses.
        view.shownFor = session;
        view.pending = running;
        view.edited = false;
    }
    const bool nested = session->machine().config.cpu.nestedPaging;
    const RunResult counters = session->counters();

    // The buttons first: what the checkboxes change happens only from a reset.
    ImGui::BeginDisabled(!view.edited);
    if (ImGui::Button("Apply and reset")) {
        ui.sim.setExitControls(view.pending);
        ui.sim.reset();
        view.shownFor = nullptr;
    }
    ImGui::EndDisabled();
    sameLineIfFits(ImGui::CalcTextSize("Monitor's own").x + ImGui::GetStyle().FramePadding.x * 2);
    ImGui::BeginDisabled(!ui.sim.exitControls() && !view.edited);
    if (ImGui::Button("Monitor's own")) {
        ui.sim.setExitControls(std::nullopt);
        ui.sim.reset();
        view.shownFor = nullptr;
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Back to the controls the monitor chooses itself, and reset");
    if (view.edited) {
        sameLineIfFits(ImGui::CalcTextSize("changed: from the reset").x);
        ImGui::TextColored(palette().changedText, "changed: from the reset");
    } else {
        const std::string exitsText = std::to_string(counters.monitor.totalExits()) + " exits, " +
                                      (nested ? "nested" : "shadow") + " paging";
        sameLineIfFits(ImGui::CalcTextSize(exitsText.c_str()).x);
        ImGui::TextDisabled("%s", exitsText.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Exits of this run so far; beside each control, the exits for its reason.\n"
                              "Hover over a control to see what exits when it is on, and what happens when it is off.");
    }

    // Two controls a row where both labels fit, else one; each with this run's exits for its reason.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_BordersInnerV;
    const float count = ImGui::CalcTextSize("000000").x;
    float widestLabel = 0;
    for (const ControlFacts& c : kControls) widestLabel = std::max(widestLabel, ImGui::CalcTextSize(c.label).x);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float control = widestLabel + ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + count + style.CellPadding.x * 4;
    const size_t perRow = ImGui::GetContentRegionAvail().x >= 2 * control + style.ScrollbarSize ? 2 : 1;
    if (ImGui::BeginTable("controls", int(perRow * 2), flags)) {
        // No header row: six rows fit the panel's default height without scrolling.
        ImGui::TableSetupColumn("exits on", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("exits", ImGuiTableColumnFlags_WidthFixed, count);
        if (perRow == 2) {
            ImGui::TableSetupColumn("exits on##2", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("exits##2", ImGuiTableColumnFlags_WidthFixed, count);
        }
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(2, 0));
        for (size_t i = 0; i < std::size(kControls); ++i) {
            const ControlFacts& c = kControls[i];
            const size_t r = size_t(c.reason);
            if (i % perRow == 0) ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool alwaysExits = c.reason == VmExitReason::Hypercall;
            bool on = alwaysExits || view.pending.exitOn[r];
            ImGui::BeginDisabled(alwaysExits);
            // A control whose pending value differs from the running one is marked.
            const bool changed = !alwaysExits && view.pending.exitOn[r] != running.exitOn[r];
            if (changed) ImGui::PushStyleColor(ImGuiCol_Text, palette().changedText);
            if (ImGui::Checkbox(c.label, &on)) {
                view.pending.exitOn[r] = on;
                view.edited = view.pending.exitOn != running.exitOn;
            }
            if (changed) ImGui::PopStyleColor();
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) controlTooltip(c, nested);
            ImGui::TableNextColumn();
            const uint64_t exits = counters.monitor.exits[r];
            if (exits) ImGui::Text("%llu", static_cast<unsigned long long>(exits));
            else ImGui::TextDisabled("0");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%llu %s exits in this run", static_cast<unsigned long long>(exits),
                                  std::string(vmExitReasonName(c.reason)).c_str());
        }
        ImGui::PopStyleVar();
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
