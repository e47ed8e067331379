// What the qcow2 tests share: a temporary folder of the test's own (ctest
// runs test cases in parallel processes), and running a tool (qemu-img,
// ringsim) for its output and exit code.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cli_runner.h"

namespace ringsim::test {

// A folder that lives as long as the test case.
struct TempFolder {
    std::filesystem::path path;
    explicit TempFolder(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               ("ringsim_qcow2_" + std::to_string(getpid()) + "_" + name)) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& file) const { return (path / file).string(); }
};

using ToolOutput = CliOutput;

inline ToolOutput runTool(const std::string& command, bool withStderr = true) {
    return runShell(command + (withStderr ? " 2>&1" : " 2>/dev/null"));
}

inline bool toolInstalled(const std::string& tool) {
    return runTool("command -v " + tool + " >/dev/null").code == 0;
}

inline std::vector<uint8_t> readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace ringsim::test
