#include "layout.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <array>
#include <cstdio>
#include <optional>
#include <string_view>

namespace ringsim::gui {

namespace {

constexpr size_t kSlots = size_t(PanelSlot::Console) + 1;
// Designs are drawn on a canvas with a 20-pixel menu bar at its top.
constexpr float kDesignMenu = 20.0f;
// From this display size on, the wide design.
constexpr float kWideMinWidth = 1700.0f, kWideMinHeight = 900.0f;

enum class Design { Standard, Wide, Presentation };

struct Rect {
    float x, y, w, h;
};

// Where a panel goes in a design. `collapsed`: only its title bar shows, in
// the row under the menu (x and w place it there; h is its height when opened).
struct DesignRect {
    Rect r;
    bool collapsed = false;
};

// Standard, at 1280x800, in three columns: what a lecturer points at on the
// left (controls, rings, tour), the story of the run in the middle (timeline,
// event log, why, source and compare), the machine on the right (CPU,
// virtual CPU beside it, counters, the mode's own mechanism).
DesignRect standardRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {{0, 20, 320, 215}};
    case PanelSlot::Rings: return {{0, 235, 320, 255}};
    case PanelSlot::Tour: return {{0, 490, 320, 310}};
    case PanelSlot::Timeline: return {{320, 20, 500, 150}};
    case PanelSlot::EventLog: return {{320, 170, 500, 250}};
    case PanelSlot::Why: return {{320, 420, 250, 180}};
    case PanelSlot::Console: return {{570, 420, 250, 180}};
    case PanelSlot::Source: return {{320, 600, 250, 200}};
    case PanelSlot::Compare: return {{570, 600, 250, 200}};
    case PanelSlot::Cpu: return {{820, 20, 460, 265}};
    case PanelSlot::VirtualCpu: return {{820, 285, 460, 235}};
    case PanelSlot::Counters: return {{820, 520, 460, 145}};
    case PanelSlot::Mechanism: return {{820, 665, 460, 135}};
    }
    return {{0, 20, 400, 300}};
}

// Wide, at 1920x1080: the same three columns, the room spent where it
// helps: rings and tour larger, the timeline and event log much wider (more
// of the run at once), source and compare side by side at a readable width.
DesignRect wideRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {{0, 20, 480, 180}};
    case PanelSlot::Rings: return {{0, 200, 480, 440}};
    case PanelSlot::Tour: return {{0, 640, 480, 440}};
    case PanelSlot::Timeline: return {{480, 20, 880, 220}};
    case PanelSlot::EventLog: return {{480, 240, 880, 400}};
    case PanelSlot::Why: return {{480, 640, 440, 200}};
    case PanelSlot::Console: return {{920, 640, 440, 200}};
    case PanelSlot::Source: return {{480, 840, 440, 240}};
    case PanelSlot::Compare: return {{920, 840, 440, 240}};
    case PanelSlot::Cpu: return {{1360, 20, 560, 340}};
    case PanelSlot::VirtualCpu: return {{1360, 360, 560, 240}};
    case PanelSlot::Counters: return {{1360, 600, 560, 240}};
    case PanelSlot::Mechanism: return {{1360, 840, 560, 240}};
    }
    return {{0, 20, 400, 300}};
}

// Presentation, at 1920x1080 below the row of collapsed panels: the rings,
// the tour and the counters as large as the screen allows, the virtual CPU
// under the tour, the controls to drive them, the timeline under the
// counters; the rest a click away.
DesignRect presentationRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {{0, 20, 640, 290}};
    case PanelSlot::Rings: return {{0, 310, 640, 770}};  // taller than wide: the circle and the line under it
    case PanelSlot::Tour: return {{640, 20, 740, 400}};
    case PanelSlot::VirtualCpu: return {{640, 420, 740, 320}};  // under the tour text it shows
    case PanelSlot::Console: return {{640, 740, 740, 340}};     // what the guest prints
    case PanelSlot::Counters: return {{1380, 20, 540, 700}};
    case PanelSlot::Timeline: return {{1380, 720, 540, 360}};
    case PanelSlot::EventLog: return {{0, 0, 320, 500}, true};
    case PanelSlot::Cpu: return {{320, 0, 320, 500}, true};
    case PanelSlot::Why: return {{640, 0, 320, 500}, true};
    case PanelSlot::Source: return {{960, 0, 320, 500}, true};
    case PanelSlot::Compare: return {{1280, 0, 320, 500}, true};
    case PanelSlot::Mechanism: return {{1600, 0, 320, 500}, true};
    }
    return {{0, 20, 400, 300}};
}

// Where a window is, or is to be put.
struct Placement {
    ImVec2 pos, size;
    bool collapsed = false;
};

// The design scaled to the display, below the menu bar (whose height follows
// the font) and, in presentation, below the row of collapsed title bars.
Placement placementIn(Design design, PanelSlot slot) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float menu = ImGui::GetFrameHeight();  // BeginMainMenuBar's height
    const float titleBar = ImGui::GetFrameHeight();
    const bool wideCanvas = design != Design::Standard;
    const float canvasW = wideCanvas ? 1920.0f : 1280.0f, canvasH = wideCanvas ? 1080.0f : 800.0f;
    const DesignRect d = design == Design::Standard ? standardRect(slot)
                         : design == Design::Wide   ? wideRect(slot)
                                                    : presentationRect(slot);
    const float top = menu + (design == Design::Presentation ? titleBar : 0.0f);
    const float sx = display.x / canvasW, sy = (display.y - top) / (canvasH - kDesignMenu);
    if (d.collapsed) return {ImVec2(d.r.x * sx, menu), ImVec2(d.r.w * sx, d.r.h * sy), true};
    return {ImVec2(d.r.x * sx, top + (d.r.y - kDesignMenu) * sy), ImVec2(d.r.w * sx, d.r.h * sy), false};
}

Design chooseDesign(bool presentation) {
    if (presentation) return Design::Presentation;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    return display.x >= kWideMinWidth && display.y >= kWideMinHeight ? Design::Wide : Design::Standard;
}

using Placements = std::array<std::optional<Placement>, kSlots>;

struct LayoutState {
    bool started = false;
    Design design = Design::Standard;
    bool locked = false;
    bool resetRequested = false;
    // Which ImGui window each panel is (learnt as panels begin), so that
    // where the user put them can be read back.
    std::array<ImGuiID, kSlots> windowOf{};
    // The panel placed last, and the Begin order its window will have.
    int pendingSlot = -1;
    int pendingOrder = 0;
    Placements forced;  // applied this frame only
    Placements pinned;  // applied every frame while locked
    Placements beforePresentation;
    bool haveBeforePresentation = false;
    Design designBeforePresentation = Design::Standard;
};
LayoutState state;

// The window that began right after placeNextWindow is the panel's own.
void learnPendingWindow() {
    if (state.pendingSlot < 0) return;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    for (const ImGuiWindow* w : g.Windows)
        if (w->LastFrameActive == g.FrameCount && w->BeginOrderWithinContext == state.pendingOrder &&
            !(w->Flags & ImGuiWindowFlags_ChildWindow)) {
            state.windowOf[size_t(state.pendingSlot)] = w->ID;
            break;
        }
    state.pendingSlot = -1;
}

// Where every known panel is now.
Placements currentPlacements() {
    Placements now;
    for (size_t i = 0; i < kSlots; ++i)
        if (const ImGuiWindow* w = state.windowOf[i] ? ImGui::FindWindowByID(state.windowOf[i]) : nullptr)
            now[i] = Placement{w->Pos, w->SizeFull, w->Collapsed};
    return now;
}

void forceDesign(Design design) {
    for (size_t i = 0; i < kSlots; ++i) state.forced[i] = placementIn(design, PanelSlot(i));
}

}  // namespace

void beginLayoutFrame(bool presentation, bool locked) {
    state.forced = {};
    const Design want = chooseDesign(presentation);
    if (!state.started) {
        // The first frame: imgui.ini (or the design, on first use) has the
        // standard or wide layout; presentation mode must be put in place.
        if (want == Design::Presentation) forceDesign(want);
    } else if (want != state.design) {
        if (want == Design::Presentation) {
            state.beforePresentation = currentPlacements();
            state.haveBeforePresentation = true;
            state.designBeforePresentation = state.design;
            forceDesign(want);
        } else if (state.design == Design::Presentation && state.haveBeforePresentation &&
                   state.designBeforePresentation == want) {
            state.forced = state.beforePresentation;
        } else {
            forceDesign(want);
        }
    }
    if (state.resetRequested) forceDesign(want);
    state.resetRequested = false;
    state.started = true;
    state.design = want;

    if (locked && !state.locked) state.pinned = currentPlacements();
    if (!locked) state.pinned = {};
    state.locked = locked;
    if (locked)
        for (size_t i = 0; i < kSlots; ++i)
            if (state.forced[i]) state.pinned[i] = state.forced[i];
    // Locked panels show no resize grip: it would do nothing.
    if (locked) {
        ImGui::PushStyleColor(ImGuiCol_ResizeGrip, ImVec4(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_ResizeGripHovered, ImVec4(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_ResizeGripActive, ImVec4(0, 0, 0, 0));
    }
}

void endLayoutFrame() {
    learnPendingWindow();
    if (state.locked) ImGui::PopStyleColor(3);
}

void placeNextWindow(PanelSlot slot) {
    learnPendingWindow();
    const size_t i = size_t(slot);
    state.pendingSlot = int(i);
    state.pendingOrder = ImGui::GetCurrentContext()->WindowsActiveCount;
    const std::optional<Placement>& forced = state.forced[i];
    if (forced) ImGui::SetNextWindowCollapsed(forced->collapsed, ImGuiCond_Always);
    // Locked before this panel's window was known (locked from the start): held from where it first appeared.
    if (state.locked && !state.pinned[i] && state.windowOf[i])
        if (const ImGuiWindow* w = ImGui::FindWindowByID(state.windowOf[i])) state.pinned[i] = Placement{w->Pos, w->SizeFull, w->Collapsed};
    if (const std::optional<Placement>& pin = state.pinned[i]) {
        // Put back every frame, and held at its size: a drag moves nothing.
        ImGui::SetNextWindowPos(pin->pos, ImGuiCond_Always);
        ImGui::SetNextWindowSize(pin->size, ImGuiCond_Always);
        ImGui::SetNextWindowSizeConstraints(pin->size, pin->size);
        return;
    }
    if (forced) {
        ImGui::SetNextWindowPos(forced->pos, ImGuiCond_Always);
        ImGui::SetNextWindowSize(forced->size, ImGuiCond_Always);
        return;
    }
    // A panel seen for the first time (a mode's own view) takes its place in the current design.
    const Placement p = placementIn(state.design, slot);
    ImGui::SetNextWindowCollapsed(p.collapsed, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(p.pos, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(p.size, ImGuiCond_FirstUseEver);
}

void resetLayout() { state.resetRequested = true; }

const char* layoutDesignName() {
    switch (state.design) {
    case Design::Standard: return "standard";
    case Design::Wide: return "wide";
    case Design::Presentation: return "presentation";
    }
    return "";
}

void printPanelRects() {
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active || w->Hidden || (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip |
                                                    ImGuiWindowFlags_Popup)))
            continue;
        if (std::string_view(w->Name).starts_with("Debug##")) continue;  // ImGui's implicit window, never shown
        if (std::string_view(w->Name) == "##MainMenuBar") continue;
        std::printf("panel %d %d %d %d %s\n", int(w->Pos.x), int(w->Pos.y), int(w->Size.x), int(w->Size.y), w->Name);
    }
}

}  // namespace ringsim::gui
