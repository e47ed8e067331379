// The headless commands behind `ringsim`. Each returns the process exit code:
// 0 success, 1 the guest or run failed (reported), 2 bad usage or input.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "run.h"

namespace ringsim::cli {

struct GuestArgs {
    std::string kernel;
    std::vector<std::string> programs;
    std::vector<std::string> defines;  // NAME or NAME=VALUE
};

struct RunArgs {
    GuestArgs guest;
    RunOptions options;
    std::string format = "text";  // text | json
};
int runCommand(const RunArgs& args, std::ostream& out, std::ostream& err);

struct CompareArgs {
    GuestArgs guest;
    RunOptions options;
    std::vector<std::string> modes = {"all"};
    std::string format = "text";  // text | csv | json
};
int compareCommand(const CompareArgs& args, std::ostream& out, std::ostream& err);

struct TraceArgs {
    GuestArgs guest;
    RunOptions options;
    uint64_t limit = 200;
    std::vector<std::string> kinds;  // empty: all
};
int traceCommand(const TraceArgs& args, std::ostream& out, std::ostream& err);

struct AsmArgs {
    std::string file;
    std::string output;  // empty: check and summarise only
    std::vector<std::string> defines;
    bool listing = false;
};
int asmCommand(const AsmArgs& args, std::ostream& out, std::ostream& err);

struct DisasmArgs {
    std::string file;
    uint32_t origin = 0;  // for raw binaries
    std::vector<std::string> defines;
};
int disasmCommand(const DisasmArgs& args, std::ostream& out, std::ostream& err);

struct BenchArgs {
    std::string mode = "native";
    std::string preset = std::string(kDefaultPreset);
    double seconds = 1.0;
    std::string format = "text";
};
int benchCommand(const BenchArgs& args, std::ostream& out, std::ostream& err);

int isaCommand(const std::string& format, std::ostream& out);

// "NAME" / "NAME=VALUE" -> defines; throws InputError on a bad one.
std::map<std::string, int64_t> parseDefines(const std::vector<std::string>& defines);

}  // namespace ringsim::cli
