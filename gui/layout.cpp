#include "layout.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string_view>

#include "layout_memory.h"

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
    // A title bar's size once opened, when its place in the row is too narrow
    // for its contents (0: w and h). ImGui draws a collapsed window as wide as
    // it is open, so the size changes as it opens and closes.
    float openW = 0, openH = 0;
};

// Every design keeps a row of collapsed title bars under the menu: the
// panels a click away. The stage, the picture a lecture points at, takes the
// middle; the tour text its side.

// Standard, at 1280x800: the tour on the left under the controls, the stage
// in the middle over "why" and the console, the machine on the right (CPU,
// the virtual CPU beside it, the event log, the counters).
DesignRect standardRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {{0, 20, 320, 232}};  // down to the cycle line, elided choices on their own row
    case PanelSlot::Tour: return {{0, 252, 320, 548}};
    case PanelSlot::Rings: return {{320, 20, 520, 440}};
    case PanelSlot::Why: return {{320, 460, 260, 340}};
    case PanelSlot::Console: return {{580, 460, 260, 340}};
    case PanelSlot::Cpu: return {{840, 20, 440, 240}};
    case PanelSlot::VirtualCpu: return {{840, 260, 440, 200}};
    case PanelSlot::EventLog: return {{840, 460, 440, 180}};
    case PanelSlot::Counters: return {{840, 640, 440, 160}};
    case PanelSlot::Timeline: return {{0, 0, 320, 300}, true};
    case PanelSlot::Source: return {{320, 0, 320, 400}, true};
    case PanelSlot::Compare: return {{640, 0, 320, 400}, true};
    case PanelSlot::Mechanism: return {{960, 0, 320, 300}, true};
    }
    return {{0, 20, 400, 300}};
}

// Wide, at 1920x1080: the same columns with the room spent on the stage and
// the timeline under it; source, compare and the mechanism view a click away.
DesignRect wideRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {{0, 20, 480, 180}};
    case PanelSlot::Tour: return {{0, 200, 480, 880}};
    case PanelSlot::Rings: return {{480, 20, 880, 560}};
    case PanelSlot::Timeline: return {{480, 580, 880, 160}};
    case PanelSlot::Why: return {{480, 740, 440, 340}};
    case PanelSlot::Console: return {{920, 740, 440, 340}};
    case PanelSlot::Cpu: return {{1360, 20, 560, 300}};
    case PanelSlot::VirtualCpu: return {{1360, 320, 560, 220}};
    case PanelSlot::EventLog: return {{1360, 540, 560, 270}};
    case PanelSlot::Counters: return {{1360, 810, 560, 270}};
    case PanelSlot::Source: return {{0, 0, 640, 500}, true};
    case PanelSlot::Compare: return {{640, 0, 640, 500}, true};
    case PanelSlot::Mechanism: return {{1280, 0, 640, 500}, true};
    }
    return {{0, 20, 400, 300}};
}

// Presentation, at 1920x1080: the stage and the tour text take most of the
// screen, the mode's own picture (binary translation's translation cache)
// under the tour text, the controls, the console and the virtual CPU under
// them; the rest a click away in the row of title bars.
DesignRect presentationRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Rings: return {{0, 20, 1150, 760}};
    case PanelSlot::Tour: return {{1150, 20, 770, 470}};
    case PanelSlot::Mechanism: return {{1150, 490, 770, 290}};
    case PanelSlot::Controls: return {{0, 780, 560, 300}};
    case PanelSlot::Console: return {{560, 780, 590, 300}};
    case PanelSlot::VirtualCpu: return {{1150, 780, 770, 300}};
    // Each title bar as wide as its title at presentation size needs; opened, 720x620.
    case PanelSlot::EventLog: return {{0, 0, 250, 500}, true, 720, 620};
    case PanelSlot::Cpu: return {{250, 0, 240, 500}, true, 720, 620};
    case PanelSlot::Why: return {{490, 0, 360, 500}, true, 720, 620};
    case PanelSlot::Source: return {{850, 0, 240, 500}, true, 720, 620};
    case PanelSlot::Compare: return {{1090, 0, 290, 500}, true, 720, 620};
    case PanelSlot::Counters: return {{1380, 0, 260, 500}, true, 720, 620};
    case PanelSlot::Timeline: return {{1640, 0, 280, 500}, true, 720, 620};
    }
    return {{0, 20, 400, 300}};
}

// Where a window is, or is to be put.
struct Placement {
    ImVec2 pos, size;
    bool collapsed = false;
    ImVec2 openedPos{}, openedSize{};  // a title bar's, once opened (within the display)
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
    const float top = menu + titleBar;  // every design has its row of collapsed title bars
    const float sx = display.x / canvasW, sy = (display.y - top) / (canvasH - kDesignMenu);
    if (d.collapsed) {
        const ImVec2 opened((d.openW > 0 ? d.openW : d.r.w) * sx, (d.openH > 0 ? d.openH : d.r.h) * sy);
        const ImVec2 openedPos(std::min(d.r.x * sx, display.x - opened.x), menu);
        return {ImVec2(d.r.x * sx, menu), ImVec2(d.r.w * sx, d.r.h * sy), true, openedPos, opened};
    }
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
    // The display size the panels are arranged for (whole pixels).
    int width = 0, height = 0;
    // Where each size's arrangement is kept.
    LayoutMemory memory;
    // What was placed in the last frame, and the title bar height then: a
    // font change (P changes the fonts at the next frame) moves the menu and
    // title bars, and ImGui would push panels from under the old menu, so the
    // panels are placed again with the new heights.
    struct Placed {
        std::optional<Design> design;  // placed by a design (else put back as they were)
        Placements placements;
        float frameHeight = 0;
    };
    std::optional<Placed> placed;
    std::optional<Design> designForcedNow;
    bool openEveryPanelRequested = false;
    // Whether each panel was a title bar when last placed (to see it opened or closed).
    std::array<bool, kSlots> wasCollapsed{};
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
    state.designForcedNow = design;
}

// The window took another size: the arrangement made at the old size is
// kept for it, and the new size gets its own, or the design for it.
void changeSize(Design want, int width, int height) {
    if (state.design != Design::Presentation) state.memory.save(state.width, state.height);
    state.haveBeforePresentation = false;  // made for the old size
    state.pinned = {};
    if (want == Design::Presentation || !state.memory.load(width, height)) forceDesign(want);
}

}  // namespace

void beginLayoutFrame(bool presentation, bool locked) {
    state.forced = {};
    const Design want = chooseDesign(presentation);
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const int width = int(display.x), height = int(display.y);
    const std::optional<LayoutState::Placed> placedLastFrame = state.placed;
    state.placed.reset();
    state.designForcedNow.reset();
    if (!state.started) {
        // The first frame: this size's arrangement (or the design, for a size
        // never seen); presentation mode must be put in place.
        state.memory.load(width, height);
        if (want == Design::Presentation) forceDesign(want);
    } else if (width != state.width || height != state.height) {
        changeSize(want, width, height);
    } else if (want != state.design) {
        if (want == Design::Presentation) {
            state.beforePresentation = currentPlacements();
            state.haveBeforePresentation = true;
            state.designBeforePresentation = state.design;
            state.memory.save(width, height);  // the arrangement presentation mode covers
            forceDesign(want);
        } else if (state.design == Design::Presentation && state.haveBeforePresentation &&
                   state.designBeforePresentation == want) {
            state.forced = state.beforePresentation;
        } else {
            forceDesign(want);
        }
    } else if (placedLastFrame && ImGui::GetFrameHeight() != placedLastFrame->frameHeight) {
        if (placedLastFrame->design) forceDesign(*placedLastFrame->design);
        else state.forced = placedLastFrame->placements;
    }
    state.width = width, state.height = height;
    if (state.openEveryPanelRequested) {
        forceDesign(want);
        for (std::optional<Placement>& p : state.forced)
            if (p->collapsed) *p = Placement{p->openedPos, p->openedSize, false};
        state.openEveryPanelRequested = false;
    }
    if (state.resetRequested) {
        forceDesign(want);
        ImGui::MarkIniSettingsDirty();  // the design is now this size's arrangement
    }
    state.resetRequested = false;
    if (std::any_of(state.forced.begin(), state.forced.end(), [](const auto& p) { return p.has_value(); }))
        state.placed = LayoutState::Placed{state.designForcedNow, state.forced, ImGui::GetFrameHeight()};
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
    // ImGui asks (a few seconds after a panel moved) for its settings to be
    // saved; presentation mode's places are its design's, never kept.
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantSaveIniSettings && state.design != Design::Presentation) state.memory.save(state.width, state.height);
    io.WantSaveIniSettings = false;
}

void rememberLayoutsIn(const std::filesystem::path& folder) { state.memory.setFolder(folder); }

void saveLayoutNow() {
    if (state.started && state.design != Design::Presentation) state.memory.save(state.width, state.height);
}

void placeNextWindow(PanelSlot slot) {
    learnPendingWindow();
    const size_t i = size_t(slot);
    state.pendingSlot = int(i);
    state.pendingOrder = ImGui::GetCurrentContext()->WindowsActiveCount;
    const std::optional<Placement>& forced = state.forced[i];
    if (forced) ImGui::SetNextWindowCollapsed(forced->collapsed, ImGuiCond_Always);
    const ImGuiWindow* known = state.windowOf[i] ? ImGui::FindWindowByID(state.windowOf[i]) : nullptr;
    const bool wasCollapsed = state.wasCollapsed[i];
    if (forced) state.wasCollapsed[i] = forced->collapsed;
    else if (known) state.wasCollapsed[i] = known->Collapsed;
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
    const Placement p = placementIn(state.design, slot);
    // A title bar of the row opened, or closed again, by the user: its size
    // (and place) for that, when the row's is not its open size.
    if (known && p.collapsed && (p.openedSize.x != p.size.x || p.openedSize.y != p.size.y)) {
        if (!known->Collapsed && wasCollapsed) {
            ImGui::SetNextWindowPos(p.openedPos, ImGuiCond_Always);
            ImGui::SetNextWindowSize(p.openedSize, ImGuiCond_Always);
        } else if (known->Collapsed && !wasCollapsed) {
            ImGui::SetNextWindowPos(p.pos, ImGuiCond_Always);
            ImGui::SetNextWindowSize(p.size, ImGuiCond_Always);
        }
    }
    // A panel seen for the first time (a mode's own view) takes its place in the current design.
    ImGui::SetNextWindowCollapsed(p.collapsed, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(p.pos, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(p.size, ImGuiCond_FirstUseEver);
}

void resetLayout() { state.resetRequested = true; }

void openEveryPanel() { state.openEveryPanelRequested = true; }

void keepAbovePanels() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* self = g.CurrentWindow->RootWindow;
    const auto isPanel = [](const ImGuiWindow* w) {
        return !(w->Flags & ImGuiWindowFlags_ChildWindow) && std::find(state.windowOf.begin(), state.windowOf.end(), w->ID) != state.windowOf.end();
    };
    // The topmost other panel, if it is drawn over this one.
    for (int n = g.Windows.Size - 1; n >= 0 && g.Windows[n] != self; --n) {
        if (!isPanel(g.Windows[n])) continue;
        // Just in front of it (behind the next window that is not a child of
        // another): popups, tooltips and the help window stay in front.
        for (int k = n + 1; k < g.Windows.Size; ++k)
            if (g.Windows[k]->RootWindow == g.Windows[k]) {
                ImGui::BringWindowToDisplayBehind(self, g.Windows[k]);
                return;
            }
        ImGui::BringWindowToDisplayFront(self);
        return;
    }
}

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
