// Counters: where the cycles of the run on screen went, its overhead against
// native so far, and the counts that explain it (traps, system calls,
// hypercalls, VM exits by reason, translations) — and, in the other tab, the
// chart of every mode side by side for this scenario, computed in the
// background (gui/background_compare.h).
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <string>

#include "../chart_export.h"
#include "../colours.h"
#include "../layout.h"
#include "../theme.h"
#include "machine/hypercalls.h"
#include "monitors/monitor.h"
#include "cpu-model/vmx.h"
#include "mode_chart.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

// {} is OverheadCurve::kTooEarlyInstructions.
constexpr const char* kOverheadExplained =
    "So far: the cycles this run has used, against the cycles native had used when it had retired the same number of "
    "guest instructions, measured on a native run of the same scenario in the background (instruction by instruction: "
    "nothing is interpolated). The first {} instructions are the kernel's boot, where a few hundred cycles of "
    "monitor set-up swing the ratio wildly: there is no figure until then. Where the kernel is not native's "
    "(paravirt's own build, a kernel per VM), the same count is not quite the same work.\n"
    "Whole run: this mode's complete run against native's, as `ringsim compare` reports them.";


void overheadLine(Ui& ui, const RunResult& now) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted("against native:");
    ImGui::SameLine();
    const OverheadCurve* curve = ui.allModes.nativeCurve();
    if (!curve) {
        ImGui::TextDisabled(ui.allModes.busy() ? "measuring native..." : "no native run");
    } else if (now.instructions < OverheadCurve::kTooEarlyInstructions) {
        ImGui::TextDisabled("too early to compare (%s of %s instr.)", shortCount(now.instructions).c_str(),
                            shortCount(OverheadCurve::kTooEarlyInstructions).c_str());
    } else if (const auto so = curve->overheadPercent(now.instructions, now.totalCycles)) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(currentModeColour()), "%+.1f%% at the same instruction", *so);
    } else if (curve->complete()) {
        ImGui::TextDisabled("past native's end (%s instr.)", shortCount(curve->last().instructions).c_str());
    } else {
        ImGui::TextDisabled("past the %s instr. native was measured for", shortCount(curve->last().instructions).c_str());
    }
    const ModeComparison* comparison = ui.allModes.current();
    const MatrixCell* cell = comparison ? comparison->cellFor(ui.sim.mode()) : nullptr;
    if (cell && cell->hasOverhead() && cell->result->succeeded()) {
        ImGui::SameLine();
        ImGui::Text("  whole run %+.1f%%", cell->overheadPercent);
    }
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextUnformatted(fmt::format(fmt::runtime(kOverheadExplained), OverheadCurve::kTooEarlyInstructions).c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

// The run's cycles as one bar stacked by category, then a key with shares.
void cycleCategories(const RunResult& r) {
    const double total = double(std::max<uint64_t>(r.totalCycles, 1));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, height = ImGui::GetFontSize() * 0.9f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float x = at.x;
    for (size_t c = 0; c < kCycleCategoryCount; ++c) {
        const float w = float(double(r.cycles[c]) / total) * width;
        if (w <= 0) continue;
        draw->AddRectFilled(ImVec2(x, at.y), ImVec2(x + w, at.y + height), categoryColourU32(CycleCategory(c)));
        x += w;
    }
    ImGui::Dummy(ImVec2(width, height));
    if (ImGui::BeginTable("categories", 6, ImGuiTableFlags_SizingStretchProp)) {
        for (size_t c = 0; c < kCycleCategoryCount; ++c) {
            if (!r.cycles[c]) continue;
            ImGui::TableNextColumn();
            ImGui::ColorButton("##swatch", categoryColour(CycleCategory(c)), ImGuiColorEditFlags_NoTooltip,
                               ImVec2(ImGui::GetFontSize() * 0.7f, ImGui::GetFontSize() * 0.7f));
            ImGui::SameLine();
            const std::string_view label = categoryLabel(CycleCategory(c));
            ImGui::Text("%.*s", int(label.size()), label.data());
            ImGui::TableNextColumn();
            ImGui::Text("%4.1f%%", 100.0 * double(r.cycles[c]) / total);
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", shortCount(r.cycles[c]).c_str());
        }
        ImGui::EndTable();
    }
}

// The counts that explain the cycles, two to a row, only those not zero.
void mechanismCounts(const RunResult& r) {
    const MonitorCounters& m = r.monitor;
    const std::pair<const char*, uint64_t> counts[] = {
        {"system calls", r.events[size_t(EventKind::Syscall)]},
        {"faults", r.events[size_t(EventKind::Fault)]},
        {"interrupts", r.events[size_t(EventKind::Interrupt)]},
        {"traps to monitor", m.trapsIntoMonitor},
        {"emulated", m.emulated},
        {"reflected to guest", m.reflected},
        {"hypercalls", m.totalHypercalls()},
        {"VM exits", m.totalExits()},
        {"blocks translated", m.translatedBlocks},
        {"translation hits", m.cacheHits},
        {"invalidations", m.invalidations},
        {"callouts", m.callouts},
        {"shadow updates", m.shadowUpdates},
        {"TLB misses", r.tlbMisses},
    };
    if (ImGui::BeginTable("counts", 4, ImGuiTableFlags_SizingStretchProp)) {
        for (const auto& [what, n] : counts) {
            if (!n) continue;
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(what);
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(n));
        }
        ImGui::EndTable();
    }
    // Name and count in two columns, so that the counts line up.
    auto namedCounts = [](const char* id, auto&& rows) {
        if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingFixedFit)) return;
        rows([](std::string_view name, uint64_t n) {
            ImGui::TableNextColumn();
            ImGui::Text("%.*s", int(name.size()), name.data());
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(n));
        });
        ImGui::EndTable();
    };
    if (m.totalExits() && ImGui::TreeNodeEx("VM exits by reason", ImGuiTreeNodeFlags_DefaultOpen)) {
        namedCounts("exits", [&](auto row) {
            for (size_t reason = 0; reason < m.exits.size(); ++reason)
                if (m.exits[reason]) row(vmExitReasonName(VmExitReason(reason)), m.exits[reason]);
        });
        ImGui::TreePop();
    }
    if (!m.hypercalls.empty() && ImGui::TreeNodeEx("Hypercalls", ImGuiTreeNodeFlags_DefaultOpen)) {
        namedCounts("hypercalls", [&](auto row) {
            for (const auto& [number, count] : m.hypercalls) {
                const HypercallInfo* info = hypercallByNumber(number);
                const std::string name(info ? info->name : std::string_view("unknown"));
                row(name + " (" + std::to_string(number) + ")", count);
            }
        });
        ImGui::TreePop();
    }
    if (ImGui::TreeNode("Events by kind")) {
        namedCounts("events", [&](auto row) {
            for (size_t k = 0; k < kEventKindCount; ++k)
                if (r.events[k]) row(eventKindName(EventKind(k)), r.events[k]);
        });
        ImGui::TreePop();
    }
}

void thisRunTab(Ui& ui, const RunResult& r) {
    ImGui::Text("%s cycles, %s instructions", shortCount(r.totalCycles).c_str(), shortCount(r.instructions).c_str());
    overheadLine(ui, r);
    cycleCategories(r);
    ImGui::Separator();
    mechanismCounts(r);
}

void comparingProgress(const CompareProgress& p) {
    ImGui::TextUnformatted("comparing the modes...");
    const float share = p.total ? float(p.done) / float(p.total) : 0.0f;
    const std::string overlay = std::to_string(p.done) + " of " + (p.total ? std::to_string(p.total) : "?") + " runs";
    ImGui::ProgressBar(share, ImVec2(-FLT_MIN, 0), overlay.c_str());
    if (!p.modesDone.empty()) {
        std::string done = "done:";
        // Native runs twice with several instances (once as the one-instance reference): named once.
        for (size_t i = 0; i < p.modesDone.size(); ++i)
            if (std::find(p.modesDone.begin(), p.modesDone.begin() + std::ptrdiff_t(i), p.modesDone[i]) ==
                p.modesDone.begin() + std::ptrdiff_t(i))
                done += fmt::format(" {}", p.modesDone[i]);
        ImGui::TextWrapped("%s", done.c_str());
    }
}

// With several instances (VMs, containers), what each mode costs to hold
// them: pages in use and cycles until the last one printed its first line,
// as `ringsim compare` prints them in its pages and startup columns, each
// with a bar against the largest.
size_t footprintTab(Ui& ui, const Scenario& scenario) {
    const ModeComparison* comparison = ui.allModes.current();
    if (!comparison || !comparison->error.empty()) {
        ImGui::TextDisabled(ui.allModes.busy() ? "comparing the modes..." : "no comparison");
        return 0;
    }
    ImGui::Text("%u instances in each mode", scenario.guests.instances);
    uint64_t mostPages = 1, longestStart = 1;
    for (const MatrixCell& cell : comparison->cells)
        if (cell.listed && cell.result) {
            mostPages = std::max(mostPages, cell.result->footprint.pages);
            longestStart = std::max(longestStart, cell.result->footprint.startupCycles.value_or(0));
        }
    if (!ImGui::BeginTable("footprint", 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return 0;
    ImGui::TableSetupColumn("mode", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("pages in use");
    ImGui::TableSetupColumn("cycles until the last starts");
    ImGui::TableHeadersRow();
    // The number, then a bar in the rest of the cell.
    auto barCell = [](uint64_t value, uint64_t largest, ImU32 colour) {
        const std::string text = shortCount(value);
        ImGui::TextUnformatted(text.c_str());
        ImGui::SameLine();
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float room = std::max(0.0f, ImGui::GetContentRegionAvail().x);
        const float h = ImGui::GetTextLineHeight();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, at.y + h * 0.2f),
                                                  ImVec2(at.x + room * float(double(value) / double(largest)), at.y + h * 0.8f),
                                                  colour);
        ImGui::Dummy(ImVec2(room, h));
    };
    size_t rows = 0;
    for (const MatrixCell& cell : comparison->cells) {
        if (!cell.listed || !cell.result) continue;
        ++rows;
        const Footprint& f = cell.result->footprint;
        const ImU32 colour = cell.mode == ui.sim.mode() ? currentModeColour() : ImGui::GetColorU32(ImGuiCol_PlotHistogram);
        ImGui::TableNextColumn();
        const std::string_view name = modeName(cell.mode);
        if (cell.mode == ui.sim.mode()) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(currentModeColour()), "%.*s", int(name.size()), name.data());
        else ImGui::Text("%.*s", int(name.size()), name.data());
        ImGui::TableNextColumn();
        barCell(f.pages, mostPages, colour);
        ImGui::TableNextColumn();
        if (f.startupCycles) barCell(*f.startupCycles, longestStart, colour);
        else ImGui::TextDisabled("-");
    }
    ImGui::EndTable();
    ImGui::TextDisabled("pages: physical pages in use at the end, a VM's own kernel included");
    return rows;
}

void allModesTab(Ui& ui, const RunResult& now) {
    BackgroundCompare& compare = ui.allModes;
    const Scenario* scenario = ui.sim.scenario();
    // Only the scenario's own modes unless asked: a lesson compares what it is about.
    if (scenario && modeTable().size() > scenario->modes.size()) {
        bool all = compare.allModes();
        if (ImGui::Checkbox("every mode", &all)) compare.setAllModes(all);
        ImGui::SameLine();
        const auto& own = scenario->modes;
        if (!all && std::find(own.begin(), own.end(), ui.sim.mode()) == own.end())
            ImGui::TextDisabled("(%s is not among the scenario's %zu)", std::string(modeName(ui.sim.mode())).c_str(), own.size());
        else
            ImGui::TextDisabled("(the scenario compares %zu)", own.size());
    }
    const ModeComparison* comparison = compare.current();
    if (!comparison) {
        if (compare.busy()) comparingProgress(compare.progress());
        else ImGui::TextDisabled("no scenario to compare");
        return;
    }
    if (!comparison->error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
        ImGui::TextWrapped("The modes cannot be compared: %s", comparison->error.c_str());
        ImGui::PopStyleColor();
        return;
    }
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImVec2 size = ImGui::GetContentRegionAvail();
    const std::string& exported = lastChartExportMessage();
    if (!exported.empty()) size.y -= ImGui::GetTextLineHeightWithSpacing();
    size.x = std::max(size.x, ImGui::GetFontSize() * 8);  // a panel shrunk to nothing still has a (clipped) chart
    size.y = std::max(size.y, ImGui::GetFontSize() * 8);
    ImGui::InvisibleButton("chart", size);
    const bool hoveredChart = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    bool menuOpen = false;
    if (ImGui::BeginPopupContextItem("chart menu")) {
        menuOpen = true;
        const std::string file = "ringsim-chart-" + (scenario ? scenario->name : std::string("modes")) + ".png";
        if (ImGui::MenuItem(("Save the chart as " + file).c_str())) requestChartExport(file);
        ImGui::EndPopup();
    }
    ModeChartLook look;
    look.font = ui.fonts.body;
    look.fontSize = ImGui::GetFontSize();
    look.currentMode = ui.sim.mode();
    look.liveCycles = now.totalCycles;
    look.legendNativeLine = false;  // no room: the tooltip says what the dashed line is
    const int bar = drawModeChart(ImGui::GetWindowDrawList(), at, ImVec2(at.x + size.x, at.y + size.y), *comparison, look,
                                  hoveredChart ? ImGui::GetIO().MousePos : ImVec2(-1e9f, -1e9f))
                        .hovered;
    if (bar >= 0 && !menuOpen) {
        const MatrixCell& cell = comparison->cells[size_t(bar)];
        if (clicked && cell.result && cell.mode != ui.sim.mode()) ui.sim.chooseMode(cell.mode);
        else modeBreakdownTooltip(cell);
    }
    if (!exported.empty()) ImGui::TextDisabled("%s", exported.c_str());
}

}  // namespace

void drawCountersPanel(Ui& ui) {
    CountersPanelState& view = ui.panels.counters;
    Session* session = beginRunPanel(ui, PanelSlot::Counters, "Counters");
    if (!session) return;
    const RunResult result = session->counters();  // not result(): no memory scans per frame
    if (ImGui::BeginTabBar("counters tabs")) {
        // The chart is what a lecture shows first (chosen once, on the first
        // frame); the counts are one click away; --counters-tab picks one.
        if (!view.chartTabChosen && view.openTab.empty()) view.openTab = "All modes";
        view.chartTabChosen = true;
        auto chosen = [&view](const char* tab) { return view.openTab == tab ? ImGuiTabItemFlags_SetSelected : 0; };
        if (ImGui::BeginTabItem("This run", nullptr, chosen("This run"))) {
            thisRunTab(ui, result);
            ImGui::EndTabItem();
        }
        const bool chartOpen = ImGui::BeginTabItem("All modes", nullptr, chosen("All modes"));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("every mode side by side, run in the background\n(right-click the chart to save it as PNG)");
        if (chartOpen) {
            allModesTab(ui, result);
            ImGui::EndTabItem();
        }
        // With several instances: what holding them costs in each mode (lesson 11's closing comparison).
        if (const Scenario* scenario = ui.sim.scenario();
            scenario && scenario->guests.instances > 1 && ImGui::BeginTabItem("Footprint", nullptr, chosen("Footprint"))) {
            view.footprintRows = footprintTab(ui, *scenario);
            ImGui::EndTabItem();
        }
        view.openTab.clear();
        ImGui::EndTabBar();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
