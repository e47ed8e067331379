// ringsim: the headless command line. Parses arguments and hands over to the
// commands in commands.cpp. Exit codes: 0 ok, 1 the guest failed, 2 bad input.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/disk_command.h"
#include "cli/pool_command.h"
#include "cli/net_command.h"
#include "cli/sweep_command.h"
#include "monitors/monitor.h"
#include "cpu-model/costs.h"

namespace {

using namespace ringsim;

const char* const kIncludeHelp = "folder searched by .include after the including file's own; repeatable (the bundled library: scenarios/guests)";

void addGuestOptions(CLI::App* cmd, cli::GuestArgs& guest) {
    cmd->add_option("FILE", guest.kernel, "a scenario (.yaml), or a kernel source (.s): the guest's kernel, started in ring 0")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("-p,--program", guest.programs, "user program source (.s) for the kernel to start; repeatable")
        ->check(CLI::ExistingFile);
    cmd->add_option("-D,--define", guest.defines, "assembler symbol NAME or NAME=VALUE; repeatable");
    cmd->add_option("-I,--include-dir", guest.includeDirs, kIncludeHelp)->check(CLI::ExistingDirectory);
}

void addInstanceOptions(CLI::App* cmd, cli::InstanceArgs& instances, RunOptions& options, bool perMode) {
    if (perMode) {
        cmd->add_option("--vms", instances.vms, "run N instances of the guest as VMs under one monitor (a VM mode)")
            ->check(CLI::Range(1, 256));
        cmd->add_option("--containers", instances.containers,
                        "run the programs in N containers on one host kernel (--mode container)")
            ->check(CLI::Range(1, 31));
    } else {
        cmd->add_option("--instances", instances.instances,
                        "N instances in every mode: N VMs, N containers, N processes natively")
            ->check(CLI::Range(1, 256));
    }
    cmd->add_option("--weights", options.weights, "CPU weight of each instance (VMs 1-65535, default 256; "
                                                  "containers 1-10000, default 100)")
        ->delimiter(',');
    cmd->add_option("--slice", options.sliceCycles, "the VM scheduler's time slice in cycles")->capture_default_str();
}

// `mode`: where --mode goes, or null for a command that runs every mode it is given (compare).
void addRunOptions(CLI::App* cmd, RunOptions& options, std::string* mode) {
    if (mode) cmd->add_option("--mode", *mode, "how the guest runs: " + knownModeNames())->capture_default_str();
    cmd->add_option("--preset", options.preset, "cost preset: modern, vtx-2006")->capture_default_str();
    cmd->add_option("--cost", options.costOverrides, "override one cost, name=value (e.g. trap_entry=300); repeatable");
    cmd->add_option("--max-cycles", options.maxCycles, "cycle budget: the run stops here at the latest")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t(1), uint64_t(1) << 50));
    cmd->add_option("--memory", options.memoryBytes, "physical memory in bytes (of each VM, with --vms)")
        ->capture_default_str();
    cmd->add_flag("--strict", options.strict, "a strict CPU: every sensitive instruction traps above ring 0");
    cmd->add_flag("!--no-hardware-assist", options.hardwareAssist, "a CPU without root/non-root mode (no VT-x)");
    cmd->add_option("--paging", options.paging, "hw-assist memory virtualisation: auto, nested, shadow")
        ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ringsim: a simulator of protection rings and the approaches to virtualisation.\n"
                 "A toy CPU with rings -1..3 runs a small guest kernel and its programs."};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "help for every command");

    cli::RunArgs runArgs;
    auto* run = app.add_subcommand("run", "run a scenario (.yaml) or a guest (kernel .s + programs) and print its "
                                          "console output and counters");
    addGuestOptions(run, runArgs.guest);
    addRunOptions(run, runArgs.options, &runArgs.mode);
    addInstanceOptions(run, runArgs.instances, runArgs.options, true);
    run->add_option("--format", runArgs.format, "text or json")->capture_default_str();
    run->add_option("--nic", runArgs.options.nic, "give the guest a NIC of this model (e1000) on a switch with the "
                                                  "outside peer 10.0.0.1, the kernel built with its driver (NET=1; "
                                                  "docs/network.md)");
    run->add_option("--pcap", runArgs.options.pcap, "with --nic: write every frame the switch forwards to this "
                                                    "pcapng file");
    run->add_option("--disk", runArgs.disk,
                    "a disk front end for the kernel's file store: ide (emulated, register by register) or virtio "
                    "(paravirtual, a shared ring); builds the kernel with -D FILESTORE=1")
        ->capture_default_str();

    cli::CompareArgs compareArgs;
    auto* compare = app.add_subcommand("compare", "run scenarios (or one guest) in several modes and presets and "
                                                  "compare the costs");
    compare->add_option("FILES", compareArgs.files, "scenario files (.yaml), or one kernel source (.s) with -p programs")
        ->required()
        ->check(CLI::ExistingFile);
    compare->add_option("-p,--program", compareArgs.guest.programs, "user program source, with a kernel source")
        ->check(CLI::ExistingFile);
    compare->add_option("-D,--define", compareArgs.guest.defines, "assembler symbol, with a kernel source");
    compare->add_option("-I,--include-dir", compareArgs.guest.includeDirs, kIncludeHelp)->check(CLI::ExistingDirectory);
    addRunOptions(compare, compareArgs.options, nullptr);
    addInstanceOptions(compare, compareArgs.instances, compareArgs.options, false);
    compare->add_option("--modes", compareArgs.modes, "modes to compare (" + knownModeNames() + "), or all (default: each scenario's own)")
        ->delimiter(',');
    compare->add_option("--presets", compareArgs.presets, "cost presets to compare (default: each scenario's own)")
        ->delimiter(',');
    compare->add_option("--jobs,-j", compareArgs.jobs, "threads (default: every core); results do not depend on it");
    compare->add_option("--format", compareArgs.format, "text, csv or json")->capture_default_str();

    cli::TraceArgs traceArgs;
    auto* trace = app.add_subcommand("trace", "run a guest and print one line per event");
    addGuestOptions(trace, traceArgs.guest);
    addRunOptions(trace, traceArgs.options, &traceArgs.mode);
    addInstanceOptions(trace, traceArgs.instances, traceArgs.options, true);
    trace->add_option("--limit", traceArgs.limit, "stop after this many events")->capture_default_str();
    trace->add_flag("--receipts", traceArgs.receipts,
                    "under each event, its receipt: the mechanism, the route through the rings, the costs charged");
    trace->add_option("--kinds", traceArgs.kinds, "only these event kinds (e.g. syscall,fault,interrupt)")
        ->delimiter(',');

    cli::AsmArgs asmArgs;
    auto* assemble = app.add_subcommand("asm", "assemble a source file (check it, list it, or write a raw image with -o)");
    assemble->add_option("FILE", asmArgs.file, "source (.s)")->required();
    assemble->add_option("-o,--output", asmArgs.output, "write the raw image here");
    assemble->add_option("-D,--define", asmArgs.defines, "symbol NAME or NAME=VALUE; repeatable");
    assemble->add_option("-I,--include-dir", asmArgs.includeDirs, kIncludeHelp)->check(CLI::ExistingDirectory);
    assemble->add_flag("-l,--listing", asmArgs.listing, "print a listing: address, instruction, source line");

    cli::DisasmArgs disasmArgs;
    auto* disasm = app.add_subcommand("disasm", "disassemble a source file (.s) or a raw image");
    disasm->add_option("FILE", disasmArgs.file, "source (.s) or raw image")->required();
    disasm->add_option("--origin", disasmArgs.origin, "load address of a raw image")->capture_default_str();
    disasm->add_option("-D,--define", disasmArgs.defines, "symbol NAME or NAME=VALUE (for sources)");
    disasm->add_option("-I,--include-dir", disasmArgs.includeDirs, kIncludeHelp)->check(CLI::ExistingDirectory);

    cli::BenchArgs benchArgs;
    auto* bench = app.add_subcommand("bench", "measure the simulator's own speed on a compute-bound guest");
    bench->add_option("--mode", benchArgs.mode, "mode to measure (default native; hw-assist with --vms)");
    bench->add_option("--vms", benchArgs.vms, "run the bench guest as N VMs under one monitor")
        ->check(CLI::Range(1, 256));
    bench->add_option("--preset", benchArgs.preset, "cost preset")->capture_default_str();
    bench->add_option("--seconds", benchArgs.seconds, "how long to run")->capture_default_str();
    bench->add_option("--format", benchArgs.format, "text or json")->capture_default_str();
    bench->add_option("--compare-ceiling", benchArgs.ceiling,
                      "run a bare interpreter (executable, or C++ source built with g++ -O2 -std=c++20) in "
                      "alternation with the bench and print both rates and their ratio");
    bench->add_option("--rounds", benchArgs.rounds, "rounds of --compare-ceiling")->capture_default_str();

    cli::CheckArgs checkArgs;
    auto* check = app.add_subcommand("check", "run scenarios and check their expected outcomes (PASS/FAIL each)");
    check->add_option("FILES", checkArgs.files, "scenario files (.yaml)")->required()->check(CLI::ExistingFile);
    check->add_option("--jobs,-j", checkArgs.jobs, "threads (default: every core)");

    cli::TourArgs tourArgs;
    auto* tour = app.add_subcommand("tour", "print a scenario's guided tour, each stop with its values filled in");
    tour->add_option("FILE", tourArgs.file, "scenario file (.yaml)")->required()->check(CLI::ExistingFile);
    tour->add_option("--mode", tourArgs.mode, "the mode to tour (default: the tour's first)");

    cli::ExplainArgs explainArgs;
    auto* explain = app.add_subcommand("explain", "run a scenario to one event and explain it: the instruction, its "
                                                  "class, the mechanism in this mode, where control went, its cost");
    explain->add_option("FILE", explainArgs.file, "scenario file (.yaml)")->required()->check(CLI::ExistingFile);
    explain->add_option("--mode", explainArgs.mode, "the mode to run (default: the scenario's)");
    explain->add_option("--event", explainArgs.event, "the event's number, from 0 (default: 0)");
    explain->add_option("--kind", explainArgs.kind, "the first event of this kind from --event on (e.g. vm-exit)");

    cli::ListArgs listArgs;
    auto* list = app.add_subcommand("list", "list the bundled scenarios with their titles");
    list->add_option("FOLDER", listArgs.folder, "a folder of scenarios instead of the bundled ones");

    cli::PaperArgs paperArgs;
    auto* paper = app.add_subcommand("paper", "run a paper's experiments in ringsim and print them beside the "
                                              "paper's own figures (docs/papers.md)");
    paper->add_option("NAMES", paperArgs.names, "the papers (see --list)");
    paper->add_flag("--all", paperArgs.all, "every bundled paper");
    paper->add_flag("--list", paperArgs.list, "list the bundled papers");
    paper->add_flag("--targets", paperArgs.targets, "only issue 15's targets, and whether each holds today");
    paper->add_option("--jobs,-j", paperArgs.jobs, "threads (default: every core); results do not depend on it");
    paper->add_option("--format", paperArgs.format, "text, csv or json")->capture_default_str();

    std::string isaFormat = "text";
    auto* isaCmd = app.add_subcommand("isa", "print the instruction table");
    isaCmd->add_option("--format", isaFormat, "text or markdown")->capture_default_str();

    cli::DiskArgs diskArgs;
    auto* disk = cli::addDiskCommand(app, diskArgs);
    cli::PoolArgs poolArgs;
    auto* pool = cli::addPoolCommand(app, poolArgs);

    cli::NetArgs netArgs;
    auto* net = cli::addNetCommand(app, netArgs);

    cli::SweepArgs sweepArgs;
    auto* sweep = cli::addSweepCommand(app, sweepArgs);
    cli::MergeArgs mergeArgs;
    auto* merge = cli::addMergeCommand(app, mergeArgs);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    auto given = [](CLI::App* cmd) {
        return cli::GivenOptions{cmd->count("--mode") > 0, cmd->count("--preset") > 0, cmd->count("--max-cycles") > 0};
    };
    runArgs.given = given(run);
    traceArgs.given = given(trace);
    if (*run) return cli::runCommand(runArgs, std::cout, std::cerr);
    if (*check) return cli::checkCommand(checkArgs, std::cout, std::cerr);
    if (*tour) return cli::tourCommand(tourArgs, std::cout, std::cerr);
    if (*list) return cli::listCommand(listArgs, std::cout, std::cerr);
    if (*explain) return cli::explainCommand(explainArgs, std::cout, std::cerr);
    if (*compare) return cli::compareCommand(compareArgs, std::cout, std::cerr);
    if (*trace) return cli::traceCommand(traceArgs, std::cout, std::cerr);
    if (*assemble) return cli::asmCommand(asmArgs, std::cout, std::cerr);
    if (*disasm) return cli::disasmCommand(disasmArgs, std::cout, std::cerr);
    if (*bench) return cli::benchCommand(benchArgs, std::cout, std::cerr);
    if (*paper) return cli::paperCommand(paperArgs, std::cout, std::cerr);
    if (*isaCmd) return cli::isaCommand(isaFormat, std::cout);
    if (*disk) return cli::diskCommand(*disk, diskArgs, std::cout, std::cerr);
    if (*pool) return cli::poolCommand(*pool, poolArgs, std::cout, std::cerr);
    if (*net) return cli::netCommand(*net, netArgs, std::cout, std::cerr);
    if (*sweep) return cli::sweepCommand(sweepArgs, std::cout, std::cerr);
    if (*merge) return cli::mergeCommand(mergeArgs, std::cout, std::cerr);
    return 2;
}
