#include "settings.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ringsim::gui {

namespace {
// The range a font scale can take; a file that says 40 must not make text unreadable.
constexpr float kMinFontScale = 0.5f, kMaxFontScale = 3.0f;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}
}  // namespace

std::filesystem::path defaultConfigFolder() {
    if (std::string dir = env("RINGSIM_CONFIG_DIR"); !dir.empty()) return dir;
    if (std::string xdg = env("XDG_CONFIG_HOME"); !xdg.empty()) return std::filesystem::path(xdg) / "ringsim";
    if (std::string home = env("HOME"); !home.empty()) return std::filesystem::path(home) / ".config" / "ringsim";
    return {};
}

std::string loadSettings(const std::filesystem::path& file, Settings& settings) {
    std::ifstream in(file);
    if (!in) return {};
    std::stringstream text;
    text << in.rdbuf();
    try {
        const nlohmann::json j = nlohmann::json::parse(text.str());
        if (!j.is_object()) return file.string() + ": not a JSON object";
        // Read into a copy: a file wrong in one field is ignored whole.
        Settings read = settings;
        if (j.contains("theme")) {
            const std::string theme = j.at("theme").get<std::string>();
            if (theme != "dark" && theme != "light") return file.string() + ": theme is \"" + theme + "\", not dark or light";
            read.darkTheme = theme == "dark";
        }
        if (j.contains("presentation")) read.presentation = j.at("presentation").get<bool>();
        if (j.contains("layoutLocked")) read.layoutLocked = j.at("layoutLocked").get<bool>();
        if (j.contains("fontScale")) read.fontScale = std::clamp(j.at("fontScale").get<float>(), kMinFontScale, kMaxFontScale);
        if (j.contains("lastScenario")) read.lastScenario = j.at("lastScenario").get<std::string>();
        if (j.contains("lastMode")) read.lastMode = j.at("lastMode").get<std::string>();
        settings = read;
    } catch (const nlohmann::json::exception& e) {
        // nlohmann's messages are one line: "[json.exception.parse_error.101] parse error at line 1, ..."
        return file.string() + ": " + e.what();
    }
    return {};
}

std::string saveSettings(const std::filesystem::path& file, const Settings& settings) {
    const nlohmann::json j = {
        {"theme", settings.darkTheme ? "dark" : "light"},
        {"presentation", settings.presentation},
        {"layoutLocked", settings.layoutLocked},
        {"fontScale", settings.fontScale},
        {"lastScenario", settings.lastScenario},
        {"lastMode", settings.lastMode},
    };
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return "cannot create " + file.parent_path().string() + ": " + ec.message();
    // Written beside and renamed over, so a run killed while saving leaves the old file whole.
    const std::filesystem::path partial = file.string() + ".partial";
    {
        std::ofstream out(partial);
        out << j.dump(2) << '\n';
        if (!out.flush()) return "cannot write " + partial.string();
    }
    std::filesystem::rename(partial, file, ec);
    if (ec) return "cannot write " + file.string() + ": " + ec.message();
    return {};
}

void SettingsStore::load(Settings& settings) {
    if (!enabled()) return;
    if (const std::string error = loadSettings(jsonFile(), settings); !error.empty())
        std::fprintf(stderr, "ringsim-gui: settings ignored: %s\n", error.c_str());
    saved_ = settings;
    haveSaved_ = true;
}

void SettingsStore::saveIfChanged(const Settings& settings) {
    if (!enabled() || (haveSaved_ && settings == saved_)) return;
    if (const std::string error = saveSettings(jsonFile(), settings); !error.empty()) {
        if (!reportedFailure_) std::fprintf(stderr, "ringsim-gui: settings not saved: %s\n", error.c_str());
        reportedFailure_ = true;
    }
    // Remembered even when saving failed: one attempt per change, not one per frame.
    saved_ = settings;
    haveSaved_ = true;
}

}  // namespace ringsim::gui
