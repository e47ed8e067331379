#include "app_shell.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>  // WebGL 2: the web edition (gui/web/)
#else
#include <glad/gl.h>
#endif
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdlib>
#include <cmath>
#include <filesystem>

namespace ringsim::gui {

namespace {
// GLFW reports errors through a callback; the last one explains a failed open.
std::string lastGlfwError;
void onGlfwError(int, const char* description) { lastGlfwError = description; }

constexpr const char* kBodyFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kMonoFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
}  // namespace

std::unique_ptr<AppShell> AppShell::open(int width, int height, const std::string& title, bool rememberLayout,
                                         std::string& error, bool& noDisplay) {
    noDisplay = false;
    glfwSetErrorCallback(onGlfwError);
#ifndef __EMSCRIPTEN__  // the browser's canvas is the display
    // Checked before glfwInit so that no display is one clear line, not GLFW's own words.
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        noDisplay = true;
        error = "no display (set DISPLAY or run under xvfb-run)";
        return nullptr;
    }
#endif
    if (!glfwInit()) {
        noDisplay = true;
        error = "no display (set DISPLAY or run under xvfb-run)";
        return nullptr;
    }
#ifdef __EMSCRIPTEN__
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
#else
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
#endif
    std::unique_ptr<AppShell> shell(new AppShell);
    shell->window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!shell->window_) {
        error = "cannot open an OpenGL 3.3 window: " + lastGlfwError;
        glfwTerminate();
        return nullptr;
    }
    glfwMakeContextCurrent(shell->window_);
    glfwSwapInterval(1);
#ifndef __EMSCRIPTEN__
    if (!gladLoadGL(glfwGetProcAddress)) {
        error = "cannot load the OpenGL functions";
        return nullptr;
    }
#endif
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    // ImGui never reads or writes imgui.ini itself: each window size keeps its own (layout_memory.h).
    if (!rememberLayout) ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui_ImplGlfw_InitForOpenGL(shell->window_, true);
    // Ours replaces the key callback ImGui installed, and passes every key on to it.
    glfwSetWindowUserPointer(shell->window_, shell.get());
    glfwSetKeyCallback(shell->window_, &AppShell::onKey);
#ifdef __EMSCRIPTEN__
    ImGui_ImplOpenGL3_Init("#version 300 es");
#else
    ImGui_ImplOpenGL3_Init("#version 330 core");
#endif
    shell->loadFonts();
    return shell;
}

AppShell::~AppShell() {
    if (!window_) return;
    if (ImGui::GetCurrentContext()) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    glfwDestroyWindow(window_);
    glfwTerminate();
}

void AppShell::loadFonts() {
    ImGuiIO& io = ImGui::GetIO();
    std::error_code ec;
    fonts_ = Fonts{};
    if (std::filesystem::exists(kBodyFont, ec)) {
        fonts_.body = io.Fonts->AddFontFromFileTTF(kBodyFont, fontSizes_[0] * pixelRatio_);
        fonts_.large = io.Fonts->AddFontFromFileTTF(kBodyFont, fontSizes_[1] * pixelRatio_);
    }
    if (std::filesystem::exists(kMonoFont, ec))
        fonts_.mono = io.Fonts->AddFontFromFileTTF(kMonoFont, fontSizes_[2] * pixelRatio_);
    // Rasterised at device pixels, drawn at CSS pixels: sharp on a HiDPI screen.
    io.FontGlobalScale = 1.0f / pixelRatio_;
    // Without DejaVu (fonts-dejavu-core) ImGui's built-in font serves, scaled up for the tour.
    if (!fonts_.body) {
        ImFontConfig body;
        body.SizePixels = fontSizes_[0] * pixelRatio_;
        fonts_.body = io.Fonts->AddFontDefault(&body);
    }
    if (!fonts_.large) {
        ImFontConfig big;
        big.SizePixels = fontSizes_[1] * pixelRatio_;
        fonts_.large = io.Fonts->AddFontDefault(&big);
    }
    if (!fonts_.mono) fonts_.mono = fonts_.body;  // ImGui's own font is monospaced already
}

void AppShell::setFontSizes(float body, float large, float mono) {
    if (body == fontSizes_[0] && large == fontSizes_[1] && mono == fontSizes_[2]) return;
    fontSizes_[0] = body, fontSizes_[1] = large, fontSizes_[2] = mono;
    reloadFonts();
}

void AppShell::reloadFonts() {
    ImGui::GetIO().Fonts->Clear();
    loadFonts();
    // Before the first frame the backend makes the texture itself.
    if (framesBegun_) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

void AppShell::setTitle(const std::string& title) { glfwSetWindowTitle(window_, title.c_str()); }

void AppShell::requestClose() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

void AppShell::resize(int width, int height) {
    glfwSetWindowSize(window_, int(std::lround(width * pixelRatio_)), int(std::lround(height * pixelRatio_)));
}

void AppShell::windowSize(int& width, int& height) const {
    glfwGetWindowSize(window_, &width, &height);
    width = int(std::lround(width / pixelRatio_));
    height = int(std::lround(height / pixelRatio_));
}

void AppShell::setPixelRatio(float ratio) {
    if (!(ratio > 0.0f) || ratio == pixelRatio_) return;
    pixelRatio_ = ratio;
    reloadFonts();
}

void AppShell::onKey(GLFWwindow* window, int key, int scancode, int action, int mods) {
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
    if (action == GLFW_PRESS || action == GLFW_REPEAT)
        static_cast<AppShell*>(glfwGetWindowUserPointer(window))->pressedKeys_.push_back(key);
}

std::vector<int> AppShell::takePressedKeys() {
    std::vector<int> keys;
    keys.swap(pressedKeys_);
    return keys;
}

bool AppShell::shouldClose() const { return glfwWindowShouldClose(window_); }

void AppShell::beginFrame() {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Two frames can read the same clock (a browser's is coarse); ImGui wants time to pass.
    ImGuiIO& io = ImGui::GetIO();
    if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;
    // The backend sees one size for the window and the framebuffer (the canvas's device pixels): ImGui's are CSS pixels.
    if (pixelRatio_ != 1.0f) {
        io.DisplaySize = ImVec2(io.DisplaySize.x / pixelRatio_, io.DisplaySize.y / pixelRatio_);
        io.DisplayFramebufferScale = ImVec2(pixelRatio_, pixelRatio_);
        if (ImGui::IsMousePosValid(&io.MousePos)) io.MousePos = ImVec2(io.MousePos.x / pixelRatio_, io.MousePos.y / pixelRatio_);
    }
    ImGui::NewFrame();
    framesBegun_ = true;
}

void AppShell::render() {
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(clear_[0], clear_[1], clear_[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void AppShell::present() { glfwSwapBuffers(window_); }

void AppShell::framebufferSize(int& width, int& height) const { glfwGetFramebufferSize(window_, &width, &height); }

}  // namespace ringsim::gui
