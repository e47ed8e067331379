// The lecture stage: the rings as bands, ring 3 at the top and the
// innermost ring (0, or -1 with hardware assistance) at the bottom, each
// labelled with who runs there in this mode; the devices at the right edge.
// The event on stage is drawn along the route its receipt gives, as a thick
// arrow through every ring it passed (ring 3 -> monitor -> guest kernel for
// a reflected syscall), played hop by hop when it comes on; what stayed in
// one ring is a mark in that ring (a warning for a sensitive instruction
// that ran silently). The lit band is where control is, or the monitor's
// while it works. Running at full speed, the stage shows the flow instead:
// the commonest transitions of the last million cycles, wider for more.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "../colours.h"
#include "../layout.h"
#include "../stage_now.h"
#include "../theme.h"
#include "lesson/explain.h"
#include "run/vm_host.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr double kHopSeconds = 0.45;           // each hop of a route plays this long when it comes on
constexpr uint64_t kFlowWindow = 1'000'000;    // the flow's window, in cycles
constexpr ImU32 kWarning = IM_COL32(255, 170, 40, 255);

struct Bands {
    ImVec2 min, max;  // the bands' area (labels on the left, devices on the right, outside it)
    int innermost = 0;
    float height = 0;
    float centreY(int ring) const { return min.y + (float(3 - ring) + 0.5f) * height; }
    float top(int ring) const { return min.y + float(3 - ring) * height; }
};

void arrowHead(ImDrawList* draw, ImVec2 from, ImVec2 to, ImU32 colour, float size) {
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1.0f) return;
    const float ux = dx / len, uy = dy / len;
    draw->AddTriangleFilled(to, ImVec2(to.x - ux * size - uy * size * 0.6f, to.y - uy * size + ux * size * 0.6f),
                            ImVec2(to.x - ux * size + uy * size * 0.6f, to.y - uy * size - ux * size * 0.6f), colour);
}

// Text on a box, so it reads on any band.
// A little larger than the body text: the labels are what the back row reads.
void label(ImDrawList* draw, ImVec2 at, ImU32 colour, const std::string& text, float maxX) {
    const float fontSize = ImGui::GetFontSize() * 1.15f;
    const ImVec2 size = ImGui::GetFont()->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, text.c_str());
    at.x = std::min(at.x, maxX - size.x - 4.0f);
    draw->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + size.x + 3, at.y + size.y + 1), palette().arrowLabelBox, 3.0f);
    draw->AddText(nullptr, fontSize, at, colour, text.c_str());
}

// The points a route passes through: one column per hop, left to right.
std::vector<ImVec2> routePoints(const std::vector<Hop>& route, const Bands& b, float left, float right) {
    std::vector<ImVec2> points;
    const size_t n = route.size();
    for (size_t i = 0; i < n; ++i) {
        const float x = n == 1 ? (left + right) * 0.5f : left + (right - left) * float(i) / float(n - 1);
        points.emplace_back(x, b.centreY(std::max<int>(route[i].ring, b.innermost)));
    }
    return points;
}

// A route drawn up to `progress` hops (fractional: the head is under way), with a dot at the head.
void drawRoute(ImDrawList* draw, const std::vector<ImVec2>& points, ImU32 colour, float thickness, float progress) {
    for (size_t i = 0; i + 1 < points.size(); ++i) {
        const float done = std::clamp(progress - float(i), 0.0f, 1.0f);
        if (done <= 0.0f) break;
        const ImVec2 a = points[i], b = points[i + 1];
        const ImVec2 end(a.x + (b.x - a.x) * done, a.y + (b.y - a.y) * done);
        draw->AddLine(a, end, colour, thickness);
        if (done >= 1.0f) arrowHead(draw, a, b, colour, thickness * 2.4f);
        else draw->AddCircleFilled(end, thickness * 1.4f, colour);
    }
    for (size_t i = 0; i < points.size() && float(i) <= progress; ++i)
        draw->AddCircle(points[i], thickness * 1.1f, colour, 0, std::max(2.0f, thickness * 0.35f));
}

void drawBands(ImDrawList* draw, const Bands& b, float labelLeft, Mode mode, const StageView& view) {
    for (int ring = 3; ring >= b.innermost; --ring) {
        const bool lit = ring == view.litRing;
        const ImVec2 tl(labelLeft, b.top(ring)), br(b.max.x, b.top(ring) + b.height);
        const size_t shade = size_t(std::clamp(3 - ring, 0, 4));
        draw->AddRectFilled(tl, br, lit ? palette().litRingFill : palette().ringFill[shade], 4.0f);
        draw->AddRect(tl, br, palette().ringOutline, 4.0f, 0, lit ? 3.0f : 1.0f);
        const ImU32 text = lit ? palette().litRingLabel : palette().ringLabel;
        // "ring 1: the guest kernel, deprivileged" along the band's top edge.
        std::string name = ring < 0 ? "ring -1 (root mode)" : fmt::format("ring {}", ring);
        if (const std::string who = ringOccupant(ring, mode); who != "unused") name += ": " + who;
        ImGui::PushClipRect(tl, br, true);
        draw->AddText(ImVec2(tl.x + 8, tl.y + 3), text, name.c_str());
        ImGui::PopClipRect();
        if (lit && view.monitorWorking && ring == view.litRing)
            draw->AddText(ImVec2(b.max.x - ImGui::CalcTextSize("monitor at work").x - 8, tl.y + 4), text, "monitor at work");
    }
}

// Several VMs: a chip per VM in the band of the ring its CPU state is in.
void drawGuests(ImDrawList* draw, Session* session, const Bands& b, int cpuRing) {
    const VmHost* host = session->host();
    if (!host || host->size() < 2) return;
    const size_t shown = std::min<size_t>(host->size(), 8);
    for (size_t vm = 0; vm < shown; ++vm) {
        const bool running = vm == host->current();
        const int ring = std::max(running ? cpuRing : host->savedRing(vm), b.innermost);
        const std::string name = fmt::format("vm{}", vm);
        const ImVec2 size = ImGui::CalcTextSize(name.c_str());
        const ImVec2 at(b.min.x + 8 + float(vm) * (size.x + 14), b.top(ring) + b.height - size.y - 6);
        const ImU32 fill = host->stopped(vm) ? IM_COL32(110, 110, 110, 255)
                           : running          ? IM_COL32(255, 255, 255, 255)
                                              : IM_COL32(120, 200, 255, 255);
        draw->AddRectFilled(ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + size.x + 4, at.y + size.y + 2), fill, 4.0f);
        draw->AddText(at, IM_COL32(20, 20, 25, 255), name.c_str());
    }
}

void drawDevices(ImDrawList* draw, const Bands& b, float left, bool active) {
    const ImVec2 tl(left, b.min.y), br(left + ImGui::CalcTextSize("devices").x + 16, b.max.y);
    draw->AddRectFilled(tl, br, palette().ringFill[0], 4.0f);
    draw->AddRect(tl, br, active ? palette().litRingFill : palette().ringOutline, 4.0f, 0, active ? 3.0f : 1.0f);
    draw->AddText(ImVec2(tl.x + 8, tl.y + 4), palette().ringLabel, "devices");
}

}  // namespace

void drawStagePanel(Ui& ui) {
    SimController& sim = ui.sim;
    Session* session = beginRunPanel(ui, PanelSlot::Rings, "Stage");
    if (!session) return;
    const Mode mode = sim.mode();
    const ModeInfo& info = modeInfo(mode);
    const StageView view = stageNow(sim, ui.selection.event);
    const EventLog& log = session->machine().events;
    const float font = ImGui::GetFontSize();
    const bool flow = sim.running() && sim.speed() == 0.0;

    // The caption: what the stage is about, on top, large.
    std::string caption;
    if (flow) caption = "running at full speed: the transitions of the last million cycles";
    else if (!view.number) caption = fmt::format("control is in ring {}", view.litRing);
    else caption = fmt::format("#{} {}{}", *view.number, view.caption, view.current ? "" : "  (earlier event)");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(caption.c_str());
    ImGui::PopTextWrapPos();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.y = std::max(font * 6, avail.y - ImGui::GetTextLineHeightWithSpacing() * 1.2f);
    const int innermost = info.needsHardwareAssist ? -1 : 0;
    const float labelWidth = 0.0f;  // the bands carry their names along their top edge
    const float deviceWidth = ImGui::CalcTextSize("devices").x + 16;
    Bands b;
    b.innermost = innermost;
    b.height = avail.y / float(3 - innermost + 1);
    b.min = ImVec2(origin.x + labelWidth, origin.y);
    b.max = ImVec2(origin.x + avail.x - deviceWidth - 6, origin.y + avail.y);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    drawBands(draw, b, origin.x, mode, view);
    const bool deviceEvent = view.number && (view.event.receipt.mechanism == Mechanism::DirectDevice ||
                                             view.event.receipt.mechanism == Mechanism::EmulatedDevice);
    drawDevices(draw, b, b.max.x + 6, deviceEvent && !flow);
    drawGuests(draw, session, b, session->machine().cpu.ring());

    // Thick enough for the back row: a third of the text's height, at least 3 px
    // (8 px and more in presentation mode).
    const float thickness = std::max(3.0f, font * 0.34f);
    const float left = b.min.x + avail.x * 0.12f, right = b.max.x - font * 2.0f;
    StagePanelState& state = ui.panels.stage;
    if (flow) {
        const auto flows = stageFlows(log, session->machine().cpu.account.now, kFlowWindow);
        const uint64_t most = flows.empty() ? 1 : std::max<uint64_t>(1, flows.front().recent);
        float row = 0;
        for (const auto& f : flows) {
            if (f.route.size() < 2) continue;
            const float width = thickness * (0.4f + 1.2f * float(std::log2(1.0 + double(f.recent)) / std::log2(1.0 + double(most))));
            auto points = routePoints(f.route, b, left + row * font, right - row * font);
            const ImU32 colour = onRingFill(eventKindColour(f.kind));
            drawRoute(draw, points, colour, width, float(points.size()));
            label(draw, ImVec2(points[0].x + 6, points[0].y + 4), colour,
                  fmt::format("{} x{}", eventKindName(f.kind), f.recent), b.max.x);
            row += 1.5f;
        }
    } else if (view.number) {
        // A new event on stage plays its route hop by hop.
        if (state.shownEvent != *view.number || state.shownSerial != sim.sessionSerial()) {
            // What is on stage when the window opens is shown whole; what comes after plays.
            const bool firstSight = state.shownEvent == UINT64_MAX;
            state.shownEvent = *view.number;
            state.shownSerial = sim.sessionSerial();
            state.shownAt = firstSight ? -1e9 : ImGui::GetTime();
        }
        const float progress = float((ImGui::GetTime() - state.shownAt) / kHopSeconds);
        const ImU32 colour = view.current ? onRingFill(eventKindColour(view.event.kind))
                                          : (onRingFill(eventKindColour(view.event.kind)) & 0x90FFFFFFu);
        if (view.route.size() > 1) {
            const auto points = routePoints(view.route, b, left, right);
            drawRoute(draw, points, colour, thickness, progress);
            // Who handled it at each stop, under the stop.
            for (size_t i = 0; i < points.size(); ++i)
                if (view.route[i].who == Actor::Monitor && float(i) <= progress)
                    label(draw, ImVec2(points[i].x + thickness * 1.5f, points[i].y + thickness), colour, "monitor", b.max.x);
            // The kind at the first segment's middle, moved down off a band's name strip.
            ImVec2 at((points[0].x + points[1].x) * 0.5f + thickness * 1.5f, (points[0].y + points[1].y) * 0.5f - font * 0.5f);
            for (int ring = 3; ring >= innermost; --ring)
                if (at.y + font * 1.2f > b.top(ring) && at.y < b.top(ring) + font * 1.3f) at.y = b.top(ring) + font * 1.4f;
            label(draw, at, colour, std::string(eventKindName(view.event.kind)), b.max.x);
            if (deviceEvent) {
                const ImVec2 from = points[points.size() / 2];
                draw->AddLine(from, ImVec2(b.max.x + 6, from.y), colour, thickness * 0.5f);
            }
        } else if (deviceEvent) {
            const ImVec2 at = routePoints(view.route, b, left, right).front();
            draw->AddLine(at, ImVec2(b.max.x + 6, at.y), colour, thickness * 0.6f);
            arrowHead(draw, at, ImVec2(b.max.x + 6, at.y), colour, thickness * 2.4f);
        }
    }
    // Marks: what stayed in one ring, where it happened.
    if (!flow) {
        float offset = 0;
        for (const auto& m : view.marks) {
            const int ring = std::max(m.ring, innermost);
            const ImU32 colour = m.warning ? kWarning : onRingFill(eventKindColour(m.kind));
            std::string text = m.text;
            if (m.warning) text.insert(0, "! ");
            const ImVec2 at(left, b.top(ring) + b.height * 0.5f - font * 0.5f + offset);
            draw->AddCircleFilled(ImVec2(at.x - font * 0.8f, at.y + font * 0.5f), font * 0.35f, colour);
            label(draw, at, colour, text, b.max.x);
            offset += font * 1.2f;
        }
    }
    ImGui::Dummy(ImVec2(avail.x, avail.y));
    // Totals for the whole run, exact whatever the log forgot.
    std::string totals;
    for (const EventKind k : {EventKind::Syscall, EventKind::Fault, EventKind::Interrupt, EventKind::SensitiveTrapped,
                              EventKind::SensitiveSilent, EventKind::EmulatedInstruction, EventKind::Hypercall,
                              EventKind::VmExit})
        if (const uint64_t n = log.count(k)) totals += fmt::format("{}{} {}", totals.empty() ? "" : "   ", eventKindName(k), n);
    ImGui::TextDisabled("%s", totals.empty() ? "no transitions yet" : totals.c_str());
    ImGui::End();
}

}  // namespace ringsim::gui
