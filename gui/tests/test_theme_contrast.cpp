// Text is readable in every theme: each text colour the themes set, on each
// background it is drawn on, has a contrast ratio of at least 4.5:1 (WCAG
// 2's level AA for normal text). Backgrounds that are partly transparent are
// composited over what lies under them, as ImGui draws them. No window: the
// colours come from applyTheme() in an ImGui context of its own.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "gui/colours.h"
#include "gui/theme.h"

using namespace ringsim;
using namespace ringsim::gui;

namespace {

constexpr double kMinimumRatio = 4.5;

// WCAG 2 relative luminance of an opaque sRGB colour.
double luminance(const ImVec4& c) {
    auto linear = [](float v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(c.x) + 0.7152 * linear(c.y) + 0.0722 * linear(c.z);
}

double contrast(const ImVec4& a, const ImVec4& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// `top` (with its alpha) drawn over the opaque `under`, blended as ImGui blends.
ImVec4 over(const ImVec4& top, const ImVec4& under) {
    const float a = top.w;
    return ImVec4(top.x * a + under.x * (1 - a), top.y * a + under.y * (1 - a), top.z * a + under.z * (1 - a), 1.0f);
}
ImVec4 u32(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

struct Pair {
    std::string what;
    ImVec4 text, background;  // background opaque; text possibly not
};

struct ImGuiContextScope {
    ImGuiContextScope() { ImGui::CreateContext(); }
    ~ImGuiContextScope() { ImGui::DestroyContext(); }
};

// Every text / background pair a theme makes.
std::vector<Pair> pairsOf(Theme theme) {
    applyTheme(theme);
    const ImVec4* c = ImGui::GetStyle().Colors;
    const Palette& p = palette();
    const ImVec4 clear = over(p.background, ImVec4(0, 0, 0, 1));
    const ImVec4 window = over(c[ImGuiCol_WindowBg], clear);
    struct Named {
        const char* name;
        ImVec4 colour;
    };
    const std::vector<Named> backgrounds = {
        {"WindowBg", window},
        {"ChildBg", over(c[ImGuiCol_ChildBg], window)},
        {"PopupBg", over(c[ImGuiCol_PopupBg], window)},
        {"MenuBarBg", over(c[ImGuiCol_MenuBarBg], window)},
        {"FrameBg", over(c[ImGuiCol_FrameBg], window)},
        {"Button", over(c[ImGuiCol_Button], window)},
        {"Header", over(c[ImGuiCol_Header], window)},
        {"TableRowBgAlt", over(c[ImGuiCol_TableRowBgAlt], window)},
    };
    // Under the mouse or pressed: only ordinary text is drawn there.
    const std::vector<Named> pressed = {
        {"FrameBgHovered", over(c[ImGuiCol_FrameBgHovered], window)},
        {"FrameBgActive", over(c[ImGuiCol_FrameBgActive], window)},
        {"ButtonHovered", over(c[ImGuiCol_ButtonHovered], window)},
        {"ButtonActive", over(c[ImGuiCol_ButtonActive], window)},
        {"HeaderHovered", over(c[ImGuiCol_HeaderHovered], window)},
        {"HeaderActive", over(c[ImGuiCol_HeaderActive], window)},
    };
    std::vector<Pair> pairs;
    for (const Named& b : backgrounds) {
        pairs.push_back({std::string("Text on ") + b.name, c[ImGuiCol_Text], b.colour});
        pairs.push_back({std::string("TextDisabled on ") + b.name, c[ImGuiCol_TextDisabled], b.colour});
    }
    for (const Named& b : pressed) pairs.push_back({std::string("Text on ") + b.name, c[ImGuiCol_Text], b.colour});
    // The palette's message colours, where messages are drawn: panels, popups, the menu bar's status.
    for (const Named& b : {backgrounds[0], backgrounds[2], backgrounds[3]}) {
        pairs.push_back({std::string("errorText on ") + b.name, p.errorText, b.colour});
        pairs.push_back({std::string("noticeText on ") + b.name, p.noticeText, b.colour});
        pairs.push_back({std::string("changedText on ") + b.name, p.changedText, b.colour});
    }
    pairs.push_back({"changedText on TableRowBgAlt", p.changedText, backgrounds[7].colour});
    // The rings panel: each ring's name on its fill, the lit ring's on the
    // lit fill, and each kind's arrow label on its box over any ring.
    for (int i = 0; i < 5; ++i) {
        const ImVec4 fill = over(u32(p.ringFill[i]), window);
        pairs.push_back({"ringLabel on ringFill[" + std::to_string(i) + "]", u32(p.ringLabel), fill});
        const ImVec4 box = over(u32(p.arrowLabelBox), fill);
        for (size_t k = 0; k < kEventKindCount; ++k)
            pairs.push_back({"arrow label " + std::string(eventKindName(EventKind(k))) + " on its box over ringFill[" +
                                 std::to_string(i) + "]",
                             u32(onRingFill(eventKindColour(EventKind(k)))), box});
    }
    const ImVec4 litFill = over(u32(p.litRingFill), window);
    pairs.push_back({"litRingLabel on litRingFill", u32(p.litRingLabel), litFill});
    for (size_t k = 0; k < kEventKindCount; ++k)
        pairs.push_back({"arrow label " + std::string(eventKindName(EventKind(k))) + " on its box over litRingFill",
                         u32(onRingFill(eventKindColour(EventKind(k)))), over(u32(p.arrowLabelBox), litFill)});
    return pairs;
}

std::string themeName(Theme t) { return std::string(t.dark ? "dark" : "light") + (t.highContrast ? ", high contrast" : ""); }

}  // namespace

TEST_CASE("the contrast ratio is computed as WCAG 2 defines it", "[theme]") {
    CHECK(contrast(ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)) == Approx(21.0));
    CHECK(contrast(ImVec4(1, 1, 1, 1), ImVec4(1, 1, 1, 1)) == Approx(1.0));
    // #777777 on white: 4.48, the classic grey that just fails AA.
    const float g = 0x77 / 255.0f;
    CHECK(contrast(ImVec4(g, g, g, 1), ImVec4(1, 1, 1, 1)) == Approx(4.48).margin(0.01));
    // Half-transparent black over white is mid grey.
    CHECK(over(ImVec4(0, 0, 0, 0.5f), ImVec4(1, 1, 1, 1)).x == Approx(0.5));
}

TEST_CASE("every text colour of every theme has at least 4.5:1 contrast on its background", "[theme]") {
    ImGuiContextScope context;
    for (const Theme theme : {Theme{true, false}, Theme{false, false}, Theme{true, true}, Theme{false, true}}) {
        const auto pairs = pairsOf(theme);
        CHECK(pairs.size() > 50);
        for (const Pair& pair : pairs) {
            const double ratio = contrast(over(pair.text, pair.background), pair.background);
            INFO(themeName(theme) << ": " << pair.what << " is " << ratio << ":1");
            CHECK(ratio >= kMinimumRatio);
        }
    }
}

TEST_CASE("changed registers stand out from unchanged ones in both themes", "[theme]") {
    // The reported bug: pale yellow on white in the light theme. The
    // highlight must be readable, and not be the ordinary text colour.
    ImGuiContextScope context;
    for (const bool dark : {true, false}) {
        applyTheme(Theme{dark, false});
        const ImVec4 text = ImGui::GetStyle().Colors[ImGuiCol_Text];
        const ImVec4 changed = palette().changedText;
        CHECK((std::abs(text.x - changed.x) + std::abs(text.y - changed.y) + std::abs(text.z - changed.z)) > 0.5f);
    }
}
