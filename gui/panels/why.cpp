// "Why did this happen?": the selected event explained — the instruction
// behind it and its class, the mechanism this mode used, where control went,
// and its cost part by part. The knowledge is core's (core/explain.h); this
// card only lays it out, and helps to select an event when none is.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "../colours.h"
#include "../elide.h"
#include "../layout.h"
#include "lesson/explain.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr const char* kTitle = "Why did this happen?";

using WhyView = WhyPanelState;

ImVec4 classColour(const std::string& cls) {
    if (cls == "privileged") return {1.0f, 0.55f, 0.35f, 1};
    if (cls == "sensitive-unprivileged") return {1.0f, 0.85f, 0.30f, 1};
    if (cls == "hypercall") return {0.75f, 0.6f, 1.0f, 1};
    if (cls == "gate") return {0.5f, 0.8f, 1.0f, 1};
    return {0.75f, 0.75f, 0.75f, 1};
}

// A label in the left column, its text wrapped beside it.
void row(const char* label, const std::string& text) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", label);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", text.c_str());
}

// The parts of the cost as one bar: the event's own parts solid, the ones
// charged apart faded, each a fixed colour by position so they can be told apart.
void costBar(const EventExplanation& x) {
    uint64_t total = 0;
    for (const auto& p : x.costs) total += p.cycles();
    if (total == 0) return;
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetTextLineHeight() * 0.8f;
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float xpos = start.x;
    for (size_t i = 0; i < x.costs.size(); ++i) {
        const CostPart& p = x.costs[i];
        const float w = width * float(p.cycles()) / float(total);
        ImVec4 c = categoryColour(CycleCategory(i % kCycleCategoryCount));
        if (!p.inEventCost) c.w = 0.35f;
        draw->AddRectFilled(ImVec2(xpos, start.y), ImVec2(xpos + w, start.y + height), ImGui::ColorConvertFloat4ToU32(c));
        if (ImGui::IsMouseHoveringRect(ImVec2(xpos, start.y), ImVec2(xpos + w, start.y + height)))
            ImGui::SetTooltip("%s: %llu cycles\n%s", p.name.c_str(), static_cast<unsigned long long>(p.cycles()),
                              p.meaning.c_str());
        xpos += w;
    }
    ImGui::Dummy(ImVec2(width, height));
}

void drawCosts(const EventExplanation& x) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("cost");
    ImGui::TableNextColumn();
    ImGui::Text("%llu cycles in the event", static_cast<unsigned long long>(x.eventCost));
    costBar(x);
    if (ImGui::BeginTable("parts", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX)) {
        for (size_t i = 0; i < x.costs.size(); ++i) {
            const CostPart& p = x.costs[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            // A swatch of the part's colour in the bar, then whether the event's cost includes it.
            ImVec4 c = categoryColour(CycleCategory(i % kCycleCategoryCount));
            if (!p.inEventCost) c.w = 0.35f;
            const float side = ImGui::GetTextLineHeight() * 0.7f;
            ImGui::ColorButton("##part", c, ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_AlphaPreview, ImVec2(side, side));
            ImGui::SameLine();
            if (p.inEventCost)
                ImGui::TextUnformatted("in event");
            else
                ImGui::TextDisabled("apart");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(p.name.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.meaning.c_str());
            ImGui::TableNextColumn();
            if (p.count == 1)
                ImGui::Text("%llu", static_cast<unsigned long long>(p.each));
            else
                ImGui::Text("%llu x %llu = %llu", static_cast<unsigned long long>(p.count),
                            static_cast<unsigned long long>(p.each), static_cast<unsigned long long>(p.cycles()));
        }
        ImGui::EndTable();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", x.costNote.c_str());
    ImGui::PopStyleColor();
}

// Newest first: the latest retained event of `kind` (or of any kind).
std::optional<uint64_t> latestEvent(const EventLog& log, std::optional<EventKind> kind) {
    for (uint64_t n = log.total(); n > log.firstRetained(); --n)
        if (!kind || log.at(n - 1).kind == *kind) return n - 1;
    return std::nullopt;
}

void drawSelectHelp(Ui& ui, const EventLog& log) {
    WhyView& view = ui.panels.why;
    ImGui::TextWrapped("Select an event to see why it happened: click a row in the Event log, or a marker in the "
                       "Timeline.");
    ImGui::BeginDisabled(log.total() == 0);
    if (ImGui::Button("Select the latest event"))
        if (auto n = latestEvent(log, std::nullopt)) ui.selection.select(*n);
    ImGui::EndDisabled();
    if (ImGui::Button("Latest of kind")) {
        view.searchNote.clear();
        if (auto n = latestEvent(log, EventKind(view.kindChoice)))
            ui.selection.select(*n);
        else
            view.searchNote = "none in the log yet";
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::min(200.0f, ImGui::GetContentRegionAvail().x));
    if (beginComboElided("##kind", eventKindName(EventKind(view.kindChoice)))) {
        for (size_t k = 0; k < kEventKindCount; ++k) {
            const std::string name(eventKindName(EventKind(k)));
            const std::string label = name + " (" + std::to_string(log.count(EventKind(k))) + ")";
            if (ImGui::Selectable(label.c_str(), int(k) == view.kindChoice)) view.kindChoice = int(k);
        }
        ImGui::EndCombo();
    }
    if (!view.searchNote.empty()) ImGui::TextDisabled("%s", view.searchNote.c_str());
}

}  // namespace

void drawWhyPanel(Ui& ui) {
    WhyView& view = ui.panels.why;
    Session* session = beginRunPanel(ui, PanelSlot::Why, kTitle);
    if (!session) return;
    const EventLog& log = session->machine().events;
    const std::optional<uint64_t> selected = ui.selection.event;
    if (!selected) {
        drawSelectHelp(ui, log);
        ImGui::End();
        return;
    }
    if (*selected >= log.total() || *selected < log.firstRetained()) {
        if (*selected >= log.total())
            ImGui::TextWrapped("Event %llu has not happened (yet) in this run: the log has %llu events.",
                               static_cast<unsigned long long>(*selected), static_cast<unsigned long long>(log.total()));
        else
            ImGui::TextWrapped("Event %llu is no longer in the log: it keeps the newest %llu events.",
                               static_cast<unsigned long long>(*selected),
                               static_cast<unsigned long long>(log.capacity()));
        if (ImGui::Button("Clear the selection")) ui.selection.clear();
        ImGui::End();
        return;
    }
    const Event& e = log.at(*selected);
    const GuestImages* guest = ui.sim.guestImages();
    // A restarted run may reuse the session's address: the event's own fields and the guest tell runs apart.
    if (view.session != session || view.guest != guest || view.number != *selected || view.cycle != e.cycle ||
        view.pc != e.pc || view.kind != e.kind || view.mode != ui.sim.mode()) {
        view.session = session;
        view.guest = guest;
        view.pc = e.pc;
        view.kind = e.kind;
        view.number = *selected;
        view.cycle = e.cycle;
        view.mode = ui.sim.mode();
        static const GuestImages kNoGuest;
        view.explanation = explainEvent(e, *view.mode, guest ? *guest : kNoGuest);
    }
    const EventExplanation& x = view.explanation;

    // The headline: which event, in the kind's colour, and the mechanism.
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(eventKindColour(e.kind)), "#%llu %s",
                       static_cast<unsigned long long>(*selected), x.kind.c_str());
    // The cycle beside it, and "clear" at the right, where they fit; else on the next line.
    const float clearWidth = ImGui::CalcTextSize("clear").x + ImGui::GetStyle().FramePadding.x * 2;
    const std::string when = "cycle " + std::to_string(e.cycle) + ", " +
                             (e.vm == kHostGuest ? std::string("the monitor's own") : "vm" + std::to_string(e.vm));
    sameLineIfFits(ImGui::CalcTextSize(when.c_str()).x + ImGui::GetStyle().ItemSpacing.x + clearWidth);
    ImGui::TextDisabled("%s", when.c_str());
    if (sameLineIfFits(clearWidth))
        ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - clearWidth));
    if (ImGui::SmallButton("clear")) ui.selection.clear();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("clear the selection (then: select the latest event of a kind)");
    ImGui::TextWrapped("%s", x.mechanism.c_str());
    if (x.code) {
        // The instruction, its class (hover for what the class means), and where it was written.
        ImGui::PushFont(ui.fonts.mono);
        ImGui::TextUnformatted(x.code->instruction.empty() ? "?" : x.code->instruction.c_str());
        ImGui::PopFont();
        if (!x.instructionClass.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(classColour(x.instructionClass), "%s", x.instructionClass.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", x.classMeaning.c_str());
        }
        // Beside the instruction only when a readable width is left: else a
        // wrapped column a word wide; under it, the whole width.
        const float lineEnd = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        if (right - lineEnd >= ImGui::GetFontSize() * 16) ImGui::SameLine();
        std::string where = x.code->where() + " in " + x.code->image + ": " + x.instructionRole;
        if (!x.code->alsoPossible.empty()) where += " (another program at this address fits too)";
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", where.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Separator();

    ImGui::BeginChild("explanation", ImVec2(0, 0), false);
    if (ImGui::BeginTable("why", 2, ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("handled").x);
        ImGui::TableSetupColumn("text", ImGuiTableColumnFlags_WidthStretch);
        row("control", x.controlText);
        row("handled", x.mechanismText);
        drawCosts(x);
        if (!x.classMeaning.empty()) row("class", x.classMeaning);
        ImGui::EndTable();
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ringsim::gui
