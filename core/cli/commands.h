// The headless commands behind `ringsim`. Each returns the process exit code:
// 0 success, 1 the guest or run failed (reported), 2 bad usage or input.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "run/run.h"

namespace ringsim::cli {

struct GuestArgs {
    std::string kernel;
    std::vector<std::string> programs;
    std::vector<std::string> defines;  // NAME or NAME=VALUE
    std::vector<std::string> includeDirs;  // -I DIR: searched by .include after the including file's folder
};

// How many instances run side by side: `--vms N` (a VM mode), `--containers
// N` (container mode), or `--instances N` (any mode); 0 = not given.
struct InstanceArgs {
    uint32_t vms = 0;
    uint32_t containers = 0;
    uint32_t instances = 0;
};
// Checks the counts against the mode and sets options.instances.
void applyInstances(const InstanceArgs& args, RunOptions& options);

// The options a user gave explicitly (a scenario's own settings give way only to these).
struct GivenOptions {
    bool mode = false;
    bool preset = false;
    bool maxCycles = false;
};

struct RunArgs {
    GuestArgs guest;  // guest.kernel may be a scenario (.yaml) instead
    std::string mode = "native";  // as typed: becomes options.mode
    RunOptions options;
    InstanceArgs instances;
    GivenOptions given;
    std::string format = "text";  // text | json
    std::string disk = "none";    // --disk: none | ide | virtio (a kernel source's run only)
};
int runCommand(const RunArgs& args, std::ostream& out, std::ostream& err);

struct CompareArgs {
    std::vector<std::string> files;  // scenarios (.yaml), or one kernel source with programs
    GuestArgs guest;                 // programs and defines for a kernel source
    RunOptions options;
    InstanceArgs instances;
    std::vector<std::string> modes;    // empty: each scenario's own (all for a kernel source)
    std::vector<std::string> presets;  // empty: each scenario's own
    unsigned jobs = 0;                 // 0: every core
    std::string format = "text";  // text | csv | json
};
int compareCommand(const CompareArgs& args, std::ostream& out, std::ostream& err);

struct TraceArgs {
    GuestArgs guest;
    std::string mode = "native";  // as typed: becomes options.mode
    RunOptions options;
    InstanceArgs instances;
    GivenOptions given;
    uint64_t limit = 200;
    std::vector<std::string> kinds;  // empty: all
    bool receipts = false;           // a second line per event: its mechanism, route and cost items
};
int traceCommand(const TraceArgs& args, std::ostream& out, std::ostream& err);

struct AsmArgs {
    std::string file;
    std::string output;  // empty: check and summarise only
    std::vector<std::string> defines;
    std::vector<std::string> includeDirs;
    bool listing = false;
};
int asmCommand(const AsmArgs& args, std::ostream& out, std::ostream& err);

struct DisasmArgs {
    std::string file;
    uint32_t origin = 0;  // for raw binaries
    std::vector<std::string> defines;
    std::vector<std::string> includeDirs;
};
int disasmCommand(const DisasmArgs& args, std::ostream& out, std::ostream& err);

struct BenchArgs {
    std::string mode;  // empty: native, or hw-assist with --vms
    uint32_t vms = 0;  // run the bench guest as this many VMs
    std::string preset = std::string(kDefaultPreset);
    double seconds = 1.0;
    std::string format = "text";
    // --compare-ceiling: a bare interpreter (an executable, or a C++ source
    // to build with ${CXX:-g++} -O2 -std=c++20) run in alternation with the bench.
    std::string ceiling;
    unsigned rounds = 4;
};
int benchCommand(const BenchArgs& args, std::ostream& out, std::ostream& err);

// One measurement of `ringsim bench` (what benchCommand prints).
struct BenchFigures {
    Mode mode{};
    double mips = 0, seconds = 0;
    uint64_t instructions = 0, cycles = 0, tlbMisses = 0, events = 0;
    std::string stopped;  // why the bench guest stopped early; empty if it ran its time
};
BenchFigures measureBench(const BenchArgs& args);
// `ringsim bench --compare-ceiling` (bench_ceiling.cpp).
int compareCeilingCommand(const BenchArgs& args, std::ostream& out, std::ostream& err);

int isaCommand(const std::string& format, std::ostream& out);

struct CheckArgs {
    std::vector<std::string> files;
    unsigned jobs = 0;
};
int checkCommand(const CheckArgs& args, std::ostream& out, std::ostream& err);

struct TourArgs {
    std::string file;
    std::string mode;  // empty: the tour's first mode
};
int tourCommand(const TourArgs& args, std::ostream& out, std::ostream& err);

struct ExplainArgs {
    std::string file;      // a scenario (.yaml)
    std::string mode;      // empty: the scenario's default mode
    uint64_t event = 0;    // the event's number in the run (from 0, as the GUI's event log numbers them)
    std::string kind;      // if given: the first event of this kind numbered `event` or later
};
int explainCommand(const ExplainArgs& args, std::ostream& out, std::ostream& err);

struct ListArgs {
    std::string folder;  // empty: the bundled scenarios
};
int listCommand(const ListArgs& args, std::ostream& out, std::ostream& err);

struct PaperArgs {
    std::vector<std::string> names;  // bundled papers (--list names them)
    bool all = false;
    bool list = false;
    bool targets = false;  // only issue 15's targets: which hold today
    unsigned jobs = 0;     // 0: every core
    std::string format = "text";  // text | csv | json
};
int paperCommand(const PaperArgs& args, std::ostream& out, std::ostream& err);

// "NAME" / "NAME=VALUE" -> defines; throws InputError on a bad one.
std::map<std::string, int64_t> parseDefines(const std::vector<std::string>& defines);

}  // namespace ringsim::cli
