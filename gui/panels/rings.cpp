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
#include "monitors/monitor.h"
#include "run/vm_host.h"
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

// Several VMs: each VM's own ring, as a labelled dot in that ring's band,
// spread along the left side. The running VM's ring is the CPU's; the
// others are in the ring their saved context holds, waiting for their turn.
template <typename RadiusOf>
void drawGuestMarkers(Session* session, ImDrawList* draw, ImVec2 centre, float radius, int innermost, int current,
                      RadiusOf midRadius) {
    const VmHost* host = session->host();
    if (!host || host->size() < 2) return;
    const size_t shown = std::min<size_t>(host->size(), 8);  // more than eight would not be readable
    for (size_t vm = 0; vm < shown; ++vm) {
        const bool running = vm == host->current();
        const int ring = running ? current : host->savedRing(vm);
        if (ring < innermost) continue;
        // From upper left to lower left, one angle per VM.
        // Left of the centre, above and below the middle, where no ring's name is.
        constexpr float kAngles[] = {0.70f, 1.30f, 0.82f, 1.18f, 0.62f, 1.38f, 0.76f, 1.24f};
        const float angle = 3.14159265f * kAngles[vm];
        const float r = ring == innermost ? 0.0f : midRadius(ring);
        const ImVec2 at(centre.x + std::cos(angle) * r, centre.y + std::sin(angle) * r);
        const ImU32 fill = host->stopped(vm) ? IM_COL32(110, 110, 110, 255)
                           : running          ? IM_COL32(255, 255, 255, 255)
                                              : IM_COL32(120, 200, 255, 255);
        draw->AddCircleFilled(at, running ? 7.0f : 5.0f, fill);
        draw->AddCircle(at, running ? 7.0f : 5.0f, IM_COL32(20, 20, 20, 255), 0, 1.5f);
        const std::string label = "vm" + std::to_string(vm);  // grey once it has halted
        const ImVec2 size = ImGui::CalcTextSize(label.c_str());
        // The label outside the circles, joined to its dot, so no ring's name is covered.
        // Labels in rows by VM, so that they never overlap however close the dots are.
        const float row = (float(vm) - float(shown - 1) * 0.5f) * size.y * 1.15f;
        const ImVec2 text(centre.x - radius - size.x - 6.0f, centre.y + row - size.y * 0.5f);
        draw->AddLine(ImVec2(text.x + size.x + 2, text.y + size.y * 0.5f), at, fill, 1.0f);
        draw->AddRectFilled(ImVec2(text.x - 2, text.y), ImVec2(text.x + size.x + 2, text.y + size.y), IM_COL32(20, 20, 25, 200));
        draw->AddText(text, fill, label.c_str());
    }
}

}  // namespace

void drawRingsPanel(Ui& ui) {
    SimController& sim = ui.sim;
    Session* session = beginRunPanel(ui, PanelSlot::Rings, "Rings");
    if (!session) return;
    const ModeInfo* mode = &modeInfo(sim.mode());
    // Ring -1 exists only where the CPU has root mode and the monitor uses it.
    const bool rootRing = mode && mode->needsHardwareAssist;
    const bool kernelDeprivileged = mode && mode->kernelDeprivileged;
    const int innermost = rootRing ? -1 : 0;
    const int bands = 3 - innermost + 1;
    const int current = session->machine().cpu.ring();

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    // The circles take what the window has, less the line under them.
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.y = std::max(80.0f, avail.y - ImGui::GetTextLineHeightWithSpacing());
    // Room on both sides for the VMs' labels when there are several.
    const float labelRoom = session->host() && session->host()->size() > 1 ? ImGui::CalcTextSize("vm00").x + 10.0f : 0.0f;
    const float radius = std::max(40.0f, std::min(avail.x - 2 * labelRoom, avail.y) * 0.5f - 8.0f);
    const float diameter = 2.0f * (radius + 8.0f);
    const ImVec2 centre(origin.x + avail.x * 0.5f, origin.y + diameter * 0.5f);
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
    // Time since the newest transition appeared, in pulses (0..2), or -1 when the pulses are over.
    RingsPanelState& state = ui.panels.rings;
    if (log.total() != state.newestSeen) {
        state.newestSeen = log.total();
        state.newestAt = ImGui::GetTime();
    }
    constexpr double kPulseSeconds = 0.6;
    const double since = (ImGui::GetTime() - state.newestAt) / kPulseSeconds;
    const float pulse = since < 2.0 ? float(since) : -1.0f;
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
        // The newest crossing is animated: a bright pulse runs along it twice
        // after it happens, so the eye finds the move the CPU just made.
        if (i == 0 && pulse >= 0.0f) {
            const float t = std::fmod(pulse, 1.0f);
            const ImVec2 at(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t);
            draw->AddCircleFilled(at, 6.0f, (colour | IM_COL32_A_MASK));
            draw->AddCircle(at, 9.0f + 4.0f * t, (colour & ~IM_COL32_A_MASK) | (ImU32(160 * (1.0f - t)) << IM_COL32_A_SHIFT), 0, 2.0f);
        }
        std::string label(eventKindName(x.kind));
        if (x.count > 1) label += " x" + std::to_string(x.count);
        const ImVec2 mid((from.x + to.x) * 0.5f + 6.0f, (from.y + to.y) * 0.5f);
        draw->AddRectFilled(mid, ImVec2(mid.x + ImGui::CalcTextSize(label.c_str()).x + 4, mid.y + ImGui::GetTextLineHeight()),
                            palette().arrowLabelBox);
        draw->AddText(ImVec2(mid.x + 2, mid.y), colour, label.c_str());
    }
    drawGuestMarkers(session, draw, centre, radius, innermost, current, midRadius);
    ImGui::Dummy(ImVec2(avail.x, diameter));
    ImGui::Text("CPU in ring %d%s", current, current < 0 ? " (root mode: the monitor)" : "");
    if (const VmHost* host = session->host(); host && host->size() > 1) {
        ImGui::SameLine();
        ImGui::TextDisabled("running vm%zu of %zu", host->current(), host->size());
    }
    ImGui::End();
}

}  // namespace ringsim::gui
