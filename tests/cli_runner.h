// The `ringsim` binary (or any shell command) as a test runs it: the exit code and what it printed.
#pragma once

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <sys/wait.h>

struct CliOutput {
    int code = -1;
    std::string text;  // stdout, and stderr unless sent elsewhere
};

// A shell command's exit code and output (stdout; stderr as the command redirects it).
inline CliOutput runShell(const std::string& command) {
    CliOutput out;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buffer{};
    size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.text.append(buffer.data(), n);
    const int status = pclose(pipe);
    out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

// `args` as a shell reads them; `stderrTo` says where stderr goes (" 2>&1": into text).
inline CliOutput runRingsim(const std::string& args, const char* stderrTo = " 2>&1") {
    return runShell(std::string(RINGSIM_CLI) + " " + args + stderrTo);
}
