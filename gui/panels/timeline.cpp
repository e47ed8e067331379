// Timeline: who ran when. One lane per guest (VMs or containers) and one for
// the monitor's (or the host kernel's) own work; cycles run left to right.
// Each pixel column is filled with the cycle categories it holds, stacked in
// proportion to its cycles: a column where a VM ran a third of the time is a
// third full, a column half kernel and half user shows both, so nothing is
// hidden when a column holds thousands of spans. The column's contents come
// from Timeline::columns (one step per column at any zoom). Above the lanes,
// a strip of event markers, merged per pixel. The wheel zooms around the
// cursor, dragging pans, a click selects the nearest event in every view.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "../colours.h"
#include "../layout.h"
#include "machine/timeline.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr float kStripHeight = 9;             // the event markers
constexpr float kMinVisible = 2;              // pixels of height a category present in a column gets at least
constexpr double kMinCyclesPerPixel = 1.0 / 64;  // the closest zoom: a cycle is 64 pixels wide
// Until the user zooms, the whole run is shown while it is short, and then
// the newest cycles at this zoom (about a scheduler slice in a few pixels).
constexpr double kDefaultCyclesPerPixel = 8192;
constexpr float kEndMargin = 4;  // pixels after the newest cycle when following or fitting
constexpr size_t kEventsLookedAtPerColumn = 8;  // to tell one kind of event from a mix
constexpr float kClickTolerance = 4;            // pixels either side of the cursor a click looks for an event
constexpr ImU32 kSelectedColour = IM_COL32(255, 235, 60, 255);

using TimelineView = TimelinePanelState;
using Lane = TimelinePanelState::Lane;

const char* shortCategoryName(CycleCategory c) {
    switch (c) {
    case CycleCategory::GuestUser: return "user";
    case CycleCategory::GuestKernel: return "kernel";
    case CycleCategory::Monitor: return "monitor";
    case CycleCategory::Translation: return "translation";
    case CycleCategory::WorldSwitch: return "switch";
    case CycleCategory::PageWalk: return "page walk";
    case CycleCategory::Device: return "device";
    case CycleCategory::Idle: return "idle";
    case CycleCategory::Count: break;
    }
    return "?";
}

// The lanes: every VM and the monitor's own, or the containers and the host
// kernel, or the one machine natively. The host's lane goes last.
void collectLanes(Session& session, const Timeline& timeline, std::vector<Lane>& lanes) {
    lanes.clear();
    auto add = [&](uint16_t guest, const char* format, unsigned number, const char* note = nullptr) {
        Lane lane;
        lane.guest = guest;
        lane.note = note;
        std::snprintf(lane.label, sizeof lane.label, format, number);
        lanes.push_back(lane);
    };
    if (VmHost* host = session.host()) {
        for (size_t i = 0; i < host->size(); ++i) add(uint16_t(i), "vm%u", unsigned(i));
        if (host->size() > 1)
            add(kHostGuest, "monitor", 0, "The monitor's own work: switching between VMs.\nIts work for a VM is on that VM's lane.");
        return;
    }
    const bool containers = modeInfo(session.options().mode).containers;
    for (uint16_t guest : timeline.guests())
        if (containers && guest != 0) add(guest, "container%u", guest);
    if (containers)
        add(0, "host kernel", 0, "The host kernel outside any container.\nIts work for a container is on that container's lane.");
    else
        add(0, "native", 0);
}

// "1.25M", "350k", "1234": enough digits to tell ticks `step` apart.
void formatCycle(char* out, size_t size, double cycle, double step) {
    struct Unit {
        double value;
        const char* suffix;
    };
    const Unit units[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    for (const Unit& u : units)
        if (step >= u.value / 100 && std::abs(cycle) >= u.value) {
            const int decimals = std::clamp(int(std::ceil(std::log10(u.value / step) - 1e-9)), 0, 3);
            std::snprintf(out, size, "%.*f%s", decimals, cycle / u.value, u.suffix);
            return;
        }
    const int decimals = step >= 1 ? 0 : std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 3);
    std::snprintf(out, size, "%.*f", decimals, cycle);
}

// A step of 1, 2 or 5 times a power of ten, at least `raw`.
double niceStep(double raw) {
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw) return m * power;
    return 10 * power;
}

// The retained event nearest to `cycle` within `tolerance` cycles, if any.
std::optional<uint64_t> eventNear(const EventLog& log, double cycle, double tolerance) {
    const uint64_t after = log.firstAtOrAfter(uint64_t(std::max(0.0, std::ceil(cycle))));
    std::optional<uint64_t> best;
    double bestDistance = tolerance;
    for (uint64_t n : {after, after - 1}) {
        if (n < log.firstRetained() || n >= log.total()) continue;
        const double distance = std::abs(double(log.at(n).cycle) - cycle);
        if (distance <= bestDistance) best = n, bestDistance = distance;
    }
    return best;
}

// The toolbar: Fit, Follow, and a legend of the categories in view (all of them in its tooltip).
void drawToolbar(TimelineView& view, const Timeline& timeline, double width,
                 const std::array<bool, kCycleCategoryCount>& inView) {
    if (ImGui::Button("Fit")) {
        view.cyclesPerPixel =
            std::max(kMinCyclesPerPixel, double(timeline.endCycle() - timeline.retainedFrom()) / (width - kEndMargin));
        view.from = double(timeline.retainedFrom());
        view.zoomed = true;
        view.follow = false;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the whole run (what the timeline still holds)");
    ImGui::SameLine();
    ImGui::Checkbox("Follow", &view.follow);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep the newest cycles in view while the simulation runs");
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight(), box = std::floor(line * 0.6f);
    ImGui::SameLine(0, 14);
    ImGui::BeginGroup();
    bool first = true;
    int left = 0;
    for (bool shown : inView) left += shown;
    for (size_t c = 0; c < kCycleCategoryCount; ++c) {
        if (!inView[c]) continue;
        const char* name = shortCategoryName(CycleCategory(c));
        if (!first) ImGui::SameLine(0, 9);
        // What does not fit is counted; the tooltip lists every category.
        const float room = ImGui::GetContentRegionAvail().x - (left > 1 ? ImGui::CalcTextSize("+8").x + 9 : 0);
        if (box + 3 + ImGui::CalcTextSize(name).x > room) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("+%d", left);
            break;
        }
        --left;
        first = false;
        ImGui::AlignTextToFramePadding();
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float top = at.y + ImGui::GetStyle().FramePadding.y + (line - box) / 2;
        draw->AddRectFilled(ImVec2(at.x, top), ImVec2(at.x + box, top + box), categoryColourU32(CycleCategory(c)));
        ImGui::Dummy(ImVec2(box, line));
        ImGui::SameLine(0, 3);
        ImGui::TextUnformatted(name);
    }
    if (first) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("nothing in view");
    }
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::TextUnformatted("Cycle categories (those in view are listed):");
        for (size_t c = 0; c < kCycleCategoryCount; ++c) {
            ImGui::ColorButton("##c", categoryColour(CycleCategory(c)), ImGuiColorEditFlags_NoTooltip, ImVec2(line, line));
            ImGui::SameLine();
            const std::string_view label = categoryLabel(CycleCategory(c));
            ImGui::TextUnformatted(label.data(), label.data() + label.size());
        }
        ImGui::EndTooltip();
    }
}

// One lane's columns as stacked bars: each category's share of a column's
// cycles is its share of the lane's height, but at least kMinVisible pixels,
// so that a few cycles in a wide column (a VM switch at a coarse zoom) are
// seen, not lost. Runs of columns that look the same are one rectangle.
void drawLane(ImDrawList* draw, const ColumnCycles* columns, size_t count, float x0, float top, float bottom,
              double cyclesPerPixel) {
    struct Run {
        float x0 = 0, x1 = 0, y0 = 0, y1 = 0;
        bool open = false;
    };
    std::array<Run, kCycleCategoryCount> runs{};
    auto flush = [&](size_t c) {
        if (runs[c].open)
            draw->AddRectFilled(ImVec2(runs[c].x0, runs[c].y0), ImVec2(runs[c].x1, runs[c].y1),
                                categoryColourU32(CycleCategory(c)));
        runs[c].open = false;
    };
    const float height = bottom - top;
    for (size_t col = 0; col < count; ++col) {
        const float x = x0 + float(col);
        float y = bottom;
        for (size_t c = 0; c < kCycleCategoryCount; ++c) {
            Run& run = runs[c];
            if (columns[col][c] < 0.5) {  // less than a cycle: only a share of a summary bucket
                flush(c);
                continue;
            }
            const float h = std::max(kMinVisible, float(std::min(1.0, columns[col][c] / cyclesPerPixel)) * height);
            const float y0 = std::max(top, y - h), y1 = y;
            y = y0;
            if (run.open && run.x1 == x && std::abs(run.y0 - y0) < 0.25f && std::abs(run.y1 - y1) < 0.25f) {
                run.x1 = x + 1;
                continue;
            }
            flush(c);
            run = Run{x, x + 1, y0, y1, true};
        }
    }
    for (size_t c = 0; c < kCycleCategoryCount; ++c) flush(c);
}

// The markers: one tick per pixel column that holds events, in the kind's
// colour; split in two colours (the first two kinds met) when the column
// holds several kinds. Drawn left to right, so each column's own colours win
// over the spill of its left neighbour.
void drawMarkers(const TimelineView& view, ImDrawList* draw, const EventLog& log, float x0, float top, size_t columns) {
    for (size_t col = 0; col < columns; ++col) {
        const double c0 = view.from + double(col) * view.cyclesPerPixel, c1 = c0 + view.cyclesPerPixel;
        if (c1 <= 0) continue;
        uint64_t n = log.firstAtOrAfter(uint64_t(std::max(0.0, std::ceil(c0))));
        if (n >= log.total() || double(log.at(n).cycle) >= c1) continue;
        const EventKind kind = log.at(n).kind;
        EventKind other = kind;
        for (size_t seen = 1; seen < kEventsLookedAtPerColumn && ++n < log.total() && double(log.at(n).cycle) < c1; ++seen)
            if (log.at(n).kind != kind) {
                other = log.at(n).kind;
                break;
            }
        const float x = x0 + float(col), middle = top + std::floor(kStripHeight / 2);
        // Two pixels wide, so that a lone event is seen; a neighbour's covers the second.
        draw->AddRectFilled(ImVec2(x, top), ImVec2(x + 2, middle), eventKindColour(kind));
        draw->AddRectFilled(ImVec2(x, middle), ImVec2(x + 2, top + kStripHeight), eventKindColour(other));
    }
}

void drawAxis(const TimelineView& view, ImDrawList* draw, float x0, float y, float width) {
    const double step = niceStep(std::max(1e-3, 90.0 * view.cyclesPerPixel));
    const ImU32 colour = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    char label[32];
    for (double tick = std::ceil(view.from / step) * step; tick < view.from + width * view.cyclesPerPixel; tick += step) {
        if (tick < 0) continue;
        const float x = x0 + float((tick - view.from) / view.cyclesPerPixel);
        draw->AddLine(ImVec2(x, y), ImVec2(x, y + 4), colour);
        formatCycle(label, sizeof label, tick, step);
        const float w = ImGui::CalcTextSize(label).x;
        const float left = std::clamp(x - w / 2, x0, x0 + width - w);
        draw->AddText(ImVec2(left, y + 3), colour, label);
    }
}

void showLaneTooltip(const TimelineView& view, const Timeline& timeline, const Lane& lane, const ColumnCycles& column,
                     double c0, double cursor) {
    ImGui::BeginTooltip();
    char a[32], b[32];
    formatCycle(a, sizeof a, std::max(0.0, c0), 1);
    formatCycle(b, sizeof b, c0 + view.cyclesPerPixel, 1);
    double total = 0;
    for (double c : column) total += c;
    if (view.cyclesPerPixel > 1) {
        ImGui::Text("%s, cycles %s to %s", lane.label, a, b);
        if (total <= 0) ImGui::TextDisabled("not running");
        for (size_t c = 0; c < kCycleCategoryCount; ++c)
            if (column[c] > 0) {
                const std::string_view label = categoryLabel(CycleCategory(c));
                ImGui::Text("%.*s: %.0f cycles (%.0f%%)", int(label.size()), label.data(), column[c],
                            100 * column[c] / view.cyclesPerPixel);
            }
    }
    // The span under the cursor, when it is this lane's and still kept.
    const uint64_t n = timeline.spanAt(uint64_t(std::max(0.0, cursor)));
    if (n < timeline.spans().total() && double(timeline.spans().at(n).start) <= cursor) {
        const TimelineSpan& s = timeline.spans().at(n);
        const std::string_view label = categoryLabel(s.category);
        if (s.guest == lane.guest)
            ImGui::Text("%s%.*s on %s, cycles %llu to %llu (%llu cycles)", view.cyclesPerPixel > 1 ? "under the cursor: " : "",
                        int(label.size()), label.data(), lane.label, static_cast<unsigned long long>(s.start),
                        static_cast<unsigned long long>(s.end), static_cast<unsigned long long>(s.end - s.start));
        else if (view.cyclesPerPixel <= 1)
            ImGui::TextDisabled("%s is not running at cycle %.0f", lane.label, std::floor(cursor));
    }
    if (lane.note) ImGui::TextDisabled("%s", lane.note);
    ImGui::EndTooltip();
}

void showMarkerTooltip(const TimelineView& view, const EventLog& log, double c0) {
    const uint64_t n = log.firstAtOrAfter(uint64_t(std::max(0.0, std::ceil(c0))));
    const double c1 = c0 + view.cyclesPerPixel;
    if (n >= log.total() || double(log.at(n).cycle) >= c1) return;
    const uint64_t end = log.firstAtOrAfter(uint64_t(std::ceil(c1)));
    ImGui::BeginTooltip();
    if (end - n > 1) ImGui::Text("%llu events here; the first:", static_cast<unsigned long long>(end - n));
    ImGui::TextUnformatted(describeEvent(log.at(n)).c_str());
    ImGui::TextDisabled("click to select it");
    ImGui::EndTooltip();
}

}  // namespace

void drawTimelinePanel(Ui& ui) {
    TimelineView& view = ui.panels.timeline;
    placeNextWindow(PanelSlot::Timeline);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 4));
    const bool open = ImGui::Begin("Timeline");
    ImGui::PopStyleVar();
    Session* session = ui.sim.session();
    const Timeline* timeline = session ? session->timeline() : nullptr;
    if (!open || !timeline) {
        if (open) ImGui::TextDisabled(session ? "no timeline for this run" : "no run");
        ImGui::End();
        return;
    }
    if (view.of != timeline) {
        view = TimelineView{};
        view.of = timeline;
        view.selectionSeen = ui.selection.serial;
    }
    const EventLog& log = session->machine().events;
    collectLanes(*session, *timeline, view.lanes);
    view.guests.clear();
    for (const Lane& lane : view.lanes) view.guests.push_back(lane.guest);

    // Geometry: labels on the left, then the marker strip, the lanes, the axis.
    float labelWidth = 0;
    for (const Lane& lane : view.lanes) labelWidth = std::max(labelWidth, ImGui::CalcTextSize(lane.label).x);
    labelWidth += 8;
    const float toolbarHeight = ImGui::GetFrameHeightWithSpacing();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float x0 = origin.x + labelWidth;
    const float width = std::floor(std::max(20.0f, avail.x - labelWidth));
    const auto columnCount = size_t(width);
    const float axisHeight = ImGui::GetTextLineHeight() + 4;
    const float stripTop = origin.y + toolbarHeight;
    const float lanesTop = stripTop + kStripHeight + 1;
    const float lanesHeight = std::max(8.0f, avail.y - toolbarHeight - kStripHeight - 1 - axisHeight);
    const float laneHeight = lanesHeight / float(view.lanes.size());

    // Zoom and position: fit the run until the user zooms; follow the newest cycles.
    const double start = double(timeline->startCycle()), end = double(timeline->endCycle());
    // A few pixels are left after the newest cycle, for the marker of an event at it.
    const double usable = std::max(1.0, double(width) - kEndMargin);
    if (!view.zoomed) view.cyclesPerPixel = std::clamp((end - start) / usable, 1.0, kDefaultCyclesPerPixel);
    // The selection changed elsewhere: bring its event into the middle.
    if (ui.selection.serial != view.selectionSeen) {
        view.selectionSeen = ui.selection.serial;
        if (ui.selection.event && *ui.selection.event >= log.firstRetained() && *ui.selection.event < log.total()) {
            view.from = double(log.at(*ui.selection.event).cycle) - width * view.cyclesPerPixel / 2;
            view.follow = false;
        }
    }
    if (view.follow) view.from = std::max(start, end - usable * view.cyclesPerPixel);

    timeline->columns(view.from, view.cyclesPerPixel, columnCount, view.guests, view.columns);
    const double drawnFrom = view.from, drawnCyclesPerPixel = view.cyclesPerPixel;
    std::array<bool, kCycleCategoryCount> inView{};
    for (const ColumnCycles& column : view.columns)
        for (size_t c = 0; c < kCycleCategoryCount; ++c) inView[c] = inView[c] || column[c] > 0;

    drawToolbar(view, *timeline, width, inView);

    // The canvas: one invisible button over the strip and the lanes takes the mouse.
    ImGui::SetCursorScreenPos(ImVec2(x0, stripTop));
    ImGui::InvisibleButton("canvas", ImVec2(width, lanesTop - stripTop + lanesHeight));
    const bool hovered = ImGui::IsItemHovered();
    ImGuiIO& io = ImGui::GetIO();
    double cursor = view.from + double(io.MousePos.x - x0) * view.cyclesPerPixel;
    if (hovered && io.MouseWheel != 0) {
        const double maxCyclesPerPixel = std::max(kDefaultCyclesPerPixel, 2 * (end - start) / width);
        view.cyclesPerPixel = std::clamp(view.cyclesPerPixel * std::pow(0.8, double(io.MouseWheel)), kMinCyclesPerPixel,
                                         maxCyclesPerPixel);
        view.from = cursor - double(io.MousePos.x - x0) * view.cyclesPerPixel;
        view.zoomed = true;
        view.follow = false;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2)) {
        view.from -= double(io.MouseDelta.x) * view.cyclesPerPixel;
        view.follow = false;
    }
    if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < 9)
        if (auto n = eventNear(log, cursor, kClickTolerance * view.cyclesPerPixel)) {
            ui.selection.select(*n);
            view.selectionSeen = ui.selection.serial;  // in view already
        }
    // Not too far past either end of the run.
    const double shown = width * view.cyclesPerPixel;
    view.from = std::clamp(view.from, start - shown * 0.9, std::max(start - shown * 0.9, end - shown * 0.1));
    cursor = view.from + double(io.MousePos.x - x0) * view.cyclesPerPixel;  // where the mouse is in the view drawn
    // Zoomed or panned: the lanes show the new view in this frame, as the markers and the axis do.
    if (view.from != drawnFrom || view.cyclesPerPixel != drawnCyclesPerPixel)
        timeline->columns(view.from, view.cyclesPerPixel, columnCount, view.guests, view.columns);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 laneBackground = ImGui::GetColorU32(ImGuiCol_FrameBg);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    for (size_t i = 0; i < view.lanes.size(); ++i) {
        const float top = lanesTop + float(i) * laneHeight, bottom = top + laneHeight - 1;
        draw->AddRectFilled(ImVec2(x0, top), ImVec2(x0 + width, bottom), laneBackground);
        drawLane(draw, view.columns.data() + i * columnCount, columnCount, x0, top, bottom, view.cyclesPerPixel);
        const float textHeight = ImGui::GetTextLineHeight();
        if (laneHeight >= textHeight * 0.75f)
            draw->AddText(ImVec2(origin.x, top + (laneHeight - 1 - textHeight) / 2), text, view.lanes[i].label);
    }
    // What the timeline has forgotten (a long run): shaded, not left blank as if nothing ran.
    if (const double forgotten = double(timeline->retainedFrom()); forgotten > view.from && forgotten > start) {
        const float x = std::min(x0 + width, x0 + float((forgotten - view.from) / view.cyclesPerPixel));
        draw->AddRectFilled(ImVec2(x0, lanesTop), ImVec2(x, lanesTop + lanesHeight), IM_COL32(128, 128, 128, 60));
    }
    drawMarkers(view, draw, log, x0, stripTop, columnCount);
    if (ui.selection.event && *ui.selection.event >= log.firstRetained() && *ui.selection.event < log.total()) {
        const double cycle = double(log.at(*ui.selection.event).cycle);
        const float x = x0 + float(std::floor((cycle - view.from) / view.cyclesPerPixel));
        if (x >= x0 && x < x0 + width) {
            draw->AddRectFilled(ImVec2(x - 1, stripTop), ImVec2(x + 2, lanesTop + lanesHeight), kSelectedColour);
            draw->AddTriangleFilled(ImVec2(x - 5, stripTop), ImVec2(x + 6, stripTop), ImVec2(x + 0.5f, stripTop + 7),
                                    kSelectedColour);
        }
    }
    drawAxis(view, draw, x0, lanesTop + lanesHeight, width);

    if (hovered && !ImGui::IsItemActive()) {
        const auto col = size_t(std::clamp(io.MousePos.x - x0, 0.0f, width - 1));
        const double c0 = view.from + double(col) * view.cyclesPerPixel;
        if (io.MousePos.y < lanesTop) {
            showMarkerTooltip(view, log, c0);
        } else if (const auto lane = size_t((io.MousePos.y - lanesTop) / laneHeight); lane < view.lanes.size()) {
            showLaneTooltip(view, *timeline, view.lanes[lane], view.columns[lane * columnCount + col], c0, cursor);
        }
    }
    ImGui::End();
}

}  // namespace ringsim::gui
