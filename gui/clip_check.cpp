#include "clip_check.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace ringsim::gui {

namespace {

// Half a pixel either way is rounding, not a cut.
constexpr float kTolerance = 1.0f;

// A glyph's quad is found by the texture coordinates of its corners.
using Uv = std::pair<float, float>;
struct GlyphUv {
    Uv bottomRight;
    unsigned codepoint;
};

std::map<Uv, GlyphUv> glyphsByTopLeft() {
    std::map<Uv, GlyphUv> glyphs;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
        for (const ImFontGlyph& g : font->Glyphs)
            if (g.Visible) glyphs[{g.U0, g.V0}] = {{g.U1, g.V1}, g.Codepoint};
    return glyphs;
}

void appendUtf8(std::string& out, unsigned c) {
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

// A panel, or a part of one, that the user can scroll sideways: what is out of view is not cut.
bool scrollsSideways(const ImGuiWindow* w) {
    for (; w; w = w->ParentWindow)
        if (w->ScrollbarX) return true;
    return false;
}

struct DrawnGlyph {
    float x0, y0, x1, y1;
    unsigned codepoint;
    bool trimmed;  // cut at its right by the CPU
};

// The glyphs one draw command drew, as the quads ImDrawList::PrimRectUV writes.
std::vector<DrawnGlyph> glyphsOf(const ImDrawList& list, const ImDrawCmd& cmd, const std::map<Uv, GlyphUv>& known) {
    std::vector<DrawnGlyph> out;
    const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
    for (unsigned k = 0; k + 6 <= cmd.ElemCount; ++k) {
        const unsigned a = idx[k];
        if (idx[k + 1] != a + 1 || idx[k + 2] != a + 2 || idx[k + 3] != a || idx[k + 4] != a + 2 || idx[k + 5] != a + 3) continue;
        const size_t v = cmd.VtxOffset + a;
        if (v + 3 >= size_t(list.VtxBuffer.Size)) continue;
        const ImDrawVert& topLeft = list.VtxBuffer[int(v)];
        const ImDrawVert& bottomRight = list.VtxBuffer[int(v + 2)];
        const auto glyph = known.find({topLeft.uv.x, topLeft.uv.y});
        if (glyph == known.end() || glyph->second.bottomRight.second != bottomRight.uv.y) continue;
        // Text drawn with a clip rectangle of its own (a box's, a button's,
        // a title bar's) has its last glyph trimmed on the CPU instead.
        const bool trimmed = bottomRight.uv.x < glyph->second.bottomRight.first;
        if (!trimmed && bottomRight.uv.x != glyph->second.bottomRight.first) continue;
        out.push_back({topLeft.pos.x, topLeft.pos.y, bottomRight.pos.x, bottomRight.pos.y, glyph->second.codepoint, trimmed});
        k += 5;
    }
    return out;
}

// The line a cut glyph belongs to, as drawn (a space where glyphs stand apart).
std::string lineAround(const std::vector<DrawnGlyph>& glyphs, const DrawnGlyph& cut) {
    std::vector<DrawnGlyph> line;
    for (const DrawnGlyph& g : glyphs)
        if (const float middle = (g.y0 + g.y1) / 2; middle > cut.y0 && middle < cut.y1) line.push_back(g);
    std::sort(line.begin(), line.end(), [](const DrawnGlyph& a, const DrawnGlyph& b) { return a.x0 < b.x0; });
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
        if (i > 0 && line[i].x0 - line[i - 1].x1 > (cut.y1 - cut.y0) * 0.25f) text += ' ';
        appendUtf8(text, line[i].codepoint);
    }
    return text;
}

}  // namespace

std::vector<std::string> findClippedText() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    // Panels that scroll sideways, and tooltips (sized to their text), are not checked.
    std::set<const ImDrawList*> skipped;
    std::vector<std::string> cuts;
    for (const ImGuiWindow* w : g.Windows) {
        if (!w->Active || w->Hidden) continue;
        if (scrollsSideways(w) || (w->Flags & ImGuiWindowFlags_Tooltip)) {
            skipped.insert(w->DrawList);
            continue;
        }
        if (w->Collapsed || (w->Flags & ImGuiWindowFlags_AlwaysAutoResize)) continue;
        // This frame's items reach past what the panel shows, and it cannot scroll to them.
        const float over = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
        if (over > kTolerance)
            cuts.push_back("clipped " + std::string(w->Name) + ": items reach " + std::to_string(int(over)) +
                           " px past its right edge, and it has no horizontal scroll bar");
    }
    const ImDrawData* data = ImGui::GetDrawData();
    if (!data) return cuts;
    const auto known = glyphsByTopLeft();
    std::set<std::string> seen;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList& list = *data->CmdLists[n];
        if (skipped.count(&list)) continue;
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback) continue;
            const ImVec4 clip = cmd.ClipRect;
            const std::vector<DrawnGlyph> glyphs = glyphsOf(list, cmd, known);
            for (const DrawnGlyph& glyph : glyphs) {
                if (glyph.y1 <= clip.y || glyph.y0 >= clip.w) continue;  // scrolled out of view, whole
                if (!glyph.trimmed && glyph.x0 >= clip.x - kTolerance && glyph.x1 <= clip.z + kTolerance) continue;
                const std::string cut = "clipped " + std::string(list._OwnerName ? list._OwnerName : "?") + ": \"" +
                                        lineAround(glyphs, glyph) + "\" at x " + std::to_string(int(glyph.x0)) +
                                        ", y " + std::to_string(int(glyph.y0)) + " in " + std::to_string(int(clip.x)) +
                                        ".." + std::to_string(int(clip.z));
                const std::string key = std::string(list._OwnerName ? list._OwnerName : "") + lineAround(glyphs, glyph);
                if (seen.insert(key).second) cuts.push_back(cut);
            }
        }
    }
    return cuts;
}

}  // namespace ringsim::gui
