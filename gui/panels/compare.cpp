// Compare: the open scenario's guest in two modes side by side, one retired
// guest instruction per row, the rows where the modes part highlighted (a
// trap into the monitor, a VM exit, a block translated, a hypercall), and the
// running cycle difference as a column and a plot. Small in the default
// layout; "Pop out" makes it large for a lecture.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <optional>
#include <string>

#include "../colours.h"
#include "../comparison.h"
#include "../elide.h"
#include "../layout.h"
#include "../theme.h"
#include "monitors/monitor.h"
#include "report/grouped.h"
#include "run/session.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr int kMostRows = 5'000'000;
// The table's shape by its width: a column for each thing, a column per side, or the essentials.
constexpr float kWideTable = 640.0f;
constexpr float kMediumTable = 420.0f;
enum class Shape { Narrow, Medium, Wide };

const ImU32 kPartedRow = IM_COL32(230, 150, 40, 80);
const ImU32 kOnlyARow = IM_COL32(70, 130, 230, 70);
const ImU32 kOnlyBRow = IM_COL32(170, 90, 230, 70);
const ImVec4 kPartedText(1.0f, 0.72f, 0.35f, 1.0f);
const ImVec4 kOnlyText(0.70f, 0.62f, 1.0f, 1.0f);

using CompareView = ComparePanelState;

// The kinds of a step's events, its own machinery's first: "vm-exit, vm-entry, port-io".
std::string kindsText(uint32_t kinds) {
    std::string out;
    for (int pass = 0; pass < 2; ++pass)
        for (size_t k = 0; k < kEventKindCount; ++k) {
            const uint32_t bit = LockstepStep::kindBit(EventKind(k));
            if (!(kinds & bit) || bool(mechanismKinds(bit)) != (pass == 0)) continue;
            if (!out.empty()) out += ", ";
            out += eventKindName(EventKind(k));
        }
    return out;
}

// The first of a step's kinds that is its mode's machinery, for the colour of its cell.
std::optional<EventKind> firstMechanism(uint32_t kinds) {
    const uint32_t m = mechanismKinds(kinds);
    for (size_t k = 0; k < kEventKindCount; ++k)
        if (m & LockstepStep::kindBit(EventKind(k))) return EventKind(k);
    return std::nullopt;
}

// A mechanism's colour: its kind's, or amber for kinds colours.h leaves grey (translations, callouts).
ImVec4 mechanismColour(EventKind k) {
    const ImU32 c = eventKindColour(k);
    return c == eventKindColour(EventKind::Count) ? kPartedText : ImGui::ColorConvertU32ToFloat4(c);
}

bool modeCombo(const char* id, std::optional<Mode>& mode, float width) {
    bool changed = false;
    ImGui::SetNextItemWidth(width);
    const std::string shown(mode ? modeName(*mode) : "");
    if (beginComboElided(id, shown)) {
        for (const auto& info : modeTable()) {
            const std::string name(info.name);
            if (ImGui::Selectable(name.c_str(), mode == info.mode)) mode = info.mode, changed = true;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%.*s", int(info.summary.size()), info.summary.data());
        }
        ImGui::EndCombo();
    }
    return changed;
}

void start(Ui& ui) {
    CompareView& view = ui.panels.compare;
    Comparison& job = ui.comparison;
    view.row.reset();
    view.note.clear();
    view.rangeRows = 0;
    view.smallest = view.largest = 0;
    view.selectFirstParting = true;
    job.start(ui.sim, view.modeA, view.modeB, size_t(view.maxRows));
}

void selectRow(CompareView& view, size_t row) {
    view.row = row;
    view.reveal = 2;
}

// One side's cell: its cost and what its mode's machinery did.
void sideCell(const LockstepStep& step, bool present, bool wide) {
    if (!present) {
        ImGui::TextDisabled("-");
        if (wide) ImGui::TableNextColumn();  // its events' column stays empty
        return;
    }
    const std::optional<EventKind> mechanism = firstMechanism(step.kinds);
    if (wide) {
        ImGui::Text("+%s", grouped(step.cycles).c_str());
        ImGui::TableNextColumn();
    }
    const std::string kinds = kindsText(step.kinds);
    std::string text = kinds;
    if (!wide) {
        text = grouped(step.cycles, true);
        if (!kinds.empty()) text += ' ' + kinds;
    }
    if (mechanism) ImGui::PushStyleColor(ImGuiCol_Text, mechanismColour(*mechanism));
    ImGui::TextUnformatted(text.c_str());
    if (mechanism) ImGui::PopStyleColor();
}

// The row's whole story, on hover: each side's events read from its run's log.
void rowTooltip(const Comparison& job, Lockstep& l, const LockstepRow& row, size_t index) {
    ImGui::BeginTooltip();
    ImGui::Text("instruction %zu: %s", index, std::string(lockstepMarkName(row.mark)).c_str());
    for (int side = 0; side < 2; ++side) {
        const bool b = side == 1;
        if (!(b ? row.hasB() : row.hasA())) continue;
        const LockstepStep& step = b ? row.b : row.a;
        ImGui::Separator();
        ImGui::Text("%s: %s", b ? "B" : "A", std::string(modeName(l.mode(b))).c_str());
        ImGui::Text("pc 0x%08x  ring %d  %s", step.pc, int(step.ring), job.instruction(b, step).c_str());
        ImGui::Text("cost %s cycle%s, at cycle %s after it", grouped(step.cycles).c_str(), step.cycles == 1 ? "" : "s",
                    grouped(int64_t(step.cycleAfter)).c_str());
        const EventLog& log = l.session(b).machine().events;
        constexpr uint64_t kShown = 8;
        for (uint64_t n = step.firstEvent; n < step.firstEvent + std::min<uint64_t>(step.events, kShown); ++n)
            if (n >= log.firstRetained() && n < log.total()) {
                const Event& e = log.at(n);
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(eventKindColour(e.kind)), "  #%llu %s  %s",
                                   static_cast<unsigned long long>(n), std::string(eventKindName(e.kind)).c_str(),
                                   eventDetail(e).c_str());
            }
        if (step.events > kShown) ImGui::TextDisabled("  ... %u events in all", unsigned(step.events));
    }
    ImGui::EndTooltip();
}

// A click on a row: its event selected in every view, when a side is the
// running session's mode and the session has got that far.
void clickRow(Ui& ui, Lockstep& l, const LockstepRow& row, size_t index) {
    CompareView& view = ui.panels.compare;
    view.row = index;
    view.note.clear();
    Session* live = ui.sim.session();
    for (int side = 0; side < 2; ++side) {
        const bool b = side == 1;
        if (l.mode(b) != ui.sim.mode() || !(b ? row.hasB() : row.hasA())) continue;
        const LockstepStep& step = b ? row.b : row.a;
        if (step.events == 0) {
            view.note = "no event at this instruction";
            return;
        }
        const EventLog* log = live ? &live->machine().events : nullptr;
        if (log && step.firstEvent >= log->firstRetained() && step.firstEvent < log->total()) {
            ui.selection.select(step.firstEvent);
            view.selectionSeen = ui.selection.serial;
            view.note = fmt::format("event #{} selected", step.firstEvent);
        } else {
            view.note = fmt::format("event #{}: the running session has not got there yet", step.firstEvent);
        }
        return;
    }
    view.note = fmt::format("neither side runs in {} (the session's mode): only highlighted", ui.sim.mode());
}

// Another view selected an event: the row of the same-mode side that caused it.
void followSelection(Ui& ui, Lockstep& l) {
    CompareView& view = ui.panels.compare;
    if (ui.selection.serial == view.selectionSeen) return;
    view.selectionSeen = ui.selection.serial;
    if (!ui.selection.event) return;
    const uint64_t n = *ui.selection.event;
    for (int side = 0; side < 2; ++side) {
        const bool b = side == 1;
        if (l.mode(b) != ui.sim.mode()) continue;
        const auto& rows = l.rows();
        for (size_t i = 0; i < rows.size(); ++i) {
            const LockstepStep& step = b ? rows[i].b : rows[i].a;
            if ((b ? rows[i].hasB() : rows[i].hasA()) && n >= step.firstEvent && n < step.firstEvent + step.events) {
                selectRow(view, i);
                return;
            }
        }
    }
}

// The smallest and largest difference so far, extended as rows come.
void updateRange(CompareView& view, const Lockstep& l) {
    const auto& rows = l.rows();
    for (; view.rangeRows < rows.size(); ++view.rangeRows) {
        view.smallest = std::min(view.smallest, rows[view.rangeRows].difference);
        view.largest = std::max(view.largest, rows[view.rangeRows].difference);
    }
}

// The running difference over the rows: one vertical stroke per pixel column
// from the smallest to the largest value in it; stretches where only one run
// went shaded; a click picks the row.
void differencePlot(CompareView& view, Lockstep& l, float height) {
    const auto& rows = l.rows();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(40.0f, ImGui::GetContentRegionAvail().x);
    ImGui::InvisibleButton("difference plot", ImVec2(width, height));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end(origin.x + width, origin.y + height);
    draw->AddRectFilled(origin, end, IM_COL32(22, 24, 30, 255));
    const size_t n = rows.size();
    if (n == 0) return;
    // The maximum row count is the x range while the comparison runs, so the curve grows rightwards.
    const size_t span = l.done() ? n : std::max(n, l.maxRows());
    const int64_t lo = std::min<int64_t>(view.smallest, 0), hi = std::max<int64_t>(view.largest, 1);
    const float top = origin.y + 4, bottom = end.y - 4;
    auto y = [&](int64_t v) { return bottom - (bottom - top) * float(double(v - lo) / double(hi - lo)); };
    draw->AddLine(ImVec2(origin.x, y(0)), ImVec2(end.x, y(0)), IM_COL32(90, 90, 100, 255));
    const int columns = int(width);
    for (int x = 0; x < columns; ++x) {
        const size_t from = size_t(double(x) * double(span) / columns);
        const size_t to = std::min(n, std::max(from + 1, size_t(double(x + 1) * double(span) / columns)));
        if (from >= n) break;
        int64_t mn = rows[from].difference, mx = mn;
        bool detour = false, parted = false;
        for (size_t i = from; i < to; ++i) {
            mn = std::min(mn, rows[i].difference);
            mx = std::max(mx, rows[i].difference);
            detour = detour || rows[i].mark == LockstepMark::OnlyA || rows[i].mark == LockstepMark::OnlyB;
            parted = parted || rows[i].mark == LockstepMark::Parted;
        }
        const float px = origin.x + float(x) + 0.5f;
        if (detour) draw->AddLine(ImVec2(px, origin.y), ImVec2(px, end.y), IM_COL32(120, 80, 200, 70));
        if (parted) draw->AddLine(ImVec2(px, origin.y), ImVec2(px, origin.y + 3), kPartedRow | IM_COL32_A_MASK);
        draw->AddLine(ImVec2(px, y(mx) - 0.5f), ImVec2(px, y(mn) + 0.5f), IM_COL32(120, 210, 255, 255), 1.5f);
    }
    if (view.row && *view.row < n) {
        const float px = origin.x + float(double(*view.row) / double(span) * width);
        draw->AddLine(ImVec2(px, origin.y), ImVec2(px, end.y), IM_COL32(255, 255, 255, 200));
    }
    // The scale at the right-hand end, on a backing so the curve does not cross the digits.
    auto label = [&](const std::string& text, float atY) {
        const ImVec2 size = ImGui::CalcTextSize(text.c_str());
        const ImVec2 at(end.x - size.x - 6, std::clamp(atY, origin.y + 1, end.y - size.y - 1));
        draw->AddRectFilled(ImVec2(at.x - 3, at.y), ImVec2(at.x + size.x + 3, at.y + size.y), IM_COL32(22, 24, 30, 220));
        draw->AddText(at, IM_COL32(210, 210, 220, 255), text.c_str());
    };
    label("B - A " + grouped(hi, true) + " cycles", top - 3);
    if (lo < 0) label(grouped(lo) + " cycles", bottom - ImGui::GetTextLineHeight() + 3);
    if (ImGui::IsItemHovered()) {
        const size_t at = std::min(n - 1, size_t(double(ImGui::GetIO().MousePos.x - origin.x) / width * double(span)));
        ImGui::SetTooltip("instruction %zu: B - A = %s cycles", at, grouped(rows[at].difference, true).c_str());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) selectRow(view, at);
    }
}

// A mechanism in a word, for the narrow table.
const char* shortName(EventKind k) {
    switch (k) {
    case EventKind::SensitiveTrapped: return "trap";
    case EventKind::SensitiveSilent: return "silent!";
    case EventKind::Hypercall: return "hypercall";
    case EventKind::VmExit: return "exit";
    case EventKind::VmEntry: return "entry";
    case EventKind::Translation: return "translate";
    case EventKind::TranslationInvalidate: return "invalidate";
    case EventKind::EmulatedInstruction: return "callout";
    case EventKind::ShadowUpdate: return "shadow";
    case EventKind::WorldSwitch: return "switch";
    case EventKind::IsolationViolation: return "violation";
    default: return "";
    }
}

// What one side's machinery did at a row, in a few words for the narrow table: "B exit".
std::string partedNote(const LockstepRow& row) {
    std::string out;
    for (int side = 0; side < 2; ++side) {
        const LockstepStep& step = side ? row.b : row.a;
        if (!(side ? row.hasB() : row.hasA())) continue;
        if (const auto m = firstMechanism(step.kinds)) {
            out += out.empty() ? "  " : ", ";
            out += side ? "B " : "A ";
            out += shortName(*m);
        }
    }
    if (row.mark == LockstepMark::OnlyA) out += "  (only A)";
    if (row.mark == LockstepMark::OnlyB) out += "  (only B)";
    return out;
}

void comparisonTable(Ui& ui, Lockstep& l) {
    CompareView& view = ui.panels.compare;
    const Comparison& job = ui.comparison;
    const auto& rows = l.rows();
    // Three shapes: the essentials in the default small place, a column per
    // side when there is room, and everything when popped out.
    const float width = ImGui::GetContentRegionAvail().x;
    // The widths are for 16-pixel text; larger text (presentation) needs them larger.
    const float textScale = ImGui::GetFontSize() / 16.0f;
    const Shape shape = width >= kWideTable * textScale    ? Shape::Wide
                        : width >= kMediumTable * textScale ? Shape::Medium
                                                            : Shape::Narrow;
    const bool wide = shape == Shape::Wide;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    const bool narrow = shape == Shape::Narrow;
    const int columns = wide ? 9 : shape == Shape::Medium ? 5 : 2;
    // The difference's column as wide as its widest value, so the instruction
    // gets the rest. A table keeps the widths it was made with: one made for
    // more digits is a new table (scrolled back to the selected row).
    const std::string widest = grouped(std::max(view.largest, -view.smallest), true);
    const std::string id = fmt::format("rows {} {}", int(shape), widest.size());
    if (id != view.tableId) {
        view.tableId = id;
        if (view.row) view.reveal = 2;
    }
    if (!ImGui::BeginTable(id.c_str(), columns, flags | ImGuiTableFlags_NoSavedSettings)) return;
    const auto fixed = ImGuiTableColumnFlags_WidthFixed;
    const auto stretch = ImGuiTableColumnFlags_WidthStretch;
    const std::string a = fmt::format("A: {}", l.mode(false)), b = fmt::format("B: {}", l.mode(true));
    const float differenceWidth = std::max(ImGui::CalcTextSize(widest.c_str()).x, ImGui::CalcTextSize("B - A").x);
    ImGui::TableSetupScrollFreeze(0, 1);
    // Narrow, the row number gives its room to the instruction (the tooltip has it).
    if (!narrow) ImGui::TableSetupColumn("#", fixed, ImGui::CalcTextSize(std::to_string(l.maxRows() - 1).c_str()).x);
    if (wide) {
        ImGui::TableSetupColumn("pc", fixed, ImGui::CalcTextSize("00000000").x);
        ImGui::TableSetupColumn("instruction", stretch, 1.4f);
        const float costWidth = std::max(ImGui::CalcTextSize("+00,000").x, ImGui::CalcTextSize("A +cycles").x);
        ImGui::TableSetupColumn("A +cycles", fixed, costWidth);
        ImGui::TableSetupColumn(a.c_str(), stretch, 1.0f);
        ImGui::TableSetupColumn("B +cycles", fixed, costWidth);
        ImGui::TableSetupColumn(b.c_str(), stretch, 1.0f);
        ImGui::TableSetupColumn("B - A", fixed, differenceWidth);
        ImGui::TableSetupColumn("where", stretch, 0.8f);
    } else if (shape == Shape::Medium) {
        ImGui::TableSetupColumn("instruction", stretch, 1.3f);
        ImGui::TableSetupColumn(a.c_str(), stretch, 1.0f);
        ImGui::TableSetupColumn(b.c_str(), stretch, 1.0f);
        ImGui::TableSetupColumn("B - A", fixed, differenceWidth);
    } else {
        ImGui::TableSetupColumn("instruction", stretch, 1.0f);
        ImGui::TableSetupColumn("B - A", fixed, differenceWidth);
    }
    ImGui::TableHeadersRow();
    const float rowHeight = ImGui::GetTextLineHeightWithSpacing();
    if (view.reveal > 0 && view.row) {
        ImGui::SetScrollY(std::max(0.0f, float(*view.row) * rowHeight - ImGui::GetWindowHeight() * 0.4f));
        --view.reveal;
    }
    ImGuiListClipper clipper;
    clipper.Begin(int(rows.size()), rowHeight);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const LockstepRow& row = rows[size_t(i)];
            ImGui::TableNextRow();
            if (row.mark != LockstepMark::Together)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, row.mark == LockstepMark::Parted ? kPartedRow
                                                                  : row.mark == LockstepMark::OnlyA ? kOnlyARow
                                                                                                     : kOnlyBRow);
            const bool sideB = !row.hasA();  // the instruction shown: A's, or B's where only B ran
            const LockstepStep& step = sideB ? row.b : row.a;
            std::string text = job.instruction(sideB, step);
            if (narrow && row.mark != LockstepMark::Together) {
                // Too narrow for operands and what happened: the mnemonic says enough.
                text = text.substr(0, text.find(' '));
            } else if (!wide) {
                // Without a column for it, a label here says where the code is.
                const std::string place = job.place(sideB, step);
                if (!place.empty() && place.find('+') == std::string::npos) text = place + ": " + text;
            }
            // The row is picked by its first cell: the number, or narrow, the instruction.
            ImGui::TableNextColumn();
            ImGui::PushID(i);
            char index[24];
            std::snprintf(index, sizeof index, "%d", i);
            if (ImGui::Selectable(narrow ? text.c_str() : index, view.row == size_t(i), ImGuiSelectableFlags_SpanAllColumns))
                clickRow(ui, l, row, size_t(i));
            if (ImGui::IsItemHovered()) rowTooltip(job, l, row, size_t(i));
            ImGui::PopID();
            if (wide) {
                ImGui::TableNextColumn();
                ImGui::Text("%08x", step.pc);
            }
            if (narrow) {
                if (row.mark != LockstepMark::Together) {
                    ImGui::SameLine(0, 0);
                    ImGui::TextColored(row.mark == LockstepMark::Parted ? kPartedText : kOnlyText, "%s",
                                       partedNote(row).c_str());
                }
            } else {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(text.c_str());
            }
            if (!narrow) {
                ImGui::TableNextColumn();
                sideCell(row.a, row.hasA(), wide);
                ImGui::TableNextColumn();
                sideCell(row.b, row.hasB(), wide);
            }
            ImGui::TableNextColumn();
            const int64_t before = i > 0 ? rows[size_t(i) - 1].difference : 0;
            if (row.difference != before)
                ImGui::TextColored(kPartedText, "%s", grouped(row.difference, true).c_str());
            else if (row.hasA() && row.hasB())
                ImGui::TextUnformatted(grouped(row.difference, true).c_str());
            else
                ImGui::TextDisabled("%s", grouped(row.difference, true).c_str());  // held: the runs are apart
            if (wide) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(job.place(sideB, step).c_str());
            }
        }
    }
    ImGui::EndTable();
}

// One line of state: progress while it runs, the outcome once it is over.
void statusLine(Lockstep& l) {
    const size_t n = l.rows().size();
    if (!l.done()) {
        const float fraction = float(double(n) / double(std::max<size_t>(1, l.maxRows())));
        ImGui::ProgressBar(fraction, ImVec2(-FLT_MIN, 0), fmt::format("{} of {} instructions", grouped(int64_t(n)), grouped(int64_t(l.maxRows()))).c_str());
        return;
    }
    const int64_t diff = n ? l.rows().back().difference : 0;
    const uint64_t base = n ? l.rows().back().a.cycleAfter : 0;
    std::string full = fmt::format("{} partings in {} instructions; B - A {} cycles", grouped(int64_t(l.partings().size())),
                                   grouped(int64_t(n)), grouped(diff, true));
    if (base > 0 && l.rows().back().hasA()) full += fmt::format(" ({:+.1f}%)", 100.0 * double(diff) / double(base));
    const std::string text = ImGui::CalcTextSize(full.c_str()).x <= ImGui::GetContentRegionAvail().x
                                 ? full
                                 : fmt::format("{} partings, B - A {}", grouped(int64_t(l.partings().size())),
                                               grouped(diff, true));
    ImGui::TextUnformatted(text.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", full.c_str(), l.ending().c_str());
}

}  // namespace

bool compareModesNow(Ui& ui, Mode modeA, Mode modeB, std::string& error) {
    CompareView& view = ui.panels.compare;
    Comparison& job = ui.comparison;
    view.modeA = modeA;
    view.modeB = modeB;
    view.modeBChosen = true;
    start(ui);
    if (!job.active()) {
        error = job.error();
        return false;
    }
    job.finish();
    if (!job.lockstep()->partings().empty()) selectRow(view, job.lockstep()->partings().front());
    view.selectFirstParting = false;
    return true;
}

void popOutComparePanel(Ui& ui) { ui.panels.compare.popRequested = !ui.panels.compare.poppedOut; }

std::string compareSummary(Ui& ui) {
    Comparison& job = ui.comparison;
    Lockstep* l = job.lockstep();
    if (!l) return "compare none" + (job.error().empty() ? std::string() : ": " + job.error());
    const auto& rows = l->rows();
    return fmt::format("compare {},{} rows {} partings {} difference {:+} first-divergence {} done {}", l->mode(false),
                       l->mode(true), rows.size(), l->partings().size(), rows.empty() ? 0 : rows.back().difference,
                       l->firstDivergence() ? std::to_string(*l->firstDivergence()) : "none", l->done() ? 1 : 0);
}

void drawComparePanel(Ui& ui) {
    CompareView& view = ui.panels.compare;
    Comparison& job = ui.comparison;
    SimController& sim = ui.sim;
    // No comparison (none yet, stopped, or dropped by the frame loop when another scenario opened): no row to select.
    if (!job.active()) view.row.reset();
    // B follows the session's mode until the user picks one.
    if (!view.modeBChosen) {
        view.modeB = sim.mode() != view.modeA ? std::optional<Mode>(sim.mode()) : std::nullopt;
        if (!view.modeB && sim.scenario())
            for (const auto& m : sim.scenario()->modes)
                if (m != view.modeA) {
                    view.modeB = m;
                    break;
                }
    }

    const ImVec2 display = ImGui::GetIO().DisplaySize;
    if (view.popRequested) {
        view.popRequested = false;
        view.poppedOut = !view.poppedOut;
        if (view.poppedOut) {
            ImGui::SetNextWindowPos(ImVec2(display.x * 0.06f, display.y * 0.08f), ImGuiCond_Always);
            ImGui::SetNextWindowSize(ImVec2(display.x * 0.88f, display.y * 0.86f), ImGuiCond_Always);
            ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);  // out of the row of title bars
            ImGui::SetNextWindowFocus();
        } else {
            ImGui::SetNextWindowPos(view.dockedPos, ImGuiCond_Always);
            ImGui::SetNextWindowSize(view.dockedSize, ImGuiCond_Always);
            ImGui::SetNextWindowCollapsed(view.dockedCollapsed, ImGuiCond_Always);
        }
    } else {
        placeNextWindow(PanelSlot::Compare);
    }
    // Popped out over the other panels: opaque, so they do not show through.
    if (view.poppedOut) ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.07f, 0.07f, 0.085f, 1.0f));
    const bool open = ImGui::Begin("Compare");
    if (view.poppedOut) ImGui::PopStyleColor();
    // Where "Back" puts it: its place, open or a title bar, as it was.
    if (!view.poppedOut) {
        view.dockedPos = ImGui::GetWindowPos(), view.dockedSize = ImGui::GetWindowSize();
        view.dockedCollapsed = ImGui::IsWindowCollapsed();
    }
    if (!open) {
        ImGui::End();
        return;
    }
    // Out, it stays over every other panel, even one clicked or opened after it.
    if (view.poppedOut) keepAbovePanels();
    const ImGuiStyle& style = ImGui::GetStyle();

    // The two modes, and what to do (beside them when there is room, else on the next line).
    const char* action = job.running() ? "Stop" : "Compare";
    const float actionWidth = ImGui::CalcTextSize(action).x + style.FramePadding.x * 2;
    const float vsWidth = ImGui::CalcTextSize("vs").x;
    const bool roomy = ImGui::GetContentRegionAvail().x >= kMediumTable * ImGui::GetFontSize() / 16.0f;
    const float comboWidth = std::max(
        60.0f, (ImGui::GetContentRegionAvail().x - vsWidth - style.ItemSpacing.x * 2 -
                (roomy ? actionWidth + style.ItemSpacing.x : 0.0f)) / 2);
    std::optional<Mode> modeA = view.modeA;
    if (modeCombo("##mode A", modeA, comboWidth)) view.modeA = *modeA;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A: %s", std::string(modeName(view.modeA)).c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted("vs");
    ImGui::SameLine();
    if (modeCombo("##mode B", view.modeB, comboWidth)) view.modeBChosen = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("B: %s", view.modeB ? std::string(modeName(*view.modeB)).c_str() : "");
    if (roomy) ImGui::SameLine();
    ImGui::BeginDisabled(!sim.scenario());
    if (ImGui::Button(action)) {
        if (job.running()) job.clear();
        else start(ui);
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("run the scenario in both modes, one guest instruction at a time, and line them up");
    ImGui::EndDisabled();
    if (!roomy) ImGui::SameLine();

    Lockstep* l = job.lockstep();
    const std::vector<size_t> noPartings;
    const std::vector<size_t>& partings = l ? l->partings() : noPartings;
    // Previous and next parting, the pop-out, and the row limit.
    ImGui::BeginDisabled(partings.empty() || (view.row && *view.row <= partings.front()));
    if (ImGui::ArrowButton("previous parting", ImGuiDir_Left)) {
        const auto it = std::lower_bound(partings.begin(), partings.end(), view.row.value_or(0));
        selectRow(view, it == partings.begin() ? partings.front() : *std::prev(it));
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("previous parting");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(partings.empty() || (view.row && *view.row >= partings.back()));
    if (ImGui::ArrowButton("next parting", ImGuiDir_Right)) {
        const auto it = view.row ? std::upper_bound(partings.begin(), partings.end(), *view.row) : partings.begin();
        selectRow(view, it == partings.end() ? partings.back() : *it);
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("next parting");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(view.poppedOut ? "Back" : "Pop out")) view.popRequested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(view.poppedOut ? "back to its place" : "show it large, over the other panels");
    ImGui::SameLine();
    if (ImGui::Button("...")) ImGui::OpenPopup("compare options");
    if (ImGui::BeginPopup("compare options")) {
        ImGui::SetNextItemWidth(120);
        ImGui::InputInt("instructions at most", &view.maxRows, 10'000, 100'000);
        view.maxRows = std::clamp(view.maxRows, 1'000, kMostRows);
        ImGui::TextDisabled("(from the next Compare)");
        ImGui::EndPopup();
    }
    if (l) statusLine(*l);

    if (!job.error().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
        ImGui::TextWrapped("%s", job.error().c_str());
        ImGui::PopStyleColor();
    }
    if (!l) {
        ImGui::TextWrapped("Runs this scenario in two modes side by side, one guest instruction per row, and marks "
                           "where they part: a trap into the monitor, a VM exit, a block translated, a hypercall.");
        ImGui::End();
        return;
    }
    if (view.selectFirstParting && view.row == std::nullopt && !partings.empty()) {
        selectRow(view, partings.front());
        view.selectFirstParting = false;
    }
    followSelection(ui, *l);
    updateRange(view, *l);

    // Large enough: the ending in words, the legend and the plot above the table.
    const float avail = ImGui::GetContentRegionAvail().y;
    if (l->done() && avail > 330) ImGui::TextDisabled("%s", l->ending().c_str());
    if (avail > 260) {
        // The legend, a phrase at a time: on as few lines as the panel's width allows.
        const auto beside = [](const char* text) { sameLineIfFits(ImGui::CalcTextSize(text).x); };
        ImGui::TextColored(kPartedText, "parted");
        beside("one mode's machinery acted;");
        ImGui::TextDisabled("one mode's machinery acted;");
        beside("only A / only B");
        ImGui::TextColored(kOnlyText, "only A / only B");
        beside("the runs took different paths");
        ImGui::TextDisabled("the runs took different paths");
        if (l->firstDivergence()) {
            const std::string first = "(first at " + std::to_string(*l->firstDivergence()) + ", realigned " +
                                      std::to_string(l->realignments()) + " times)";
            beside(first.c_str());
            ImGui::TextDisabled("%s", first.c_str());
        }
        // Why rows go one-sided where a reader might expect them to line up.
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        if (l->guest(false).kernel.image != l->guest(true).kernel.image)
            ImGui::TextWrapped("A and B run different builds of the guest (the paravirtual kernel): only code with the "
                               "same address and encoding lines up.");
        if (ui.sim.scenario() && ui.sim.scenario()->guests.instances > 1)
            ImGui::TextWrapped("%u guests: each mode schedules them its own way, so their instructions interleave "
                               "differently.",
                               unsigned(ui.sim.scenario()->guests.instances));
        ImGui::PopStyleColor();
        differencePlot(view, *l, avail > 500 ? 110.0f : 60.0f);
    }
    if (!view.note.empty() && avail > 160) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", view.note.c_str());
        ImGui::PopStyleColor();
    }
    comparisonTable(ui, *l);
    ImGui::End();
}

}  // namespace ringsim::gui
