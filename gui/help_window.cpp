#include "help_window.h"

#include <imgui.h>

#include "shortcuts.h"

namespace ringsim::gui {

namespace {
bool wasOpen = false;
}  // namespace

void drawHelpWindow(Ui& ui) {
    if (!ui.helpOpen) {
        wasOpen = false;
        return;
    }
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float width = ImGui::GetFontSize() * 36;
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.45f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    // In front of the panels when it opens; closed by its [x], F1 or Escape.
    if (!wasOpen) ImGui::SetNextWindowFocus();
    ImGui::SetNextWindowBgAlpha(1.0f);  // the panels behind would show through its text
    if (ImGui::Begin("Keyboard shortcuts", &ui.helpOpen,
                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::PushTextWrapPos(width);
        ImGui::TextWrapped("Keys work whenever no text field is being edited.");
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
            ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4);
            ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthFixed, width - ImGui::GetFontSize() * 6);
            for (const ShortcutInfo& s : shortcuts()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.keyName);
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%s", s.what);
            }
            ImGui::EndTable();
        }
        ImGui::Spacing();
        ImGui::TextWrapped("Panels move by their title bars and resize by their edges and corners, unless the layout is "
                           "locked; View > Reset layout puts them back. Hover a button to see its key.");
        ImGui::PopTextWrapPos();
        if (ImGui::IsWindowFocused() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ui.helpOpen = false;
    }
    ImGui::End();
    wasOpen = ui.helpOpen;
}

}  // namespace ringsim::gui
