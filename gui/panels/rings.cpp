// Rings: the protection rings as concentric circles, ring 3 outermost, ring 0
// (and ring -1, root mode, under hardware assistance) at the centre. The ring
// the CPU is in now is lit; the last transitions from the event log are
// arrows from one ring to another, labelled with their kind.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "../colours.h"
#include "../layout.h"
#include "../theme.h"
#include "core/monitor.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

constexpr int kArrowsShown = 6;  // distinct crossings drawn at once

// Who lives in each ring: under a monitor without hardware assistance the
// monitor takes ring 0 and the guest kernel is moved out to ring 1.
const char* ringLabel(int ring, bool kernelDeprivileged) {
    switch (ring) {
    case -1: return "-1 root (monitor)";
    case 0: return kernelDeprivileged ? "0 monitor" : "0 kernel";
    case 1: return kernelDeprivileged ? "1 guest kernel" : "1";
    case 2: return "2";
    default: return "3 user";
    }
}

void drawArrow(ImDrawList* draw, ImVec2 from, ImVec2 to, ImU32 colour, float thickness) {
    draw->AddLine(from, to, colour, thickness);
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1.0f) return;
    const float ux = dx / len, uy = dy / len, head = 10.0f;
    draw->AddTriangleFilled(to, ImVec2(to.x - ux * head - uy * head * 0.5f, to.y - uy * head + ux * head * 0.5f),
                            ImVec2(to.x - ux * head + uy * head * 0.5f, to.y - uy * head - ux * head * 0.5f), colour);
}

}  // namespace

void drawRingsPanel(Ui& ui) {
    SimController& sim = ui.sim;
    placeNextWindow(PanelSlot::Rings);
    ImGui::Begin("Rings");
    Session* session = sim.session();
    if (!session) {
        ImGui::TextDisabled("no run");
        ImGui::End();
        return;
    }
    const ModeInfo* mode = modeInfo(sim.mode());
    // Ring -1 exists only where the CPU has root mode and the monitor uses it.
    const bool rootRing = mode && mode->needsHardwareAssist;
    const bool kernelDeprivileged = mode && mode->virtualMachine && !mode->needsHardwareAssist;
    const int innermost = rootRing ? -1 : 0;
    const int bands = 3 - innermost + 1;
    const int current = session->machine().cpu.ring();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float radius = std::max(40.0f, std::min(avail.x, avail.y) * 0.5f - 8.0f);
    const ImVec2 centre(origin.x + avail.x * 0.5f, origin.y + std::min(avail.x, avail.y) * 0.5f);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    auto outerRadius = [&](int ring) { return radius * float(ring - innermost + 1) / float(bands); };
    auto midRadius = [&](int ring) { return radius * (float(ring - innermost) + 0.5f) / float(bands); };

    // Outermost first, each disc painted over by the next ring in.
    for (int ring = 3; ring >= innermost; --ring) {
        const bool lit = ring == current;
        const ImU32 fill = lit ? palette().litRingFill : palette().ringFill[3 - ring];
        draw->AddCircleFilled(centre, outerRadius(ring), fill, 96);
        draw->AddCircle(centre, outerRadius(ring), palette().ringOutline, 96, 1.5f);
    }
    for (int ring = 3; ring >= innermost; --ring) {
        const char* label = ringLabel(ring, kernelDeprivileged);
        const ImVec2 size = ImGui::CalcTextSize(label);
        const float y = ring == innermost ? centre.y - size.y * 0.5f : centre.y - midRadius(ring) - size.y * 0.5f;
        const ImU32 text = ring == current ? palette().litRingLabel : palette().ringLabel;
        draw->AddText(ImVec2(centre.x - size.x * 0.5f, y), text, label);
    }

    // The last transitions, newest brightest, spread around the circle so
    // they do not overlap; each goes from the middle of one ring to another's.
    // Repeats of one crossing (the same kind between the same rings) among
    // the recent ones make one arrow with a count, not a pile of labels.
    struct Crossing {
        EventKind kind;
        int from, to;
        int count;
    };
    Crossing crossings[kArrowsShown];
    int shown = 0;
    const EventLog& log = session->machine().events;
    constexpr int kLookBack = 64;  // transitions considered, newest first
    int looked = 0;
    for (uint64_t n = log.total(); n > log.firstRetained() && looked < kLookBack; --n) {
        const Event& e = log.at(n - 1);
        if (e.ringBefore == e.ringAfter || e.ringBefore < innermost || e.ringAfter < innermost) continue;
        ++looked;
        bool merged = false;
        for (int i = 0; i < shown && !merged; ++i)
            if (crossings[i].kind == e.kind && crossings[i].from == e.ringBefore && crossings[i].to == e.ringAfter) {
                ++crossings[i].count;
                merged = true;
            }
        if (!merged && shown < kArrowsShown) crossings[shown++] = {e.kind, e.ringBefore, e.ringAfter, 1};
    }
    for (int i = 0; i < shown; ++i) {
        const Crossing& x = crossings[i];
        const float angle = 3.14159265f * (0.15f + 0.28f * float(i));
        const float c = std::cos(angle), s = std::sin(angle);
        // Arrows meet the innermost disc at its edge, leaving its label readable.
        auto end = [&](int ring) { return ring == innermost ? radius / float(bands) * 0.8f : midRadius(ring); };
        const float r0 = end(x.from), r1 = end(x.to);
        const ImVec2 from(centre.x + c * r0, centre.y + s * r0), to(centre.x + c * r1, centre.y + s * r1);
        const int alpha = 255 - i * 30;
        const ImU32 colour = (onRingFill(eventKindColour(x.kind)) & ~IM_COL32_A_MASK) | (ImU32(alpha) << IM_COL32_A_SHIFT);
        drawArrow(draw, from, to, colour, i == 0 ? 3.5f : 2.0f);
        std::string label(eventKindName(x.kind));
        if (x.count > 1) label += " x" + std::to_string(x.count);
        const ImVec2 mid((from.x + to.x) * 0.5f + 6.0f, (from.y + to.y) * 0.5f);
        draw->AddRectFilled(mid, ImVec2(mid.x + ImGui::CalcTextSize(label.c_str()).x + 4, mid.y + ImGui::GetTextLineHeight()),
                            palette().arrowLabelBox);
        draw->AddText(ImVec2(mid.x + 2, mid.y), colour, label.c_str());
    }
    ImGui::Dummy(ImVec2(avail.x, std::min(avail.x, avail.y)));
    ImGui::Text("CPU in ring %d%s", current, current < 0 ? " (root mode: the monitor)" : "");
    ImGui::End();
}

}  // namespace ringsim::gui
