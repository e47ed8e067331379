// The lecture stage: the rings as bands, ring 3 at the top and the
// innermost ring (0, or -1 with hardware assistance) at the bottom, each
// labelled with who runs there in this mode; in each band a box per VM,
// container, kernel or monitor that runs there (lit: its code runs); the
// devices at the right edge (lit: the event's). The event on stage is drawn
// along the route its receipt gives, as a thick arrow through every ring it
// passed, each hop labelled with its mechanism ("trap", "reflected"),
// played hop by hop when it comes on; at slow speeds events play in turn
// (StagePacer). What stayed in one ring is a mark in that ring (a warning
// for a sensitive instruction that ran silently). In VM modes the virtual
// CPU the monitor keeps sits in ring 2's band (always unused) beside the
// real one. Running at full speed, the stage shows the flow instead: the
// commonest transitions of the last million cycles, wider for more, with
// their rates and the run's totals.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "../colours.h"
#include "../layout.h"
#include "../stage_labels.h"
#include "../stage_now.h"
#include "../theme.h"
#include "lesson/explain.h"
#include "lesson/stage_cast.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr uint64_t kFlowWindow = 1'000'000;  // the flow's window, in cycles
constexpr float kLabelScale = 1.25f;         // labels a little larger than the body text: the back row reads them
constexpr ImU32 kWarning = IM_COL32(255, 170, 40, 255);
constexpr ImU32 kBoxText = IM_COL32(20, 20, 25, 255);

struct Bands {
    ImVec2 min, max;  // the bands' area (devices on the right, outside it)
    int innermost = 0;
    float height = 0;
    float centreY(int ring) const { return min.y + (float(3 - ring) + 0.5f) * height; }
    float top(int ring) const { return min.y + float(3 - ring) * height; }
};

float labelFont() { return ImGui::GetFontSize() * kLabelScale; }

ImVec2 labelSize(const std::string& text) {
    return ImGui::GetFont()->CalcTextSizeA(labelFont(), FLT_MAX, 0.0f, text.c_str());
}

void arrowHead(ImDrawList* draw, ImVec2 from, ImVec2 to, ImU32 colour, float size) {
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1.0f) return;
    const float ux = dx / len, uy = dy / len;
    draw->AddTriangleFilled(to, ImVec2(to.x - ux * size - uy * size * 0.6f, to.y - uy * size + ux * size * 0.6f),
                            ImVec2(to.x - ux * size + uy * size * 0.6f, to.y - uy * size - ux * size * 0.6f), colour);
}

// A label wanted at `at`: its rect, kept inside the bands sideways.
LabelRect wantLabel(ImVec2 at, const std::string& text) {
    const ImVec2 size = labelSize(text);
    return {at.x - 3, at.y - 1, at.x + size.x + 3, at.y + size.y + 1};
}

// Text on a box, so it reads on any band.
void drawLabel(ImDrawList* draw, const LabelRect& r, ImU32 colour, const std::string& text) {
    draw->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), palette().arrowLabelBox, 3.0f);
    draw->AddText(nullptr, labelFont(), ImVec2(r.x0 + 3, r.y0 + 1), colour, text.c_str());
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

// The bands and their names; the names' strips are returned, for labels to keep clear of.
std::vector<LabelRect> drawBands(ImDrawList* draw, const Bands& b, Mode mode, const StageView& view) {
    std::vector<LabelRect> names;
    for (int ring = 3; ring >= b.innermost; --ring) {
        const bool lit = ring == view.litRing;
        const ImVec2 tl(b.min.x, b.top(ring)), br(b.max.x, b.top(ring) + b.height);
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
        const float width = std::min(ImGui::CalcTextSize(name.c_str()).x + 16, br.x - tl.x);
        names.push_back({tl.x, tl.y, tl.x + width, tl.y + ImGui::GetFontSize() + 6});
    }
    return names;
}

// A box per VM, container, kernel or monitor, in its band from the right:
// the one whose code runs filled white and outlined thick. Where a band's
// boxes would take more than its right two thirds (four containers at
// 1280x800), their text shrinks to fit, down to a readable floor.
void drawOccupants(ImDrawList* draw, const StageView& view, const Bands& b, std::vector<LabelRect>& taken) {
    const float font = ImGui::GetFontSize();
    constexpr float kPad = 12, kSpace = 8;
    auto boxName = [&](const StageOccupant& o) {
        // The monitor's box says so while it works (the band's name has no room for it at 1280x800).
        return o.lit && o.name == "monitor" && view.monitorWorking ? std::string("monitor at work") : o.name;
    };
    std::array<float, 5> needed{}, nextRight{};
    for (const StageOccupant& o : view.occupants)
        needed[size_t(3 - std::max(o.ring, b.innermost))] += labelSize(boxName(o)).x + kPad + kSpace;
    nextRight.fill(b.max.x - 6);
    for (const StageOccupant& o : view.occupants) {
        const int ring = std::max(o.ring, b.innermost);
        const size_t band = size_t(3 - ring);
        const float room = (b.max.x - b.min.x) * 0.66f;
        const float scale = std::clamp(room / std::max(1.0f, needed[band]), 0.75f, 1.0f);
        const float size = labelFont() * scale;
        const std::string name = boxName(o);
        const ImVec2 text = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, name.c_str());
        float& right = nextRight[band];
        const ImVec2 br(right, b.top(ring) + b.height - 5);
        const ImVec2 tl(std::max(b.min.x, br.x - text.x - kPad), br.y - text.y - 6);
        const ImU32 fill = o.lit ? IM_COL32(255, 255, 255, 255) : IM_COL32(150, 185, 215, 255);
        draw->AddRectFilled(tl, br, fill, 5.0f);
        draw->AddRect(tl, br, o.lit ? kWarning : palette().ringOutline, 5.0f, 0, o.lit ? std::max(3.0f, font * 0.2f) : 1.0f);
        draw->AddText(nullptr, size, ImVec2(tl.x + kPad * 0.5f, tl.y + 3), kBoxText, name.c_str());
        taken.push_back({tl.x, tl.y, br.x, br.y});
        right = tl.x - kSpace;
    }
}

// The virtual CPU beside the real one, IF and CPL, differences on the warning colour:
// in ring 2's band, which no mode uses.
void drawVirtualCpu(ImDrawList* draw, const StageView& view, const Bands& b, std::vector<LabelRect>& taken) {
    if (view.virtualCpu.empty() || b.height < ImGui::GetFontSize() * 2.2f) return;
    const float font = ImGui::GetFontSize();
    const float line = font * 1.15f;
    float nameWidth = 0, guestWidth = ImGui::CalcTextSize("kernel believes").x,
          realWidth = ImGui::CalcTextSize("CPU has").x;
    for (const StageCpuRow& row : view.virtualCpu) {
        nameWidth = std::max(nameWidth, ImGui::CalcTextSize(row.name.c_str()).x);
        guestWidth = std::max(guestWidth, ImGui::CalcTextSize(row.guest.c_str()).x);
        realWidth = std::max(realWidth, ImGui::CalcTextSize(row.real.c_str()).x);
    }
    const float pad = font * 0.6f;
    const float width = nameWidth + guestWidth + realWidth + pad * 4;
    const float height = line * float(view.virtualCpu.size() + 1) + 6;
    const float top = b.top(2) + std::max(2.0f, (b.height - height) * 0.5f);
    // At the band's right, where routes seldom pass (they cross ring 2 in their first columns).
    const ImVec2 tl(std::max(b.min.x, b.max.x - width - 6), top), br(tl.x + width, top + height);
    draw->AddRectFilled(tl, br, palette().arrowLabelBox, 4.0f);
    draw->AddRect(tl, br, palette().ringOutline, 4.0f);
    const float xGuest = tl.x + pad * 2 + nameWidth, xReal = xGuest + guestWidth + pad;
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    draw->AddText(ImVec2(xGuest, tl.y + 3), text, "kernel believes");
    draw->AddText(ImVec2(xReal, tl.y + 3), text, "CPU has");
    float y = tl.y + 3 + line;
    for (const StageCpuRow& row : view.virtualCpu) {
        if (row.differs) draw->AddRectFilled(ImVec2(tl.x + 2, y - 1), ImVec2(br.x - 2, y + line - 1), kWarning, 3.0f);
        const ImU32 colour = row.differs ? kBoxText : text;
        draw->AddText(ImVec2(tl.x + pad, y), colour, row.name.c_str());
        draw->AddText(ImVec2(xGuest, y), colour, row.guest.c_str());
        draw->AddText(ImVec2(xReal, y), colour, row.real.c_str());
        y += line;
    }
    taken.push_back({tl.x, tl.y, br.x, br.y});
}

// The devices, one box each down the right edge; the event's lit. Returns
// where the event's device is (its box's left middle), if it is one of them.
std::optional<ImVec2> drawDevices(ImDrawList* draw, const Bands& b, float left, float width, const std::string& lit) {
    const auto devices = stageDevices();
    const float gap = 6;
    const float each = (b.max.y - b.min.y - gap * float(devices.size() - 1)) / float(devices.size());
    std::optional<ImVec2> at;
    float y = b.min.y;
    for (const std::string_view device : devices) {
        const bool on = device == lit;
        const ImVec2 tl(left, y), br(left + width, y + each);
        draw->AddRectFilled(tl, br, on ? palette().litRingFill : palette().ringFill[0], 4.0f);
        draw->AddRect(tl, br, on ? kWarning : palette().ringOutline, 4.0f, 0, on ? 3.0f : 1.0f);
        const std::string name(device);
        draw->AddText(ImVec2(tl.x + 6, tl.y + 4), on ? palette().litRingLabel : palette().ringLabel, name.c_str());
        if (on) at = ImVec2(tl.x, (tl.y + br.y) * 0.5f);
        y += each + gap;
    }
    return at;
}

// At slow speeds (or after a step) the event on stage is the pacer's: each
// new event plays in turn. A selection or a tour stop comes on at once and
// plays from its start.
StageView pacedView(SimController& sim, StagePanelState& state, const StageView& now, const EventLog& log,
                    StagePacer::Frame& frame) {
    const double time = ImGui::GetTime();
    const bool newest = now.number && *now.number + 1 == log.total();
    const bool newMoment = !now.number ? false : state.shownEvent != *now.number || state.shownSerial != sim.sessionSerial();
    if (newMoment && (!newest || !sim.running())) {
        // What is on stage when the window opens is shown whole; what comes after plays.
        state.pacer.show(*now.number, time, state.shownEvent == UINT64_MAX);
    }
    if (now.number) {
        state.shownEvent = *now.number;
        state.shownSerial = sim.sessionSerial();
    }
    if (!now.number) return now;
    const auto hopsOf = [&](uint64_t n) {
        return n >= log.firstRetained() && n < log.total() ? size_t(std::max<int>(0, log.at(n).receipt.hopCount - 1)) : 0;
    };
    // The newest event: what waits behind it plays on (paused too); else the chosen moment alone.
    const uint64_t upTo = newest ? *now.number : state.pacer.playing().value_or(*now.number);
    // Paused, a step plays at the slow pace; running, at the Controls' speed.
    frame = state.pacer.advance(time, upTo, hopsOf, hopSecondsAt(sim.running() ? sim.speed() : 1.0));
    if (frame.event == *now.number || frame.event < log.firstRetained() || frame.event >= log.total()) return now;
    // An earlier event plays while newer ones wait: drawn as itself, with
    // who runs where as it stands now.
    StageView shown = stageForEvent(log, frame.event);
    shown.current = false;
    shown.occupants = now.occupants;
    shown.virtualCpu = now.virtualCpu;
    shown.cpuLine = now.cpuLine;
    return shown;
}

std::string flowLabel(const StageFlow& f, const EventLog& log, uint64_t now) {
    const double window = double(std::min<uint64_t>(std::max<uint64_t>(now, 1), kFlowWindow));
    const double perMillion = double(f.recent) * 1e6 / window;
    return fmt::format("{} {:.0f}/M cycles ({} in all)", eventKindName(f.kind), perMillion, log.count(f.kind));
}

}  // namespace

void drawStagePanel(Ui& ui) {
    SimController& sim = ui.sim;
    Session* session = beginRunPanel(ui, PanelSlot::Rings, "Stage");
    if (!session) return;
    const Mode mode = sim.mode();
    const ModeInfo& info = modeInfo(mode);
    const EventLog& log = session->machine().events;
    const float font = ImGui::GetFontSize();
    const bool flow = sim.running() && sim.speed() == 0.0;
    StagePanelState& state = ui.panels.stage;
    const StageView now = stageNow(sim, ui.selection.event);
    StagePacer::Frame frame;
    const StageView view = flow ? now : pacedView(sim, state, now, log, frame);

    // The caption: what the stage is about, on top, large; then where the CPU is.
    std::string caption;
    if (flow) caption = "running at full speed: the transitions of the last million cycles";
    else if (!view.number) caption = fmt::format("control is in ring {}", view.litRing);
    else caption = fmt::format("#{} {}{}", *view.number, view.caption, view.current ? "" : "  (earlier event)");
    if (!flow && frame.waiting) caption += fmt::format("  ({} more to play)", frame.waiting);
    if (!flow && frame.skipped) caption += fmt::format("  (skipped {} to keep up)", frame.skipped);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(caption.c_str());
    ImGui::PopTextWrapPos();
    ImGui::TextUnformatted(now.cpuLine.c_str());

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.y = std::max(font * 6, avail.y - ImGui::GetTextLineHeightWithSpacing() * 1.2f);
    const int innermost = info.needsHardwareAssist ? -1 : 0;
    const float deviceWidth = ImGui::CalcTextSize("console").x + 14;
    Bands b;
    b.innermost = innermost;
    b.height = avail.y / float(3 - innermost + 1);
    b.min = origin;
    b.max = ImVec2(origin.x + avail.x - deviceWidth - 6, origin.y + avail.y);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    std::vector<LabelRect> taken = drawBands(draw, b, mode, now);
    const std::optional<ImVec2> device = drawDevices(draw, b, b.max.x + 6, deviceWidth, flow ? "" : view.device);
    drawOccupants(draw, now, b, taken);
    drawVirtualCpu(draw, now, b, taken);

    // Thick enough for the back row: a third of the text's height, at least 3 px
    // (8 px and more in presentation mode).
    const float thickness = std::max(3.0f, font * 0.34f);
    const float left = b.min.x + avail.x * 0.12f, right = b.max.x - avail.x * 0.3f;
    const LabelRect bounds{b.min.x, b.min.y, b.max.x, b.max.y};
    std::vector<LabelWish> wanted;
    std::vector<std::pair<std::string, ImU32>> texts;
    if (flow) {
        const uint64_t cycle = session->machine().cpu.account.now;
        const auto flows = stageFlows(log, cycle, kFlowWindow);
        const uint64_t most = flows.empty() ? 1 : std::max<uint64_t>(1, flows.front().recent);
        float row = 0;
        for (const auto& f : flows) {
            if (f.route.size() < 2) continue;
            const float width = thickness * (0.4f + 1.2f * float(std::log2(1.0 + double(f.recent)) / std::log2(1.0 + double(most))));
            auto points = routePoints(f.route, b, left + row * font, right - row * font);
            const ImU32 colour = onRingFill(eventKindColour(f.kind));
            drawRoute(draw, points, colour, width, float(points.size()));
            texts.emplace_back(flowLabel(f, log, cycle), colour);
            wanted.push_back({wantLabel(ImVec2(points[0].x + 6, points[0].y + 4), texts.back().first), bounds});
            row += 1.5f;
        }
    } else if (view.number) {
        const float progress = frame.progress;
        const ImU32 colour = view.current ? onRingFill(eventKindColour(view.event.kind))
                                          : (onRingFill(eventKindColour(view.event.kind)) & 0x90FFFFFFu);
        const auto points = routePoints(view.route, b, left, right);
        if (view.route.size() > 1) {
            drawRoute(draw, points, colour, thickness, progress);
            // Each hop's mechanism at its middle, once the head has passed it.
            for (size_t i = 0; i + 1 < points.size() && i < view.hopLabels.size(); ++i) {
                if (float(i) + 0.5f > progress) break;
                const ImVec2 mid((points[i].x + points[i + 1].x) * 0.5f + thickness * 1.5f,
                                 (points[i].y + points[i + 1].y) * 0.5f - font * 0.6f);
                texts.emplace_back(view.hopLabels[i], colour);
                wanted.push_back({wantLabel(mid, texts.back().first), bounds});
            }
        }
        if (device) {
            // From where the route ends, along its band to the edge, then up or down the
            // gap to the device's box: a diagonal would cross the whole picture.
            const ImVec2 from = points.back();
            const float gapX = b.max.x + 3;
            draw->AddLine(from, ImVec2(gapX, from.y), colour, thickness * 0.5f);
            draw->AddLine(ImVec2(gapX, from.y), ImVec2(gapX, device->y), colour, thickness * 0.5f);
            arrowHead(draw, ImVec2(gapX - 1, device->y), ImVec2(device->x + thickness * 2.0f, device->y), colour,
                      thickness * 2.0f);
        }
    }
    // Marks: what stayed in one ring, where it happened.
    std::vector<std::pair<ImVec2, ImU32>> dots;
    if (!flow) {
        for (const auto& m : view.marks) {
            const int ring = std::max(m.ring, innermost);
            const ImU32 colour = m.warning ? kWarning : onRingFill(eventKindColour(m.kind));
            texts.emplace_back((m.warning ? "! " : "") + m.text, colour);
            // In its own ring's band: a mark elsewhere would tell the room the wrong ring.
            const LabelRect band{left, b.top(ring), b.max.x, b.top(ring) + b.height};
            wanted.push_back({wantLabel(ImVec2(left, b.top(ring) + b.height * 0.5f - font * 0.6f), texts.back().first), band});
            dots.emplace_back(ImVec2(left - font * 0.8f, 0), colour);
        }
    }
    const std::vector<LabelRect> placed = placeLabels(wanted, taken);
    const size_t firstMark = texts.size() - dots.size();
    for (size_t i = 0; i < placed.size(); ++i) {
        if (i >= firstMark) {
            const auto& [dot, colour] = dots[i - firstMark];
            draw->AddCircleFilled(ImVec2(dot.x, (placed[i].y0 + placed[i].y1) * 0.5f), font * 0.35f, colour);
        }
        drawLabel(draw, placed[i], texts[i].second, texts[i].first);
    }
    ImGui::Dummy(ImVec2(avail.x, avail.y));
    // Totals for the whole run, exact whatever the log forgot.
    std::string totals;
    for (const EventKind k : {EventKind::Syscall, EventKind::Fault, EventKind::Interrupt, EventKind::SensitiveTrapped,
                              EventKind::SensitiveSilent, EventKind::EmulatedInstruction, EventKind::Hypercall,
                              EventKind::VmExit})
        if (const uint64_t n = log.count(k)) totals += fmt::format("{}{} {}", totals.empty() ? "" : "   ", eventKindName(k), n);
    ImGui::TextDisabled("run totals: %s", totals.empty() ? "no transitions yet" : totals.c_str());
    ImGui::End();
}

}  // namespace ringsim::gui
