// The menu bar across the top of the window: File (open a bundled scenario or
// a file, the lecture deck, export the window as PNG, quit), View (presentation mode, theme,
// lock and reset the layout, text size), Help (keys, about). Drawn every
// frame before the panels; the layout leaves room for it.
#pragma once

#include <optional>
#include <string>

#include "ui.h"

namespace ringsim::gui {

class MenuBar {
public:
    // The menu bar and the dialogs its items open.
    void draw(Ui& ui);
    bool quitRequested() const { return quit_; }
    // After the frame is rendered: the PNG to save from the back buffer now,
    // if one is due. It is asked for a frame ahead, so the dialog that asked
    // is not in the picture.
    std::optional<std::string> exportDue();
    // What became of it (an empty error: saved), shown for a few seconds.
    void exportDone(const std::string& path, const std::string& error);

private:
    void drawFileMenu(Ui& ui);
    void drawDeckMenu(Ui& ui);
    void drawViewMenu(Ui& ui);
    void drawHelpMenu(Ui& ui);
    void drawDialogs(Ui& ui);
    void drawStatus();

    bool quit_ = false;
    // Dialogs asked for from inside a menu, opened at the menu bar's level.
    bool openFileDialog_ = false, openExportDialog_ = false, openAbout_ = false;
    bool exportingChart_ = false;  // the export dialog saves the chart of the modes, not the window
    std::string pathInput_;
    bool refocusPath_ = false;
    std::string exportInput_;
    std::optional<std::string> exportPending_;
    int exportWaitFrames_ = 0;
    std::string status_;
    bool statusIsError_ = false;
    double statusUntil_ = 0.0;  // ImGui::GetTime() at which the status line goes
};

}  // namespace ringsim::gui
