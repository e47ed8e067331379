// What the web edition asks of the browser, in one place: the page's query
// string and size, messages shown in the page beside the canvas, the file
// picker and downloads,
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
// Device pixels per CSS pixel (2 on most HiDPI screens; changes with the browser's zoom).
float devicePixelRatio();
// Shows `text` in the page above the canvas (empty: hides it). Plain text.
void showPageNote(const std::string& text);
// Offers the file at `path` (in Emscripten's file system) as a download named `name`.
void downloadFile(const std::string& path, const std::string& name);
// Opens the browser's file picker (several files at once); what the user
// picks is copied into a fresh folder of Emscripten's file system.
void pickFiles();
// That folder, once the files are in it; empty until then (and after it was taken).
std::string takePickedFolder();
// Puts `text` on the clipboard, if the browser lets the page.
void copyToClipboard(const std::string& text);
// Mounts the settings folder and fills it from IndexedDB, then calls `ready`
// (the browser does this asynchronously).
void mountSettingsFolder(void (*ready)());
// Writes the settings folder back to IndexedDB (asynchronously).
void syncSettingsFolder();
// True once after the page set window.ringsimRequests[name] (a test asking for something).
bool takePageRequest(const char* name);
// Where a frame's time went, in milliseconds: what a test measures.
struct FrameTimes {
    double total = 0;
    double simulation = 0;  // the run on screen's slice
    double comparison = 0;  // the background comparison of the modes and the Compare view's lockstep
    double drawing = 0;     // building the panels' draw lists
    double rendering = 0;   // handing them to WebGL
};
// Tells the page (and a test reading it) that a frame has been drawn, where
// its time went, and the window's state line (gui/script.h's stateLine).
void reportFrame(const FrameTimes& times, const std::string& state);

}  // namespace ringsim::gui::web
