// Hypercall inspector (paravirt): the latest hypercalls (clipped), the count
// of each, and for the selected one its name, what it does, its arguments by
// name, its result, and where the paravirtual kernel's source makes it.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../elide.h"
#include "../guest_symbols.h"
#include "../layout.h"
#include "../theme.h"
#include "lesson/mechanisms.h"
#include "mechanism_panels.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

using HypercallsView = HypercallsPanelState;

// A source line as written (leading blanks dropped), or "" when the file cannot be read.
const std::string& sourceLine(HypercallsView& view, const assembler::SourceLocation& where) {
    auto [it, fresh] = view.sourceLines.try_emplace(where.file);
    if (fresh) {
        std::ifstream in(where.file);
        for (std::string line; std::getline(in, line);) it->second.push_back(line);
    }
    static const std::string none;
    if (where.line < 1 || size_t(where.line) > it->second.size()) return none;
    std::string& line = it->second[size_t(where.line - 1)];
    line.erase(0, line.find_first_not_of(" \t"));
    return line;
}

std::string hex(uint32_t v) {
    char text[16];
    if (v == 0xFFFFFFFFu) return "-1";
    // Counts and small numbers in decimal, addresses in hex (as the disassembler writes them).
    std::snprintf(text, sizeof text, v < 0x1000 ? "%u" : "0x%x", v);
    return text;
}

std::string nameOf(uint32_t number) {
    const HypercallInfo* info = hypercallByNumber(number);
    return info ? std::string(info->name) : "unknown (" + std::to_string(number) + ")";
}

// The result as the signature says: r0 (and r1), or nothing.
std::string resultOf(const HypercallRecord& call) {
    const HypercallInfo* info = hypercallByNumber(call.number);
    if (!info) return "-1";
    const HypercallSignature s = hypercallSignature(*info);
    std::string out;
    for (const auto& op : s.outputs) {
        if (!out.empty()) out += ' ';
        out += hex(call.results[size_t(op.reg & 1)]);
    }
    return out.empty() ? "-" : out;
}

void selectCall(Ui& ui, const HypercallLog& log, uint64_t n) {
    HypercallsView& view = ui.panels.hypercalls;
    view.selectedCall = n;
    view.selectedNumber = log.at(n).number;
    // The same call in every view, when the event log still holds it.
    const EventLog& events = ui.sim.session()->machine().events;
    const uint64_t event = log.at(n).event;
    if (event >= events.firstRetained() && event < events.total()) {
        ui.selection.select(event);
        view.selectionSeen = ui.selection.serial;
    }
}

// Another view selected a Hypercall event: select its call here (calls are in event order).
void followSelection(Ui& ui, const HypercallLog& log) {
    HypercallsView& view = ui.panels.hypercalls;
    if (ui.selection.serial == view.selectionSeen) return;
    view.selectionSeen = ui.selection.serial;
    if (!ui.selection.event || log.retained() == 0) return;
    const uint64_t event = *ui.selection.event;
    const uint64_t lo = log.partitionPoint([event](const HypercallRecord& r) { return r.event < event; });
    if (lo < log.total() && log.at(lo).event == event) {
        view.selectedCall = lo;
        view.selectedNumber = log.at(lo).number;
        view.scrollFrames = -1;  // bring it into view
    }
}

void drawCallsTable(Ui& ui, const HypercallLog& log) {
    HypercallsView& view = ui.panels.hypercalls;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("calls", 3, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("cycle", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0000000").x);
    ImGui::TableSetupColumn("hypercall", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("r0", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0x00").x);
    ImGui::TableHeadersRow();
    const float rowHeight = ImGui::GetTextLineHeightWithSpacing();
    if (view.scrollFrames < 0 && view.selectedCall) {
        ImGui::SetScrollY(std::max(0.0f, float(*view.selectedCall - log.firstRetained()) * rowHeight -
                                             ImGui::GetWindowHeight() * 0.4f));
        view.scrollFrames = 0;
    }
    ImGuiListClipper clipper;
    clipper.Begin(int(log.retained()), rowHeight);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const uint64_t n = log.firstRetained() + uint64_t(i);
            const HypercallRecord& call = log.at(n);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            char cycle[24];
            std::snprintf(cycle, sizeof cycle, "%llu", static_cast<unsigned long long>(call.cycle));
            ImGui::PushID(i);
            if (ImGui::Selectable(cycle, view.selectedCall == n, ImGuiSelectableFlags_SpanAllColumns))
                selectCall(ui, log, n);
            ImGui::PopID();
            ImGui::TableNextColumn();
            textElided(nameOf(call.number));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(resultOf(call).c_str());
        }
    }
    // New calls while nothing is selected: follow the newest.
    if (log.total() != view.lastTotal && !view.selectedCall) view.scrollFrames = 2;
    view.lastTotal = log.total();
    if (view.scrollFrames > 0) {
        ImGui::SetScrollY(ImGui::GetScrollMaxY() + rowHeight);
        --view.scrollFrames;
    }
    ImGui::EndTable();
}

void drawCountsTable(HypercallsView& view, const MonitorCounters& counters) {
    if (!ImGui::BeginTable("counts", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("00").x);
    ImGui::TableSetupColumn("hypercall", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("calls", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0000000").x);
    ImGui::TableHeadersRow();
    for (const HypercallInfo& info : hypercallTable()) {
        const uint32_t number = uint32_t(info.number);
        const auto it = counters.hypercalls.find(number);
        const uint64_t count = it == counters.hypercalls.end() ? 0 : it->second;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(int(number));
        char label[8];
        std::snprintf(label, sizeof label, "%u", number);
        if (ImGui::Selectable(label, view.selectedNumber == number, ImGuiSelectableFlags_SpanAllColumns)) {
            view.selectedNumber = number;
            view.selectedCall.reset();
        }
        ImGui::PopID();
        ImGui::TableNextColumn();
        if (!count) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        textElided(info.name);
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(count));
        if (!count) ImGui::PopStyleColor();
    }
    ImGui::EndTable();
}

void drawDetail(Ui& ui, const HypercallLog& log) {
    HypercallsView& view = ui.panels.hypercalls;
    // Nothing selected: the latest call, so there is always something to read.
    std::optional<uint64_t> call = view.selectedCall;
    std::optional<uint32_t> selectedNumber = view.selectedNumber;
    if (!selectedNumber && log.retained()) call = log.total() - 1, selectedNumber = log.at(*call).number;
    if (!selectedNumber) {
        ImGui::TextWrapped("No hypercall yet. Select a call to see its arguments, its result and where the kernel's "
                           "source makes it.");
        return;
    }
    const uint32_t number = *selectedNumber;
    const HypercallInfo* info = hypercallByNumber(number);
    if (!info) {
        ImGui::Text("hypercall %u: there is no such hypercall; the monitor returned -1", number);
        return;
    }
    ImGui::TextWrapped("%s%.*s (%u)", view.selectedNumber ? "" : "latest: ", int(info->name.size()), info->name.data(), number);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%.*s; replaces %.*s", int(info->summary.size()), info->summary.data(), int(info->replaces.size()),
                        info->replaces.data());
    const HypercallSignature signature = hypercallSignature(*info);
    if (call && *call >= log.firstRetained() && *call < log.total()) {
        const HypercallRecord& record = log.at(*call);
        if (signature.inputs.empty()) ImGui::TextUnformatted(signature.outputs.empty() ? "no arguments, no result" : "no arguments");
        for (const auto& op : signature.inputs)
            ImGui::TextWrapped("r%d = %s  (%.*s)", op.reg, hex(record.arguments[size_t(op.reg - 1)]).c_str(), int(op.meaning.size()),
                        op.meaning.data());
        for (const auto& op : signature.outputs)
            ImGui::TextWrapped("-> r%d = %s  (%.*s)", op.reg, hex(record.results[size_t(op.reg & 1)]).c_str(), int(op.meaning.size()),
                        op.meaning.data());
        if (signature.outputs.empty() && !signature.inputs.empty()) ImGui::TextUnformatted("no result");
        ImGui::TextDisabled("cost %u cycles, at cycle %llu", record.cost, static_cast<unsigned long long>(record.cycle));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("From the hcall at %08x until the monitor returned: its entry and its work", record.pc);
    } else if (!info->arguments.empty()) {
        ImGui::TextWrapped("%.*s", int(info->arguments.size()), info->arguments.data());
    }
    ImGui::PopTextWrapPos();

    // Where the kernel makes this call: every hcall with its number, one row per source line. A line
    // inside a macro is one row for all its expansions; the labels say where each expansion sits.
    ImGui::Separator();
    size_t shown = 0;
    const uint32_t thisPc = call ? log.at(*call).pc : 0;
    for (size_t i = 0; i < view.sites.size(); ++i) {
        const HypercallSite& site = view.sites[i];
        if (site.number != number) continue;
        bool seen = false;  // this line was shown with an earlier site
        for (size_t k = 0; k < i && !seen; ++k)
            seen = view.sites[k].number == number && view.sites[k].location.file == site.location.file &&
                   view.sites[k].location.line == site.location.line;
        if (seen) continue;
        ++shown;
        std::string places;
        bool isThisCall = false;
        for (size_t k = i; k < view.sites.size(); ++k) {
            const HypercallSite& same = view.sites[k];
            if (same.number != number || same.location.file != site.location.file || same.location.line != site.location.line)
                continue;
            isThisCall = isThisCall || (call && same.address == thisPc);
            if (!places.empty()) places += ", ";
            places += symbolsOf(ui.sim).name(same.address);
        }
        const std::string file = std::filesystem::path(site.location.file).filename().string();
        // The place, then the source line itself (clipped, whole in the tooltip).
        if (isThisCall) ImGui::TextColored(palette().noticeText, "%s:%d", file.c_str(), site.location.line);
        else ImGui::Text("%s:%d", file.c_str(), site.location.line);
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        textElided("in " + places);
        ImGui::PopStyleColor();
        const std::string& text = sourceLine(view, site.location);
        ImGui::PushFont(ui.fonts.mono);
        textElided("  " + text);
        ImGui::PopFont();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s:%d  %s\nin %s%s", site.location.file.c_str(), site.location.line, text.c_str(),
                              places.c_str(), isThisCall ? "\n(the selected call was made here)" : "");
    }
    if (shown == 0) ImGui::TextDisabled("no call site in the kernel's source");
}

}  // namespace

void drawHypercallsPanel(Ui& ui) {
    HypercallsView& view = ui.panels.hypercalls;
    if (!beginMechanismPanel(ui, MechanismPanel::Hypercalls)) return;
    Session* session = ui.sim.session();
    const size_t vms = monitorCount(*session);
    if (view.vm >= int(vms)) view.vm = 0;
    const HypercallLog* log = hypercallLogOf(monitorOf(*session, size_t(view.vm)));
    if (!log) {
        ImGui::TextDisabled("no hypercalls");
        ImGui::End();
        return;
    }
    if (const GuestImages* guest = ui.sim.guestImages(); guest != view.sitesFor) {
        view.sitesFor = guest;
        view.sites = guest ? hypercallSites(guest->kernel) : std::vector<HypercallSite>{};
        view.sourceLines.clear();
        view.selectedCall.reset();
    }
    if (view.selectedCall && *view.selectedCall < log->firstRetained()) view.selectedCall.reset();  // forgotten
    followSelection(ui, *log);

    ImGui::Text("%llu hypercalls", static_cast<unsigned long long>(log->total()));
    const std::string kept = "(the last " + std::to_string(log->capacity()) + " kept; " + std::to_string(view.sites.size()) +
                             " call sites in the kernel)";
    sameLineIfFits(ImGui::CalcTextSize(kept.c_str()).x);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", kept.c_str());
    ImGui::PopStyleColor();
    if (vms > 1) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("vm 000").x + ImGui::GetFrameHeight() * 1.5f);
        if (ImGui::BeginCombo("##vm", ("vm " + std::to_string(view.vm)).c_str())) {
            for (int i = 0; i < int(vms); ++i)
                if (ImGui::Selectable(("vm " + std::to_string(i)).c_str(), view.vm == i)) view.vm = i, view.selectedCall.reset();
            ImGui::EndCombo();
        }
    }
    // The calls, and beside them (under them, in a narrow panel) the one selected.
    const bool beside = ImGui::GetContentRegionAvail().x * 0.52f >= ImGui::CalcTextSize("0").x * 34;
    ImGui::BeginChild("list", beside ? ImVec2(ImGui::GetContentRegionAvail().x * 0.52f, 0)
                                     : ImVec2(0, ImGui::GetContentRegionAvail().y * 0.55f));
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(3, 1));
    if (ImGui::BeginTabBar("hypercall tabs")) {
        if (ImGui::BeginTabItem("Recent")) {
            drawCallsTable(ui, *log);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Counts")) {
            drawCountsTable(view, monitorOf(*session, size_t(view.vm))->counters());
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::PopStyleVar();
    ImGui::EndChild();
    if (beside) ImGui::SameLine();
    ImGui::BeginChild("detail", ImVec2(0, 0));
    drawDetail(ui, *log);
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ringsim::gui
