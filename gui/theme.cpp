#include "theme.h"

namespace ringsim::gui {

namespace {

ImVec4 rgb(int r, int g, int b, int a = 255) { return ImVec4(float(r) / 255.0f, float(g) / 255.0f, float(b) / 255.0f, float(a) / 255.0f); }

Palette darkPalette(bool highContrast) {
    Palette p{};
    p.background = highContrast ? rgb(48, 48, 58) : rgb(26, 26, 31);
    // Each ring a step lighter towards the centre, so the bands read apart.
    for (int i = 0; i < 5; ++i) {
        const int shade = highContrast ? 12 + 20 * i : 40 + 14 * i;
        p.ringFill[i] = IM_COL32(shade, shade + 8, shade + 24, 255);
    }
    p.ringOutline = highContrast ? IM_COL32(255, 255, 255, 255) : IM_COL32(150, 160, 190, 255);
    p.ringLabel = IM_COL32(240, 240, 240, 255);
    p.litRingFill = highContrast ? IM_COL32(255, 200, 0, 255) : IM_COL32(230, 170, 40, 255);
    p.litRingLabel = IM_COL32(0, 0, 0, 255);
    p.arrowLabelBox = IM_COL32(15, 15, 20, 240);  // nearly opaque: a lit amber ring must not show through
    p.arrowDarken = 1.0f;
    p.errorText = highContrast ? rgb(255, 120, 110) : rgb(255, 115, 102);
    p.noticeText = highContrast ? rgb(255, 220, 90) : rgb(255, 204, 77);
    // Amber dark enough that white text on it keeps a contrast above 6:1.
    p.differsRow = highContrast ? rgb(150, 80, 0) : rgb(120, 72, 0);
    p.changedText = highContrast ? rgb(255, 230, 60) : rgb(255, 217, 77);
    return p;
}

Palette lightPalette(bool highContrast) {
    Palette p{};
    p.background = highContrast ? rgb(140, 140, 150) : rgb(196, 198, 206);
    // Light blue-greys, a step darker towards the centre; labels in near-black.
    for (int i = 0; i < 5; ++i) {
        // None within a few steps of the background: a band must never read as a hole.
        const int shade = highContrast ? 255 - 22 * i : 250 - 12 * i;
        p.ringFill[i] = IM_COL32(shade - 12, shade - 6, shade, 255);
    }
    p.ringOutline = highContrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(90, 100, 130, 255);
    p.ringLabel = IM_COL32(15, 15, 20, 255);
    p.litRingFill = highContrast ? IM_COL32(255, 190, 0, 255) : IM_COL32(240, 175, 40, 255);
    p.litRingLabel = IM_COL32(0, 0, 0, 255);
    p.arrowLabelBox = IM_COL32(255, 255, 255, 230);
    p.arrowDarken = highContrast ? 0.4f : 0.45f;  // dark enough for 4.5:1 on the white label box
    p.errorText = highContrast ? rgb(170, 0, 0) : rgb(185, 30, 20);
    p.noticeText = highContrast ? rgb(120, 70, 0) : rgb(130, 78, 0);
    // Amber light enough that black text on it keeps a contrast above 10:1.
    p.differsRow = highContrast ? rgb(255, 190, 60) : rgb(255, 205, 120);
    // Amber dark enough for white: pale yellow on white could not be read.
    p.changedText = highContrast ? rgb(130, 60, 0) : rgb(150, 75, 0);
    return p;
}

// ImGui's own dark and light styles, with every text colour at least 4.5:1
// against what it is drawn on (WCAG AA; gui/tests/test_theme_contrast.cpp):
// ImGui's secondary grey and its bright blue hover fills fall short of that.
void readableColours(ImVec4* c, bool dark) {
    if (dark) {
        c[ImGuiCol_TextDisabled] = ImVec4(0.68f, 0.68f, 0.68f, 1.0f);
        c[ImGuiCol_Button] = ImVec4(0.26f, 0.59f, 0.98f, 0.32f);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.18f, 0.42f, 0.78f, 1.0f);
        c[ImGuiCol_ButtonActive] = ImVec4(0.12f, 0.36f, 0.70f, 1.0f);
        c[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.59f, 0.98f, 0.55f);
        c[ImGuiCol_HeaderActive] = ImVec4(0.18f, 0.42f, 0.78f, 1.0f);
    } else {
        c[ImGuiCol_TextDisabled] = ImVec4(0.36f, 0.36f, 0.36f, 1.0f);
        c[ImGuiCol_Button] = ImVec4(0.26f, 0.59f, 0.98f, 0.25f);
        c[ImGuiCol_Header] = ImVec4(0.26f, 0.59f, 0.98f, 0.22f);
    }
}

// ImGui's own dark and light styles, made starker for a projector: black on
// white or white on black, visible borders, strong title bars.
void highContrastColours(ImVec4* c, bool dark) {
    const ImVec4 ink = dark ? rgb(255, 255, 255) : rgb(0, 0, 0);
    const ImVec4 paper = dark ? rgb(0, 0, 0) : rgb(255, 255, 255);
    c[ImGuiCol_Text] = ink;
    c[ImGuiCol_TextDisabled] = dark ? rgb(190, 190, 190) : rgb(70, 70, 70);
    c[ImGuiCol_WindowBg] = paper;
    c[ImGuiCol_ChildBg] = paper;
    c[ImGuiCol_PopupBg] = paper;
    c[ImGuiCol_Border] = dark ? rgb(200, 200, 200) : rgb(40, 40, 40);
    c[ImGuiCol_TitleBg] = dark ? rgb(40, 40, 70) : rgb(200, 205, 230);
    c[ImGuiCol_TitleBgActive] = dark ? rgb(30, 70, 160) : rgb(150, 175, 240);
    c[ImGuiCol_TitleBgCollapsed] = c[ImGuiCol_TitleBg];
    c[ImGuiCol_MenuBarBg] = dark ? rgb(25, 25, 35) : rgb(230, 230, 235);
    c[ImGuiCol_FrameBg] = dark ? rgb(30, 40, 70) : rgb(225, 230, 245);
    c[ImGuiCol_Button] = dark ? rgb(30, 70, 150) : rgb(170, 195, 245);
    c[ImGuiCol_Header] = dark ? rgb(30, 70, 150) : rgb(170, 195, 245);
    c[ImGuiCol_TableRowBgAlt] = dark ? rgb(255, 255, 255, 20) : rgb(0, 0, 0, 15);
}

Palette current = darkPalette(false);

}  // namespace

void applyTheme(Theme theme) {
    ImGuiStyle& style = ImGui::GetStyle();
    if (theme.dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    readableColours(style.Colors, theme.dark);
    if (theme.highContrast) highContrastColours(style.Colors, theme.dark);
    // Frames need an edge where their fill is close to the window's.
    style.FrameBorderSize = theme.highContrast || !theme.dark ? 1.0f : 0.0f;
    current = theme.dark ? darkPalette(theme.highContrast) : lightPalette(theme.highContrast);
}

const Palette& palette() { return current; }

ImU32 onRingFill(ImU32 colour) {
    if (current.arrowDarken >= 1.0f) return colour;
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
    c.x *= current.arrowDarken, c.y *= current.arrowDarken, c.z *= current.arrowDarken;
    return ImGui::ColorConvertFloat4ToU32(c);
}

}  // namespace ringsim::gui
