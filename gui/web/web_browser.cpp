#include "web_browser.h"

#include <emscripten.h>


namespace ringsim::gui::web {

namespace {
// A JavaScript string expression's value, copied in two steps (its length, then its bytes).
#define RINGSIM_JS_STRING(expression)                                                            \
    [] {                                                                                         \
        const int size = EM_ASM_INT({ return lengthBytesUTF8(expression) + 1; });                \
        std::string out(size_t(size), '\0');                                                     \
        EM_ASM({ stringToUTF8(expression, $0, $1); }, out.data(), size);                         \
        out.resize(size_t(size - 1));                                                            \
        return out;                                                                              \
    }()
void (*settingsReady)() = nullptr;
}  // namespace

}  // namespace ringsim::gui::web

// Called from JavaScript once IndexedDB has filled the settings folder.
extern "C" EMSCRIPTEN_KEEPALIVE void ringsim_web_settings_ready() {
    if (auto* ready = ringsim::gui::web::settingsReady) {
        ringsim::gui::web::settingsReady = nullptr;
        ready();
    }
}

namespace ringsim::gui::web {

std::string pageQuery() {
    return RINGSIM_JS_STRING(window.location.search);
}

std::string pageAddress() {
    return RINGSIM_JS_STRING(window.location.origin + window.location.pathname);
}

void pageSize(int& width, int& height) {
    width = EM_ASM_INT({ return window.innerWidth; });
    height = EM_ASM_INT({ return window.innerHeight; });
}

float devicePixelRatio() { return float(EM_ASM_DOUBLE({ return window.devicePixelRatio || 1; })); }

void showPageNote(const std::string& text) {
    EM_ASM({ if (window.ringsimNote) window.ringsimNote(UTF8ToString($0)); }, text.c_str());
}

void downloadFile(const std::string& path, const std::string& name) {
    EM_ASM(
        {
            const data = FS.readFile(UTF8ToString($0));
            const name = UTF8ToString($1);
            const type = name.endsWith('.png') ? 'image/png' : 'text/plain';
            const url = URL.createObjectURL(new Blob([data], {type : type}));
            const a = document.createElement('a');
            a.href = url;
            a.download = name;
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10000);
        },
        path.c_str(), name.c_str());
}

void pickFiles() {
    EM_ASM({
        const picker = document.getElementById('picker');
        picker.value = "";  // the same files picked again are read again
        picker.click();
    });
}

std::string takePickedFolder() {
    // Read first, taken after: the macro evaluates its expression twice.
    std::string folder = RINGSIM_JS_STRING(window.ringsimPickedFolders[0] || "");
    if (!folder.empty()) EM_ASM({ window.ringsimPickedFolders.shift(); });
    return folder;
}

void copyToClipboard(const std::string& text) {
    EM_ASM(
        {
            const text = UTF8ToString($0);
            if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
        },
        text.c_str());
}

void mountSettingsFolder(void (*ready)()) {
    settingsReady = ready;
    EM_ASM(
        {
            const folder = UTF8ToString($0);
            FS.mkdir(folder);
            FS.mount(IDBFS, {}, folder);
            // A browser without IndexedDB (a private window may refuse it) starts with no settings.
            FS.syncfs(true, () => { Module.ccall('ringsim_web_settings_ready', null, [], []); });
        },
        kSettingsFolder);
}

void syncSettingsFolder() {
    EM_ASM({ FS.syncfs(false, () => {}); });
}

bool takePageRequest(const char* name) {
    return EM_ASM_INT(
               {
                   const name = UTF8ToString($0);
                   const asked = window.ringsimRequests && window.ringsimRequests[name];
                   if (asked) window.ringsimRequests[name] = false;
                   return asked ? 1 : 0;
               },
               name) != 0;
}

void reportFrame(const FrameTimes& times, const std::string& state) {
    EM_ASM({ if (window.ringsimFrame) window.ringsimFrame($0, UTF8ToString($1), [$2, $3, $4, $5]); }, times.total,
           state.c_str(), times.simulation, times.comparison, times.drawing, times.rendering);
}

}  // namespace ringsim::gui::web
