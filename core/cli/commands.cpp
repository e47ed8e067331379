#include "cli/commands.h"
#include "cli/run_watch.h"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <unistd.h>

#include "bench_guest.h"
#include "cpu-model/disassembler.h"
#include "report/compare.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"
#include "report/matrix.h"
#include "report/check.h"
#include "lesson/tour_run.h"
#include "machine/errors.h"
#include "lesson/explain.h"
#include "machine/hypercalls.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "report/json_text.h"
#include "report/report.h"
#include "run/session.h"
#include "run/vm_host.h"

namespace ringsim::cli {

std::map<std::string, int64_t> parseDefines(const std::vector<std::string>& defines) {
    std::map<std::string, int64_t> out;
    for (const auto& d : defines) {
        auto eq = d.find('=');
        std::string name = d.substr(0, eq);
        int64_t value = 1;
        if (eq != std::string::npos) {
            const std::string text = d.substr(eq + 1);
            try {
                size_t used = 0;
                value = std::stoll(text, &used, 0);
                if (used != text.size()) throw std::invalid_argument(text);
            } catch (const std::exception&) {
                throw InputError(fmt::format("define '{}': '{}' is not a number", name, text));
            }
        }
        if (name.empty()) throw InputError(fmt::format("define '{}' has no name", d));
        out[name] = value;
    }
    return out;
}

namespace {
// The modes with a fact, for messages: "trap-emulate, binary-translation, ...".
std::string modesWhere(bool ModeInfo::*fact) {
    std::string names;
    for (const ModeInfo& m : modeTable())
        if (m.*fact) names += fmt::format("{}{}", names.empty() ? "" : ", ", m.name);
    return names;
}
}  // namespace

void applyInstances(const InstanceArgs& args, RunOptions& options) {
    const ModeInfo& mode = modeInfo(options.mode);
    const int given = (args.vms != 0) + (args.containers != 0) + (args.instances != 0);
    if (given > 1) throw InputError("give only one of --vms, --containers and --instances");
    if (args.vms && !mode.virtualMachine)
        throw InputError(fmt::format("--vms needs a mode that runs virtual machines ({}), not {}{}",
                                     modesWhere(&ModeInfo::virtualMachine), options.mode,
                                     mode.containers ? "; use --containers" : ""));
    if (args.containers && !mode.containers)
        throw InputError(fmt::format("--containers needs --mode {}, not {}{}", modesWhere(&ModeInfo::containers),
                                     options.mode, mode.virtualMachine ? "; use --vms for virtual machines" : ""));
    if (given) options.instances = args.vms + args.containers + args.instances;
}

namespace {

GuestImages assemble(const GuestArgs& args) {
    GuestSources sources;
    sources.kernel = args.kernel;
    sources.programs = args.programs;
    sources.defines = parseDefines(args.defines);
    sources.includeDirs = args.includeDirs;
    return assembleGuest(sources);
}

// A scenario made on the spot from a kernel source, its programs and the
// command line's options (what compare did before scenarios existed).
Scenario scenarioFromCommandLine(const GuestArgs& guest, const RunOptions& options, const std::vector<Mode>& modes) {
    Scenario s;
    s.path = guest.kernel;
    s.name = std::filesystem::path(guest.kernel).stem().string();
    s.title = s.name + " with " + std::to_string(guest.programs.size()) + " programs";
    s.machine.memoryBytes = options.memoryBytes;
    s.machine.strict = options.strict;
    s.machine.hardwareAssist = options.hardwareAssist;
    s.machine.paging = options.paging;
    s.machine.preset = options.preset;
    s.machine.costOverrides = options.costOverrides;
    s.machine.maxCycles = options.maxCycles;
    s.guests.kernel = guest.kernel;
    s.guests.programs = guest.programs;
    s.guests.defines = parseDefines(guest.defines);
    s.guests.includeDirs = guest.includeDirs;
    s.guests.instances = std::max<uint32_t>(options.instances, 1);
    s.guests.weights = options.weights;
    s.guests.sliceCycles = options.sliceCycles;
    s.modes = modes;
    s.defaultMode = s.modes.front();
    return s;
}

bool isScenarioFile(const std::string& path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

// A scenario as the run's guest and options: its default mode unless --mode
// was given, its preset unless --preset was, the command line's cost
// overrides after its own.
std::pair<GuestImages, RunOptions> scenarioGuest(const GuestArgs& guest, const RunOptions& cli,
                                                 const GivenOptions& given) {
    if (!guest.programs.empty() || !guest.defines.empty() || !guest.includeDirs.empty())
        throw InputError(fmt::format("{}: a scenario names its own programs and defines; -p, -D and -I do not apply",
                                     guest.kernel));
    const Scenario scenario = loadScenario(guest.kernel);
    const Mode mode = given.mode ? cli.mode : scenario.defaultMode;
    RunOptions options = scenario.optionsFor(mode, given.preset ? cli.preset : "");
    options.costOverrides.insert(options.costOverrides.end(), cli.costOverrides.begin(), cli.costOverrides.end());
    if (given.maxCycles) options.maxCycles = cli.maxCycles;
    if (!cli.nic.empty()) options.nic = cli.nic;
    if (!cli.pcap.empty()) options.pcap = cli.pcap;
    Scenario only = scenario;
    only.modes = {mode};
    return {ScenarioImages(only).forMode(mode), options};
}

// The guest and options of run / trace: a scenario, or sources and options.
std::pair<GuestImages, RunOptions> guestAndOptions(const GuestArgs& guest, const RunOptions& cli,
                                                   const InstanceArgs& instances, const GivenOptions& given) {
    if (isScenarioFile(guest.kernel)) {
        auto resolved = scenarioGuest(guest, cli, given);
        if (instances.vms || instances.containers || instances.instances)
            applyInstances(instances, resolved.second);
        return resolved;
    }
    RunOptions options = cli;
    applyInstances(instances, options);
    return {assemble(guest), options};
}

// --disk ide|virtio: the machine gets that front end and the kernel its file
// store (-D FILESTORE=1, which finds the front end by probing).
DiskFrontEndKind withDiskFrontEnd(const std::string& name, GuestArgs& guest) {
    const auto kind = diskFrontEndFromName(name);
    if (!kind) throw InputError(fmt::format("unknown disk front end '{}' (known: none, ide, virtio)", name));
    if (*kind == DiskFrontEndKind::None) return *kind;
    if (isScenarioFile(guest.kernel))
        throw InputError(fmt::format("{}: --disk applies to a kernel source; a scenario names its front end "
                                     "(machine: disk: ide|virtio)",
                                     guest.kernel));
    guest.defines.push_back("FILESTORE=1");
    return *kind;
}

// A NIC given to a kernel source needs the kernel's driver and stack: built in
// with NET=1 (a scenario's machine.nic does the same), unless the user set it.
void withNicDriver(const std::string& nic, GuestArgs& guest) {
    if (nic.empty() || isScenarioFile(guest.kernel)) return;
    for (const auto& d : guest.defines)
        if (d == "NET" || d.starts_with("NET=")) return;
    guest.defines.push_back("NET=1");
}

// A failed run is reported on stderr with its reason; exit code 1.
int reportStop(const RunResult& result, std::ostream& err) {
    if (result.succeeded()) return 0;
    err << fmt::format("ringsim: the guest did not halt cleanly: {}{}{}\n", stopReasonName(result.stopReason),
                       result.stopMessage.empty() ? "" : ": ", result.stopMessage);
    return 1;
}

template <typename F>
int guarded(std::ostream& err, F&& body) {
    try {
        return body();
    } catch (const InputError& e) {
        err << e.what() << "\n";
        return 2;
    }
}

}  // namespace

int runCommand(const RunArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        if (args.format != "text" && args.format != "json")
            throw InputError(fmt::format("unknown format '{}' (known: text, json)", args.format));
        RunOptions typed = args.options;
        typed.mode = parseMode(args.mode);
        GuestArgs guestArgs = args.guest;
        typed.diskFrontEnd = withDiskFrontEnd(args.disk, guestArgs);
        withNicDriver(typed.nic, guestArgs);
        const auto [guest, options] = guestAndOptions(guestArgs, typed, args.instances, args.given);
        if (!options.pcap.empty() && options.nic.empty())
            throw InputError(fmt::format("--pcap '{}': the run has no NIC to capture (add --nic e1000)", options.pcap));
        bool interrupted = false;
        const RunResult result = runWatched(guest, options, err, isatty(STDERR_FILENO) != 0, interrupted);
        if (args.format == "json") {
            out << dumpJson(toJson(result)) << "\n";
        } else {
            auto print = [&](const std::string& text) {
                out << text;
                if (!text.empty() && text.back() != '\n') out << "\n";
            };
            if (result.guests.size() > 1) {
                // Each guest's own console, line by line, behind its name.
                for (const auto& g : result.guests) {
                    std::string_view text = g.console;
                    while (!text.empty()) {
                        const size_t end = text.find('\n');
                        out << "[" << g.name << "] " << text.substr(0, end) << "\n";
                        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
                    }
                }
            } else {
                print(result.console);
            }
            if (!result.hostConsole.empty()) {
                out << "--- the host's console stream\n";
                print(result.hostConsole);
            }
            out << "---\n" << toText(result);
        }
        if (interrupted) {
            err << fmt::format("ringsim: interrupted (Ctrl-C) at cycle {}: the counters are the run's so far\n",
                               result.totalCycles);
            return 130;  // the shell's code for a command ended by SIGINT
        }
        return reportStop(result, err);
    });
}

int compareCommand(const CompareArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        if (args.format != "text" && args.format != "csv" && args.format != "json")
            throw InputError(fmt::format("unknown format '{}' (known: text, csv, json)", args.format));
        if (args.instances.vms || args.instances.containers)
            throw InputError("compare runs every mode with the same number of instances: use --instances N "
                             "(N VMs in each VM mode, N containers in container mode, N processes natively)");
        if (args.files.empty()) throw InputError("compare: give scenario files (.yaml), or a kernel source");
        std::vector<Scenario> scenarios;
        const bool yaml = isScenarioFile(args.files.front());
        for (const auto& f : args.files)
            if (isScenarioFile(f) != yaml || (!yaml && args.files.size() > 1))
                throw InputError(fmt::format("{}: compare takes scenario files (.yaml), or one kernel source "
                                             "with its programs (-p), not both",
                                             f));
        if (yaml) {
            if (!args.guest.programs.empty() || !args.guest.defines.empty() || !args.guest.includeDirs.empty())
                throw InputError("a scenario names its own programs and defines; -p, -D and -I do not apply");
            for (const auto& f : args.files) scenarios.push_back(loadScenario(f));
            if (args.instances.instances)
                for (auto& s : scenarios) s.guests.instances = args.instances.instances;
        } else {
            // A kernel source with programs: a scenario made on the spot from the command line.
            RunOptions options = args.options;
            if (args.instances.instances) options.instances = args.instances.instances;
            GuestArgs guest = args.guest;
            guest.kernel = args.files.front();
            scenarios.push_back(scenarioFromCommandLine(guest, options, args.modes.empty() ? allModes()
                                                                                           : parseModes(args.modes)));
        }
        MatrixRequest request;
        request.modes = parseModes(args.modes);
        request.presets = args.presets;
        request.jobs = args.jobs;
        const auto cells = runMatrix(scenarios, request);
        if (args.format == "json")
            out << matrixJson(cells);
        else if (args.format == "csv")
            out << matrixCsv(cells);
        else
            out << matrixText(cells);
        return 0;
    });
}

int checkCommand(const CheckArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        std::vector<Scenario> scenarios;
        for (const auto& f : args.files) scenarios.push_back(loadScenario(f));
        size_t failed = 0, total = 0;
        for (const auto& scenario : scenarios) {
            out << fmt::format("{} — {}\n", scenario.path, scenario.title);
            for (const auto& line : checkScenario(scenario, args.jobs)) {
                ++total;
                failed += !line.passed;
                // The mode and preset it was checked in, then the fact itself.
                Expectation fact = *line.expectation;
                fact.modes.clear();
                fact.preset.clear();
                const std::string where = line.mode ? fmt::format("{}: ", *line.mode) : "";
                const std::string preset = line.preset == scenario.machine.preset ? "" : " [" + line.preset + "]";
                out << fmt::format("  {}  {}{}{}  ({})\n", line.passed ? "PASS" : "FAIL", where, fact.describe(),
                                   preset, line.measured);
            }
        }
        out << fmt::format("{} of {} expectations passed\n", total - failed, total);
        return failed ? 1 : 0;
    });
}

int tourCommand(const TourArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        const Scenario scenario = loadScenario(args.file);
        if (!scenario.tour) throw InputError(fmt::format("{}: this scenario has no tour", args.file));
        const Mode mode = args.mode.empty() ? scenario.tour->modes.front() : parseMode(args.mode);
        const TourRun tour = runTour(scenario, mode);
        out << fmt::format("{} — {} ({})\n\n", scenario.title, mode, scenario.path);
        for (const auto& stop : tour.reached)
            out << fmt::format("stop {} of {} — cycle {}\n{}\n\n", stop.index + 1, tour.stops, stop.cycle,
                               stop.text);
        if (!tour.complete()) {
            err << fmt::format("ringsim tour: stop {} of {} was never reached in {} (the guest {}{}{})\n",
                               tour.reached.size() + 1, tour.stops, mode, stopReasonName(tour.result.stopReason),
                               tour.result.stopMessage.empty() ? "" : ": ", tour.result.stopMessage);
            return 1;
        }
        out << fmt::format("the tour reached all {} stops\n", tour.stops);
        return 0;
    });
}

int explainCommand(const ExplainArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        std::optional<EventKind> kind;
        if (!args.kind.empty() && !(kind = eventKindFromName(args.kind))) {
            std::string known;
            for (size_t i = 0; i < kEventKindCount; ++i)
                known += fmt::format("{}{}", i ? ", " : "", eventKindName(EventKind(i)));
            throw InputError(fmt::format("unknown event kind '{}' (known: {})", args.kind, known));
        }
        const Scenario scenario = loadScenario(args.file);
        const Mode mode = args.mode.empty() ? scenario.defaultMode : parseMode(args.mode);
        Scenario only = scenario;
        only.modes = {mode};
        const ScenarioImages images(only);
        const GuestImages& guest = images.forMode(mode);
        Session session(guest, scenario.optionsFor(mode));
        // Runs until the event wanted is recorded: it is then the newest, so the log still holds it.
        std::optional<uint64_t> found;
        session.setListener([&](const Event& e) {
            const uint64_t number = session.machine().events.total() - 1;
            // The first that fits: one instruction may record several events before the run stops.
            if (!found && number >= args.event && (!kind || e.kind == *kind)) found = number;
            return !found;
        });
        session.run();
        const EventLog& log = session.machine().events;
        if (!found) {
            const std::string which = kind ? fmt::format("no {} event numbered {} or later", args.kind, args.event)
                                           : fmt::format("no event {}", args.event);
            err << fmt::format("ringsim explain: {} in {} ({} events in the run, which {})\n", which, mode, log.total(),
                               stopReasonName(session.lastStop()));
            return 1;
        }
        const Event& e = log.at(*found);
        out << fmt::format("event {} of {} in {}: {}\n\n", *found, scenario.name, mode, describeEvent(e));
        out << explanationText(explainEvent(e, mode, guest));
        return 0;
    });
}

int listCommand(const ListArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        const std::string folder = args.folder.empty() ? bundledScenarioFolder() : args.folder;
        std::error_code ec;
        if (!std::filesystem::is_directory(folder, ec))
            throw InputError(fmt::format("{}: no such folder of scenarios", folder));
        std::vector<std::string> files;
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            if (entry.is_regular_file() && isScenarioFile(entry.path().string())) files.push_back(entry.path().string());
        std::sort(files.begin(), files.end());
        size_t width = 0;
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& f : files) {
            std::string title;
            try {
                title = loadScenario(f).title;
            } catch (const InputError& e) {
                title = std::string("(does not load: ") + e.what() + ")";
            }
            rows.emplace_back(std::filesystem::path(f).filename().string(), title);
            width = std::max(width, rows.back().first.size());
        }
        for (const auto& [name, title] : rows) out << fmt::format("{:<{}}  {}\n", name, width, title);
        out << fmt::format("({} {} in {})\n", rows.size(), rows.size() == 1 ? "scenario" : "scenarios", folder);
        return 0;
    });
}

int traceCommand(const TraceArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        std::array<bool, kEventKindCount> wanted{};
        wanted.fill(args.kinds.empty());
        for (const auto& name : args.kinds) {
            auto kind = eventKindFromName(name);
            if (!kind) {
                std::string known;
                for (size_t i = 0; i < kEventKindCount; ++i)
                    known += fmt::format("{}{}", i ? ", " : "", eventKindName(EventKind(i)));
                throw InputError(fmt::format("unknown event kind '{}' (known: {})", name, known));
            }
            wanted[size_t(*kind)] = true;
        }
        RunOptions typed = args.options;
        typed.mode = parseMode(args.mode);
        const auto [guest, options] = guestAndOptions(args.guest, typed, args.instances, args.given);
        uint64_t printed = 0;
        out << fmt::format("{:>12}  {:<3}  {:<13}  {:<22} {}\n", "cycle", "vm", "ring", "kind", "detail");
        const RunResult result = runGuest(guest, options, [&](const Event& e) {
            if (!wanted[size_t(e.kind)]) return true;
            out << describeEvent(e) << "\n";
            if (args.receipts) out << fmt::format("{:>14}{}\n", "", describeReceipt(e.receipt));
            return ++printed < args.limit;
        });
        if (printed >= args.limit) {
            out << fmt::format("(stopped after {} {}; --limit changes this)\n", printed, printed == 1 ? "event" : "events");
            return 0;
        }
        out << fmt::format("({} {}; {})\n", printed, printed == 1 ? "event" : "events",
                           result.succeeded() ? std::string("the guest halted")
                                              : fmt::format("the run stopped: {}", stopReasonName(result.stopReason)));
        return reportStop(result, err);
    });
}

namespace {
// One source file assembled as asm and disasm take it; InputError with every diagnostic.
assembler::Program assembleSource(const std::string& file, const std::vector<std::string>& defines,
                                  const std::vector<std::string>& includeDirs) {
    assembler::Options options;
    options.defines = parseDefines(defines);
    options.includeDirs = includeDirs;
    auto result = assembler::assembleFile(file, options);
    if (!result.ok()) throw InputError(result.errorText());
    return std::move(*result.program);
}
}  // namespace

int asmCommand(const AsmArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        const assembler::Program program = assembleSource(args.file, args.defines, args.includeDirs);
        std::string written;
        if (!args.output.empty()) {
            std::ofstream file(args.output, std::ios::binary);
            file.write(reinterpret_cast<const char*>(program.image.data()), std::streamsize(program.image.size()));
            if (!file) throw InputError(fmt::format("{}: error: cannot write the output file", args.output));
            written = " -> " + args.output;
        }
        out << fmt::format("{}: {} bytes, origin {:#010x}, entry {:#010x}, {} labels{}\n", args.file,
                           program.image.size(), program.origin, program.entry, program.labels.size(), written);
        if (args.listing) {
            auto namer = [&](uint32_t a) { return program.labelAt(a); };
            std::multimap<uint32_t, std::string> labelsByAddress;
            for (const auto& [name, value] : program.labels) labelsByAddress.emplace(value, name);
            for (size_t off = 0; off < program.image.size();) {
                const uint32_t address = program.origin + uint32_t(off);
                auto line = disassembler::disassembleOne(
                    std::span(program.image).subspan(off), address, namer);
                auto where = program.locationOf(address);
                // Every label at this address: a listing that showed one would hide the others.
                for (auto [at, end] = labelsByAddress.equal_range(address); at != end; ++at)
                    out << at->second << ":\n";
                out << fmt::format("  {:08x}  {:<32} {}\n", address, line.text,
                                   where ? fmt::format("; {}:{}", where->file, where->line) : "");
                off += line.length;
            }
        }
        return 0;
    });
}

int disasmCommand(const DisasmArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        const bool source = args.file.ends_with(".s") || args.file.ends_with(".asm");
        if (source) {
            const assembler::Program program = assembleSource(args.file, args.defines, args.includeDirs);
            out << disassembler::disassembleImage(program.image, program.origin,
                                                  [&](uint32_t a) { return program.labelAt(a); });
            return 0;
        }
        std::ifstream file(args.file, std::ios::binary);
        if (!file) throw InputError(fmt::format("{}: error: cannot open file", args.file));
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        out << disassembler::disassembleImage(bytes, args.origin);
        return 0;
    });
}

BenchFigures measureBench(const BenchArgs& args) {
    if (!(args.seconds > 0 && args.seconds <= 600))
        throw InputError(fmt::format("--seconds must be between 0 and 600, not {}", args.seconds));
    const Mode mode = !args.mode.empty() ? parseMode(args.mode) : args.vms ? Mode::HwAssist : Mode::Native;
    if (args.vms && !modeInfo(mode).virtualMachine)
        throw InputError(fmt::format("--vms needs a mode that runs virtual machines, not {}", mode));
    assembler::Options benchOptions;
    if (modeInfo(mode).needsParavirtKernel) {
        benchOptions.defines["PARAVIRT"] = 1;
        for (const auto& h : hypercallTable()) {
            std::string name = "HC_";
            for (char c : h.name) name += char(std::toupper(static_cast<unsigned char>(c)));
            benchOptions.defines[name] = int64_t(h.number);
        }
    }
    auto assembled = assembler::assembleText(kBenchGuestSource, "bench.s", benchOptions);
    if (!assembled.ok()) throw InputError(assembled.errorText());
    GuestImages guest;
    guest.kernel = *assembled.program;

    RunOptions options;
    options.mode = mode;
    options.preset = args.preset;
    options.instances = std::max<uint32_t>(args.vms, 1);
    Machine machine(machineConfigFor(options));
    // Several VMs share the CPU through the monitor's scheduler; one guest runs on its own.
    std::unique_ptr<VmHost> host;
    std::unique_ptr<Monitor> monitor;
    if (args.vms) {
        host = std::make_unique<VmHost>(machine, mode, options.memoryBytes);
        host->start(std::vector<VmSpec>(args.vms, VmSpec{guest, kDefaultVmWeight}));
    } else {
        monitor = makeMonitor(mode, machine);
        machine.cpu.setHooks(monitor.get());
        monitor->start(guest);
    }

    BenchFigures figures;
    figures.mode = mode;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    constexpr uint64_t kChunk = 20'000'000;
    uint64_t budget = 0;
    while (figures.seconds < args.seconds) {
        budget += kChunk;
        const StopReason stop = host ? host->run(budget) : monitor->run(budget);
        if (stop != StopReason::CycleBudget) {
            figures.stopped = machine.cpu.stopMessage();
            return figures;
        }
        figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    }
    figures.instructions = machine.cpu.stats().instructions;
    figures.cycles = machine.cpu.account.now;
    figures.tlbMisses = machine.cpu.stats().tlbMisses;
    figures.events = machine.events.total();
    figures.mips = double(figures.instructions) / figures.seconds / 1e6;
    return figures;
}

int benchCommand(const BenchArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        if (args.format != "text" && args.format != "json")
            throw InputError(fmt::format("unknown format '{}' (known: text, json)", args.format));
        if (!args.ceiling.empty()) return compareCeilingCommand(args, out, err);
        const BenchFigures f = measureBench(args);
        if (!f.stopped.empty()) {
            err << "ringsim bench: the bench guest stopped: " << f.stopped << "\n";
            return 1;
        }
        if (args.format == "json") {
            nlohmann::json j = {{"mode", modeName(f.mode)},          {"preset", args.preset}, {"vms", std::max<uint32_t>(args.vms, 1)},
                                {"mips", f.mips},               {"instructions", f.instructions},
                                {"cycles", f.cycles},           {"seconds", f.seconds},
                                {"simulated_cycles_per_second", double(f.cycles) / f.seconds},
                                {"tlb_misses", f.tlbMisses},
                                {"events", f.events}};
            out << dumpJson(j) << "\n";
        } else {
            out << fmt::format("mode {}{}: {:.1f} million guest instructions per second, {:.1f} million simulated "
                               "cycles per second ({} instructions in {:.2f} s; {} events, {} TLB misses)\n",
                               f.mode, args.vms ? fmt::format(", {} VMs", args.vms) : "", f.mips, double(f.cycles) / f.seconds / 1e6, f.instructions, f.seconds,
                               f.events, f.tlbMisses);
        }
        return 0;
    });
}

namespace {
// A `|` inside a Markdown table cell would end the cell.
std::string escapePipes(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}
}  // namespace

int isaCommand(const std::string& format, std::ostream& out) {
    if (format == "markdown") {
        out << "| mnemonic | operands | opcode | bytes | class | cycles | what it does | at each ring | models (x86) |\n";
        out << "|---|---|---|---|---|---|---|---|---|\n";
    }
    for (const auto& info : isa::instructionTable()) {
        static constexpr std::string_view kOperands[] = {
            "",           "ra",         "ra, rb",        "ra, rb, rc", "ra, imm",  "ra, rb, imm", "target",
            "imm",        "ra, [rb + imm]", "[rb + imm], ra", "ra, port", "port, ra", "ra, crname"};
        const auto operands = kOperands[size_t(info.format)];
        if (format == "markdown")
            out << fmt::format("| `{}` | {} | `0x{:02x}` | {} | {} | {} | {} | {} | {} |\n", info.mnemonic,
                               operands.empty() ? "—" : fmt::format("`{}`", operands), uint8_t(info.opcode),
                               isa::lengthOf(info.format), isa::className(info.cls), info.cycles,
                               escapePipes(info.summary), escapePipes(info.atRings),
                               info.x86Model.empty() ? "—" : escapePipes(info.x86Model));
        else
            out << fmt::format("{:02x} {:<9}{:<17}{:<23}{:>3}  {}\n", uint8_t(info.opcode), info.mnemonic, operands,
                               isa::className(info.cls), info.cycles, info.summary);
    }
    return 0;
}

}  // namespace ringsim::cli
