// What the web edition asks of the browser, in one place: the page's query
// string and size, messages shown in the page beside the canvas, downloads,
// the clipboard, and the settings folder kept in the browser's IndexedDB.
#pragma once

#include <string>

namespace ringsim::gui::web {

// The folder the settings live in (IndexedDB behind it, see syncSettingsFolder).
inline constexpr const char* kSettingsFolder = "/settings";

// location.search, e.g. "?scenario=01-rings".
std::string pageQuery();
// The page's address without its query string.
std::string pageAddress();
// The browser window's inner size in CSS pixels.
void pageSize(int& width, int& height);
// Shows `text` in the page above the canvas (empty: hides it). Plain text.
void showPageNote(const std::string& text);
// Offers the file at `path` (in Emscripten's file system) as a download named `name`.
void downloadFile(const std::string& path, const std::string& name);
// Puts `text` on the clipboard, if the browser lets the page.
void copyToClipboard(const std::string& text);
// Mounts the settings folder and fills it from IndexedDB, then calls `ready`
// (the browser does this asynchronously).
void mountSettingsFolder(void (*ready)());
// Writes the settings folder back to IndexedDB (asynchronously).
void syncSettingsFolder();
// True once after the page set window.ringsimRequests[name] (a test asking for something).
bool takePageRequest(const char* name);
// Tells the page (and a test reading it) that a frame has been drawn, how
// long it took, and the window's state line (gui/script.h's stateLine).
void reportFrame(double frameMs, const std::string& state);

}  // namespace ringsim::gui::web
