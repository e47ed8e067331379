// ringsim-gui: for now a window that shows the instruction table, so the GUI
// build, the loader and the ImGui backends are exercised. The full front end
// (rings, timeline, event log, tours) is the GUI issue.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cpu-model/isa.h"

int main(int argc, char** argv) {
    CLI::App app{"ringsim-gui: the graphical front end of ringsim"};
    int frames = 0;
    std::string scenario;
    app.add_option("SCENARIO", scenario, "the scenario to open (the GUI proper is issue 5's work)");
    app.add_option("--frames", frames, "quit after this many frames (0: run until closed)");
    CLI11_PARSE(app, argc, argv);

    if (!glfwInit()) {
        std::fprintf(stderr, "ringsim-gui: cannot initialise GLFW (is there a display?)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    const std::string title = scenario.empty() ? "ringsim" : "ringsim — " + scenario;
    GLFWwindow* window = glfwCreateWindow(1280, 800, title.c_str(), nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "ringsim-gui: cannot open an OpenGL 3.3 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    if (!gladLoadGL(glfwGetProcAddress)) {
        std::fprintf(stderr, "ringsim-gui: cannot load OpenGL functions\n");
        return 1;
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    for (int frame = 0; !glfwWindowShouldClose(window) && (frames == 0 || frame < frames); ++frame) {
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(20, 20), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(900, 700), ImGuiCond_FirstUseEver);
        ImGui::Begin("Instruction table");
        if (ImGui::BeginTable("isa", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders)) {
            for (const char* h : {"mnemonic", "class", "cycles", "what it does"}) ImGui::TableSetupColumn(h);
            ImGui::TableHeadersRow();
            for (const auto& info : ringsim::isa::instructionTable()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(std::string(info.mnemonic).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(std::string(ringsim::isa::className(info.cls)).c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%d", info.cycles);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(std::string(info.summary).c_str());
            }
            ImGui::EndTable();
        }
        ImGui::End();
        ImGui::Render();
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        glViewport(0, 0, w, h);
        glClearColor(0.1f, 0.1f, 0.12f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
