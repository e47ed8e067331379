# The web edition's libraries (DESIGN.md section 13), for a build configured
# with Emscripten's toolchain (tools/setup.sh web). Emscripten cannot link
# Debian's x86-64 libraries, so Dear ImGui and yaml-cpp are compiled here from
# Debian's source packages (unpacked by the set-up script into
# RINGSIM_WEB_SOURCES), header-only libraries are used from /usr/include, and
# GLFW is Emscripten's own (-sUSE_GLFW=3). The targets carry the names the
# desktop build's find_package gives, so the rest of the build is the same.
set(RINGSIM_WEB_SOURCES "${CMAKE_BINARY_DIR}/debian-src" CACHE PATH
    "where Debian's imgui and yaml-cpp source packages are unpacked (imgui/, yaml-cpp/)")
foreach(package imgui yaml-cpp)
  if(NOT EXISTS ${RINGSIM_WEB_SOURCES}/${package})
    message(FATAL_ERROR "no ${RINGSIM_WEB_SOURCES}/${package}: tools/setup.sh web fetches Debian's source package")
  endif()
endforeach()

# The core and yaml-cpp report bad input by throwing: Emscripten's default ignores exceptions.
add_compile_options(-fexceptions)
add_link_options(-fexceptions)

# Headers only, one folder each: all of /usr/include would bring glibc's headers in.
set(_web_headers ${CMAKE_BINARY_DIR}/web-headers)
file(MAKE_DIRECTORY ${_web_headers})
foreach(dir fmt nlohmann CLI stb)
  if(NOT EXISTS /usr/include/${dir})
    message(FATAL_ERROR "no /usr/include/${dir}: tools/setup.sh installs its -dev package")
  endif()
  file(CREATE_LINK /usr/include/${dir} ${_web_headers}/${dir} SYMBOLIC)
endforeach()

add_library(fmt::fmt INTERFACE IMPORTED)
target_include_directories(fmt::fmt INTERFACE ${_web_headers})
target_compile_definitions(fmt::fmt INTERFACE FMT_HEADER_ONLY)
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json INTERFACE ${_web_headers})
add_library(CLI11::CLI11 INTERFACE IMPORTED)
target_include_directories(CLI11::CLI11 INTERFACE ${_web_headers})

file(GLOB _yaml_sources ${RINGSIM_WEB_SOURCES}/yaml-cpp/src/*.cpp)
add_library(yaml-cpp STATIC ${_yaml_sources})
target_include_directories(yaml-cpp SYSTEM PUBLIC ${RINGSIM_WEB_SOURCES}/yaml-cpp/include)
set_target_properties(yaml-cpp PROPERTIES CXX_STANDARD 17)
target_compile_options(yaml-cpp PRIVATE -w)  # not our code

# Dear ImGui with the GLFW and OpenGL 3 (WebGL 2 here) backends, as libimgui-dev has them.
set(_imgui ${RINGSIM_WEB_SOURCES}/imgui)
add_library(ringsim_web_imgui STATIC ${_imgui}/imgui.cpp ${_imgui}/imgui_draw.cpp ${_imgui}/imgui_tables.cpp
  ${_imgui}/imgui_widgets.cpp ${_imgui}/backends/imgui_impl_glfw.cpp ${_imgui}/backends/imgui_impl_opengl3.cpp
  ${_imgui}/misc/cpp/imgui_stdlib.cpp)
target_include_directories(ringsim_web_imgui SYSTEM PUBLIC ${_imgui})
# imgui_stdlib.h (InputText on std::string) is at the top of libimgui-dev's headers: here too.
file(CREATE_LINK ${_imgui}/misc/cpp/imgui_stdlib.h ${_web_headers}/imgui_stdlib.h SYMBOLIC)
target_compile_options(ringsim_web_imgui PRIVATE -w)
target_compile_options(ringsim_web_imgui PUBLIC -sUSE_GLFW=3)
target_link_options(ringsim_web_imgui PUBLIC -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sFULL_ES3=1)
add_library(PkgConfig::IMGUI ALIAS ringsim_web_imgui)
add_library(glfw INTERFACE)

# stb_image_write: Debian's libstb holds its implementation; here it is compiled once.
set(_stb_impl ${CMAKE_BINARY_DIR}/generated/stb_image_write.c)
file(WRITE ${_stb_impl}.new "#define STB_IMAGE_WRITE_IMPLEMENTATION\n#include <stb_image_write.h>\n")
file(COPY_FILE ${_stb_impl}.new ${_stb_impl} ONLY_IF_DIFFERENT)
add_library(ringsim_web_stb STATIC ${_stb_impl})
target_include_directories(ringsim_web_stb PUBLIC ${_web_headers}/stb)
target_compile_options(ringsim_web_stb PRIVATE -w)
add_library(PkgConfig::STB ALIAS ringsim_web_stb)
