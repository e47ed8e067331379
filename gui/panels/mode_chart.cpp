#include "mode_chart.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "../colours.h"
#include "report/grouped.h"

namespace ringsim::gui {

namespace {

// The window's background is light (a light theme): the chart's own colours darken.
bool lightBackground() {
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    return 0.3f * bg.x + 0.6f * bg.y + 0.1f * bg.z > 0.5f;
}

ImU32 withAlpha(ImU32 colour, int alpha) { return (colour & ~IM_COL32_A_MASK) | (ImU32(alpha) << IM_COL32_A_SHIFT); }

// The overhead means something only between two runs that finished: a run
// that faulted or ran out of budget says so instead, and without native's
// baseline (MatrixCell::hasOverhead, core's one rule) there is none to give.
std::string overheadText(const MatrixCell& cell) {
    if (!cell.result) return "-";
    if (cell.result->stopReason != StopReason::Halted) return std::string(stopReasonName(cell.result->stopReason));
    if (!cell.hasOverhead()) return "no baseline";
    char text[32];
    std::snprintf(text, sizeof text, "%+.1f%%", cell.overheadPercent);
    return text;
}

ImVec2 textSize(const ModeChartLook& look, const std::string& text) {
    return look.font->CalcTextSizeA(look.fontSize, FLT_MAX, 0.0f, text.c_str());
}

void text(ImDrawList* draw, const ModeChartLook& look, ImVec2 at, ImU32 colour, const std::string& s) {
    draw->AddText(look.font, look.fontSize, at, colour, s.c_str());
}

// The categories any run spent cycles in: the legend lists only those.
std::array<bool, kCycleCategoryCount> usedCategories(const ModeComparison& comparison) {
    std::array<bool, kCycleCategoryCount> used{};
    for (const auto& c : comparison.cells)
        if (c.result)
            for (size_t k = 0; k < kCycleCategoryCount; ++k) used[k] = used[k] || c.result->cycles[k] > 0;
    return used;
}

struct LegendItem {
    std::string label;
    ImU32 colour;
    bool nativeLine;  // the dashed line at native's total, not a category
};

// The legend's items wrapped into lines of at most `width`; returns the lines' count.
int legendLines(const ModeChartLook& look, const std::vector<LegendItem>& items, float width, float swatch, float gap) {
    int lines = 1;
    float x = 0;
    for (const auto& item : items) {
        const float w = swatch + gap * 0.5f + textSize(look, item.label).x + gap;
        if (x > 0 && x + w > width) {
            ++lines;
            x = 0;
        }
        x += w;
    }
    return lines;
}

// A figure right-aligned in its table column (digits line up; spaces would not).
void rightAligned(const std::string& figure) {
    const float free = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(figure.c_str()).x;
    if (free > 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + free);
    ImGui::TextUnformatted(figure.c_str());
}

void dashedLine(ImDrawList* draw, float x, float y0, float y1, ImU32 colour) {
    for (float y = y0; y < y1; y += 8.0f) draw->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 4.0f, y1)), colour, 1.5f);
}

}  // namespace

ImU32 currentModeColour() {
    // The lit ring's amber: "this is where you are"; darker on a light background.
    return lightBackground() ? IM_COL32(150, 95, 0, 255) : IM_COL32(240, 190, 60, 255);
}

std::string shortCount(uint64_t n) {
    char text[32];
    if (n < 10'000) std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(n));
    else if (n < 1'000'000) std::snprintf(text, sizeof text, "%.0fk", double(n) / 1e3);
    else if (n < 100'000'000) std::snprintf(text, sizeof text, "%.2fM", double(n) / 1e6);
    else if (n < 1'000'000'000) std::snprintf(text, sizeof text, "%.0fM", double(n) / 1e6);
    else std::snprintf(text, sizeof text, "%.2fG", double(n) / 1e9);
    return text;
}

ModeChartDrawn drawModeChart(ImDrawList* draw, ImVec2 min, ImVec2 max, const ModeComparison& comparison,
                             const ModeChartLook& given, ImVec2 mouse) {
    ModeChartLook look = given;
    if (!look.font) look.font = ImGui::GetFont();
    if (!look.titleFont) look.titleFont = look.font;
    const ImU32 textColour = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 dimColour = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImU32 accent = currentModeColour();
    const ImU32 lineColour = withAlpha(textColour, 190);  // native's dashed line
    const float pad = std::max(3.0f, look.fontSize * 0.35f);
    if (look.fillBackground) {
        ImVec4 background = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
        background.w = 1.0f;  // a picture on its own: nothing shows through
        draw->AddRectFilled(min, max, ImGui::ColorConvertFloat4ToU32(background));
        draw->AddRect(min, max, ImGui::GetColorU32(ImGuiCol_Border), 0.0f, 0, 1.0f);
    }
    const auto& cells = comparison.cells;
    if (cells.empty()) return {-1, min.y};

    float y = min.y + pad;
    const float wrap = max.x - min.x - pad * 4;
    if (!look.title.empty()) {
        draw->AddText(look.titleFont, look.titleSize, ImVec2(min.x + pad * 2, y), textColour, look.title.c_str(), nullptr, wrap);
        y += look.titleFont->CalcTextSizeA(look.titleSize, FLT_MAX, wrap, look.title.c_str()).y + pad;
    }
    if (!look.subtitle.empty()) {
        ImFont* font = look.subtitleFont ? look.subtitleFont : look.font;
        draw->AddText(font, look.subtitleSize, ImVec2(min.x + pad * 2, y), withAlpha(textColour, 200), look.subtitle.c_str(),
                      nullptr, wrap);
        y += font->CalcTextSizeA(look.subtitleSize, FLT_MAX, wrap, look.subtitle.c_str()).y + pad;
    }
    if (!look.title.empty() || !look.subtitle.empty()) y += pad;

    // The legend at the bottom: the categories in use, and native's line.
    const auto used = usedCategories(comparison);
    std::vector<LegendItem> legend;
    for (size_t k = 0; k < kCycleCategoryCount; ++k)
        if (used[k]) legend.push_back({std::string(categoryLabel(CycleCategory(k))), categoryColourU32(CycleCategory(k)), false});
    const MatrixCell* native = comparison.cellFor(Mode::Native);
    if (native && native->result && look.legendNativeLine) legend.push_back({"native's total", dimColour, true});
    const float swatch = look.fontSize * 0.75f;
    const float lineHeight = look.fontSize + pad * 0.6f;
    const int lines = legendLines(look, legend, max.x - min.x - pad * 3, swatch, pad * 2);
    const float legendHeight = float(lines) * lineHeight;

    // Columns: mode names (right-aligned to the bars), the bars, then total and overhead.
    float nameWidth = 0, totalWidth = 0, overheadWidth = 0;
    for (const auto& c : cells) {
        nameWidth = std::max(nameWidth, textSize(look, std::string(modeName(c.mode))).x);
        if (c.result) totalWidth = std::max(totalWidth, textSize(look, shortCount(c.result->totalCycles)).x);
        overheadWidth = std::max(overheadWidth, textSize(look, overheadText(c)).x);
    }
    const float barLeft = min.x + pad * 2 + nameWidth + pad * 1.5f;
    const float valuesLeft = max.x - pad * 2 - totalWidth - pad * 2 - overheadWidth;
    const float barRight = std::max(barLeft + 20.0f, valuesLeft - pad * 2);
    const uint64_t longest = std::max<uint64_t>(comparison.longestRun(), 1);
    const float scale = (barRight - barLeft) / float(longest);

    const float rowsTop = y;
    const float rowsBottom = max.y - pad * 2 - legendHeight;
    // Rows share the height, up to a comfortable one; the legend follows them.
    const float rowHeight =
        std::max(look.fontSize, std::min(look.fontSize * 2.6f, (rowsBottom - rowsTop) / float(cells.size())));
    const float legendTop = rowsTop + rowHeight * float(cells.size()) + pad;
    const float barHeight = std::min(rowHeight * 0.74f, look.fontSize * 1.6f);
    int hovered = -1;
    for (size_t i = 0; i < cells.size(); ++i) {
        const MatrixCell& cell = cells[i];
        const float rowTop = rowsTop + float(i) * rowHeight;
        const ImVec2 rowMin(min.x + 2, rowTop), rowMax(max.x - 2, rowTop + rowHeight);
        const bool current = cell.mode == look.currentMode;
        const bool underMouse = mouse.x >= rowMin.x && mouse.x < rowMax.x && mouse.y >= rowMin.y && mouse.y < rowMax.y;
        if (underMouse) hovered = int(i);
        if (current) {
            draw->AddRectFilled(rowMin, rowMax, withAlpha(accent, 40), 3.0f);
            draw->AddRect(rowMin, rowMax, withAlpha(accent, 200), 3.0f, 0, 1.5f);
        } else if (underMouse) {
            draw->AddRectFilled(rowMin, rowMax, withAlpha(textColour, 24), 3.0f);
        }
        const float textY = rowTop + (rowHeight - look.fontSize) * 0.5f;
        const ImVec2 name = textSize(look, std::string(modeName(cell.mode)));
        text(draw, look, ImVec2(barLeft - pad * 1.5f - name.x, textY), current ? accent : textColour, std::string(modeName(cell.mode)));
        const float barTop = rowTop + (rowHeight - barHeight) * 0.5f, barBottom = barTop + barHeight;
        if (!cell.result) {
            text(draw, look, ImVec2(barLeft, textY), dimColour,
                 cell.error == "cancelled" ? std::string("not run") : std::string("cannot run this guest"));
            continue;
        }
        float x = barLeft;
        for (size_t k = 0; k < kCycleCategoryCount; ++k) {
            const float w = float(cell.result->cycles[k]) * scale;
            if (w <= 0) continue;
            draw->AddRectFilled(ImVec2(x, barTop), ImVec2(x + w, barBottom), categoryColourU32(CycleCategory(k)));
            x += w;
        }
        draw->AddRect(ImVec2(barLeft, barTop), ImVec2(std::max(x, barLeft + 1), barBottom), IM_COL32(0, 0, 0, 140));
        if (current && look.liveCycles) {
            // Where the run on screen has got to, against this mode's whole run.
            const float at = barLeft + float(std::min(*look.liveCycles, longest)) * scale;
            draw->AddLine(ImVec2(at, barTop - 3), ImVec2(at, barBottom + 3), IM_COL32(20, 20, 20, 255), 5.0f);
            draw->AddLine(ImVec2(at, barTop - 3), ImVec2(at, barBottom + 3), IM_COL32(255, 255, 255, 255), 2.5f);
        }
        const std::string total = shortCount(cell.result->totalCycles), overhead = overheadText(cell);
        text(draw, look, ImVec2(valuesLeft + totalWidth - textSize(look, total).x, textY), textColour, total);
        const ImU32 overheadColour = !cell.result->succeeded() ? eventKindColour(EventKind::Fault)
                                     : cell.mode == Mode::Native ? dimColour
                                     : current                   ? accent
                                                                 : textColour;
        text(draw, look, ImVec2(max.x - pad * 2 - textSize(look, overhead).x, textY), overheadColour, overhead);
    }
    if (native && native->result) {
        const float at = barLeft + float(native->result->totalCycles) * scale;
        dashedLine(draw, at, rowsTop, rowsTop + rowHeight * float(cells.size()), lineColour);
    }

    // The legend, wrapped.
    float lx = min.x + pad * 2, ly = legendTop;
    for (const auto& item : legend) {
        const float w = swatch + pad + textSize(look, item.label).x + pad * 2;
        if (lx > min.x + pad * 2 && lx + w > max.x - pad) {
            lx = min.x + pad * 2;
            ly += lineHeight;
        }
        const float sy = ly + (look.fontSize - swatch) * 0.5f;
        if (item.nativeLine)
            dashedLine(draw, lx + swatch * 0.5f, sy - 2, sy + swatch + 2, lineColour);
        else
            draw->AddRectFilled(ImVec2(lx, sy), ImVec2(lx + swatch, sy + swatch), item.colour, 2.0f);
        text(draw, look, ImVec2(lx + swatch + pad, ly), textColour, item.label);
        lx += w;
    }
    return {hovered, ly + lineHeight + pad};
}

void modeBreakdownTooltip(const MatrixCell& cell) {
    ImGui::BeginTooltip();
    ImGui::Text("%s", std::string(modeName(cell.mode)).c_str());
    if (!cell.result) {
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextWrapped("%s", cell.error == "cancelled" ? "not run: the comparison was cancelled" : cell.error.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
        return;
    }
    const RunResult& r = *cell.result;
    if (!r.succeeded())
        ImGui::Text("%s cycles: %s", grouped(r.totalCycles).c_str(), r.stopMessage.c_str());
    else if (cell.hasOverhead())
        ImGui::Text("%s cycles, %s against native", grouped(r.totalCycles).c_str(), overheadText(cell).c_str());
    else
        ImGui::Text("%s cycles (%s: no overhead to compare)", grouped(r.totalCycles).c_str(), cell.overheadNote.c_str());
    const float figureWidth = ImGui::CalcTextSize("0,000,000,000").x;
    if (ImGui::BeginTable("breakdown", 3, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("category");
        ImGui::TableSetupColumn("cycles", ImGuiTableColumnFlags_WidthFixed, figureWidth);
        ImGui::TableSetupColumn("share", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("100.0%").x);
        const double total = double(std::max<uint64_t>(r.totalCycles, 1));
        for (size_t k = 0; k < kCycleCategoryCount; ++k) {
            if (!r.cycles[k]) continue;
            ImGui::TableNextColumn();
            ImGui::ColorButton("##swatch", categoryColour(CycleCategory(k)), ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
            ImGui::SameLine();
            const std::string_view label = categoryLabel(CycleCategory(k));
            ImGui::Text("%.*s", int(label.size()), label.data());
            ImGui::TableNextColumn();
            rightAligned(grouped(r.cycles[k]));
            ImGui::TableNextColumn();
            char share[16];
            std::snprintf(share, sizeof share, "%.1f%%", 100.0 * double(r.cycles[k]) / total);
            rightAligned(share);
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    if (ImGui::BeginTable("counts", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("what");
        ImGui::TableSetupColumn("count", ImGuiTableColumnFlags_WidthFixed, figureWidth);
        auto count = [](const char* what, uint64_t n) {
            if (!n) return;
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(what);
            ImGui::TableNextColumn();
            rightAligned(grouped(n));
        };
        count("instructions", r.instructions);
        count("system calls", r.events[size_t(EventKind::Syscall)]);
        count("faults", r.events[size_t(EventKind::Fault)]);
        count("traps into the monitor", r.monitor.trapsIntoMonitor);
        count("instructions emulated", r.monitor.emulated);
        count("hypercalls", r.monitor.totalHypercalls());
        count("VM exits", r.monitor.totalExits());
        count("blocks translated", r.monitor.translatedBlocks);
        ImGui::EndTable();
    }
    ImGui::Text("output %s", cell.sameConsoleAsNative ? "the same as native's" : "DIFFERS from native's");
    ImGui::TextDisabled("dashed line: native's total; white mark: where the run on screen has got to");
    ImGui::TextDisabled("click: run the scenario in this mode");
    ImGui::EndTooltip();
}

}  // namespace ringsim::gui
