// The user's settings between runs: Settings (ui.h) as JSON in
// <folder>/gui.json, beside layouts/ (where the panels are, per window size:
// layout_memory.h). The
// folder is --config-dir, else $RINGSIM_CONFIG_DIR, else
// $XDG_CONFIG_HOME/ringsim, else ~/.config/ringsim.
#pragma once

#include <filesystem>
#include <string>

#include "ui.h"

namespace ringsim::gui {

// The folder from the environment; empty when there is neither a
// RINGSIM_CONFIG_DIR, an XDG_CONFIG_HOME nor a HOME.
std::filesystem::path defaultConfigFolder();

// Reads `file` into `settings`. A missing file leaves them as they are and
// is no error; a broken one leaves them as they are too, and returns why in
// one line.
std::string loadSettings(const std::filesystem::path& file, Settings& settings);
// Writes them (creating the folder); returns why it failed, else empty.
std::string saveSettings(const std::filesystem::path& file, const Settings& settings);

// Saves the settings whenever they differ from what was last saved, so a
// change survives even a run that ends by a crash or a kill.
class SettingsStore {
public:
    // An empty folder: nothing is read or written (screenshot runs).
    explicit SettingsStore(std::filesystem::path folder) : folder_(std::move(folder)) {}
    bool enabled() const { return !folder_.empty(); }
    std::filesystem::path jsonFile() const { return folder_ / "gui.json"; }
    const std::filesystem::path& folder() const { return folder_; }
    // Loads into `settings`; a broken file is reported on stderr in one line.
    void load(Settings& settings);
    // Saves if `settings` changed since the last load or save; reports a failure once.
    void saveIfChanged(const Settings& settings);

private:
    std::filesystem::path folder_;
    Settings saved_;
    bool haveSaved_ = false;
    bool reportedFailure_ = false;
};

}  // namespace ringsim::gui
