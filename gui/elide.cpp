#include "elide.h"

#include <imgui.h>

namespace ringsim::gui {

namespace {
float widthOf(std::string_view text) { return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x; }
}  // namespace

std::string elided(std::string_view text, float width) {
    if (widthOf(text) <= width) return std::string(text);
    const float room = width - widthOf("...");
    // The longest start that fits, cut between letters (never inside a UTF-8 sequence).
    size_t lo = 0, hi = text.size();
    while (lo < hi) {
        const size_t mid = (lo + hi + 1) / 2;
        if (widthOf(text.substr(0, mid)) <= room) lo = mid;
        else hi = mid - 1;
    }
    while (lo > 0 && lo < text.size() && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo;
    return std::string(text.substr(0, lo)) + "...";
}

void textElided(std::string_view text) {
    const std::string shown = elided(text, ImGui::GetContentRegionAvail().x);
    ImGui::TextUnformatted(shown.c_str());
    if (shown.size() != text.size() && ImGui::IsItemHovered())
        ImGui::SetTooltip("%.*s", int(text.size()), text.data());
}

bool beginComboElided(const char* id, std::string_view preview) {
    const ImGuiStyle& style = ImGui::GetStyle();
    // The box less its arrow button and the text's padding.
    const float room = ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - style.FramePadding.x * 2;
    const std::string shown = elided(preview, room);
    const bool open = ImGui::BeginCombo(id, shown.c_str());
    if (!open && shown.size() != preview.size() && ImGui::IsItemHovered())
        ImGui::SetTooltip("%.*s", int(preview.size()), preview.data());
    return open;
}

bool sameLineIfFits(float width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width > right) return false;
    ImGui::SameLine();
    return true;
}

}  // namespace ringsim::gui
