#include "commands.h"

#include <cctype>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "bench_guest.h"
#include "cpu-model/disassembler.h"
#include "compare.h"
#include "errors.h"
#include "hypercalls.h"
#include "machine.h"
#include "monitor.h"
#include "report.h"
#include "vm_host.h"

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

void applyInstances(const InstanceArgs& args, RunOptions& options) {
    const ModeInfo& mode = requireMode(options.mode);
    const int given = (args.vms != 0) + (args.containers != 0) + (args.instances != 0);
    if (given > 1) throw InputError("give only one of --vms, --containers and --instances");
    if (args.vms && !mode.virtualMachine)
        throw InputError(fmt::format("--vms needs a mode that runs virtual machines (trap-emulate, binary-translation, "
                                     "emulation, paravirt, hw-assist), not {}{}",
                                     options.mode, options.mode == "container" ? "; use --containers" : ""));
    if (args.containers && options.mode != "container")
        throw InputError(fmt::format("--containers needs --mode container, not {}{}", options.mode,
                                     mode.virtualMachine ? "; use --vms for virtual machines" : ""));
    if (given) options.instances = args.vms + args.containers + args.instances;
}

namespace {

GuestImages assemble(const GuestArgs& args) {
    GuestSources sources;
    sources.kernel = args.kernel;
    sources.programs = args.programs;
    sources.defines = parseDefines(args.defines);
    return assembleGuest(sources);
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
        RunOptions options = args.options;
        applyInstances(args.instances, options);
        const GuestImages guest = assemble(args.guest);
        const RunResult result = runGuest(guest, options);
        if (args.format == "json") {
            out << toJson(result).dump(2) << "\n";
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
        return reportStop(result, err);
    });
}

int compareCommand(const CompareArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        if (args.format != "text" && args.format != "csv" && args.format != "json")
            throw InputError(fmt::format("unknown format '{}' (known: text, csv, json)", args.format));
        GuestSources sources;
        sources.kernel = args.guest.kernel;
        sources.programs = args.guest.programs;
        sources.defines = parseDefines(args.guest.defines);
        RunOptions options = args.options;
        if (args.instances.vms || args.instances.containers)
            throw InputError("compare runs every mode with the same number of instances: use --instances N "
                             "(N VMs in each VM mode, N containers in container mode, N processes natively)");
        if (args.instances.instances) options.instances = args.instances.instances;
        const auto rows = compareModes(sources, args.modes, options);
        if (args.format == "json")
            out << compareJson(rows).dump(2) << "\n";
        else if (args.format == "csv")
            out << compareCsv(rows);
        else
            out << compareText(rows);
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
        RunOptions options = args.options;
        applyInstances(args.instances, options);
        const GuestImages guest = assemble(args.guest);
        uint64_t printed = 0;
        out << fmt::format("{:>12}  {:<3}  {:<13}  {:<22} {}\n", "cycle", "vm", "ring", "kind", "detail");
        const RunResult result = runGuest(guest, options, [&](const Event& e) {
            if (!wanted[size_t(e.kind)]) return true;
            out << describeEvent(e) << "\n";
            return ++printed < args.limit;
        });
        if (printed >= args.limit) {
            out << fmt::format("(stopped after {} events; --limit changes this)\n", printed);
            return 0;
        }
        out << fmt::format("({} events; the guest {})\n", printed, stopReasonName(result.stopReason));
        return reportStop(result, err);
    });
}

int asmCommand(const AsmArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        assembler::Options options;
        options.defines = parseDefines(args.defines);
        auto result = assembler::assembleFile(args.file, options);
        if (!result.ok()) throw InputError(result.errorText());
        const auto& program = *result.program;
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
            for (size_t off = 0; off < program.image.size();) {
                const uint32_t address = program.origin + uint32_t(off);
                auto line = disassembler::disassembleOne(
                    std::span(program.image).subspan(off), address, namer);
                auto where = program.locationOf(address);
                if (auto label = program.labelAt(address)) out << *label << ":\n";
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
            assembler::Options options;
            options.defines = parseDefines(args.defines);
            auto result = assembler::assembleFile(args.file, options);
            if (!result.ok()) throw InputError(result.errorText());
            const auto& program = *result.program;
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

int benchCommand(const BenchArgs& args, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        if (args.format != "text" && args.format != "json")
            throw InputError(fmt::format("unknown format '{}' (known: text, json)", args.format));
        if (!(args.seconds > 0 && args.seconds <= 600))
            throw InputError(fmt::format("--seconds must be between 0 and 600, not {}", args.seconds));
        const std::string mode = !args.mode.empty() ? args.mode : args.vms ? "hw-assist" : "native";
        if (args.vms && !requireMode(mode).virtualMachine)
            throw InputError(fmt::format("--vms needs a mode that runs virtual machines, not {}", mode));
        assembler::Options benchOptions;
        if (const ModeInfo* info = modeInfo(mode); info && info->needsParavirtKernel) {
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

        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        double elapsed = 0;
        constexpr uint64_t kChunk = 20'000'000;
        uint64_t budget = 0;
        while (elapsed < args.seconds) {
            budget += kChunk;
            const StopReason stop = host ? host->run(budget) : monitor->run(budget);
            if (stop != StopReason::CycleBudget) {
                err << "ringsim bench: the bench guest stopped: " << machine.cpu.stopMessage() << "\n";
                return 1;
            }
            elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        }
        const uint64_t instructions = machine.cpu.stats().instructions;
        const uint64_t cycles = machine.cpu.account.now;
        const double mips = double(instructions) / elapsed / 1e6;
        if (args.format == "json") {
            nlohmann::json j = {{"mode", mode},          {"preset", args.preset}, {"vms", std::max<uint32_t>(args.vms, 1)},
                                {"mips", mips},               {"instructions", instructions},
                                {"cycles", cycles},           {"seconds", elapsed},
                                {"simulated_cycles_per_second", double(cycles) / elapsed},
                                {"tlb_misses", machine.cpu.stats().tlbMisses},
                                {"events", machine.events.total()}};
            out << j.dump(2) << "\n";
        } else {
            out << fmt::format("mode {}{}: {:.1f} million guest instructions per second, {:.1f} million simulated "
                               "cycles per second ({} instructions in {:.2f} s; {} events, {} TLB misses)\n",
                               mode, args.vms ? fmt::format(", {} VMs", args.vms) : "", mips, double(cycles) / elapsed / 1e6, instructions, elapsed,
                               machine.events.total(), machine.cpu.stats().tlbMisses);
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
