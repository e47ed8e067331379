// The window around everything: GLFW, the OpenGL 3.3 context, Dear ImGui with
// its GLFW and OpenGL3 backends, the fonts, and the frame loop's two halves.
#pragma once

#include <memory>
#include <string>
#include <vector>

struct GLFWwindow;
struct ImFont;

namespace ringsim::gui {

struct Fonts {
    ImFont* body = nullptr;   // the default for every panel
    ImFont* large = nullptr;  // the tour's explanation, readable from the back of a lecture hall
    ImFont* mono = nullptr;   // registers and addresses, so that hex digits line up
};

class AppShell {
public:
    // Opens the window; null with a one-line reason in `error` if it cannot
    // (`noDisplay` is set when there is no display at all).
    static std::unique_ptr<AppShell> open(int width, int height, const std::string& title, bool rememberLayout,
                                          std::string& error, bool& noDisplay);
    ~AppShell();
    AppShell(const AppShell&) = delete;
    AppShell& operator=(const AppShell&) = delete;

    bool shouldClose() const;
    // Polls input and starts an ImGui frame.
    void beginFrame();
    // Renders the frame into the back buffer; present() shows it. Between the
    // two the back buffer holds the finished frame (for a screenshot).
    void render();
    void present();
    void framebufferSize(int& width, int& height) const;
    void windowSize(int& width, int& height) const;
    void resize(int width, int height);  // the web edition's canvas follows the browser window
    // The web edition on a HiDPI screen: `ratio` device pixels per CSS pixel.
    // Sizes (windowSize, resize, ImGui's) stay in CSS pixels; the canvas, the
    // fonts and the framebuffer are drawn at the device's full resolution.
    void setPixelRatio(float ratio);
    const Fonts& fonts() const { return fonts_; }
    // Loads the fonts again at these pixel sizes (presentation mode, text
    // size), if they differ from the current ones. Call between frames: the
    // Fonts' pointers change.
    void setFontSizes(float body, float large, float mono);
    // The colour behind the panels (the theme's).
    void setClearColour(float r, float g, float b) { clear_[0] = r, clear_[1] = g, clear_[2] = b; }
    void setTitle(const std::string& title);
    // Ends the frame loop as closing the window does (File > Quit).
    void requestClose();
    // The keys pressed since the last call (GLFW key codes), in order. ImGui
    // 1.86 samples keys once a frame and misses a press and release that fall
    // between two frames (a quick tap, an xdotool key); these are never lost.
    std::vector<int> takePressedKeys();

private:
    AppShell() = default;
    void loadFonts();
    void reloadFonts();  // between frames
    static void onKey(GLFWwindow* window, int key, int scancode, int action, int mods);

    GLFWwindow* window_ = nullptr;
    Fonts fonts_;
    std::vector<int> pressedKeys_;
    float fontSizes_[3] = {16.0f, 26.0f, 15.0f};  // body, large, mono
    bool framesBegun_ = false;
    float clear_[3] = {0.10f, 0.10f, 0.12f};
    float pixelRatio_ = 1.0f;
};

}  // namespace ringsim::gui
