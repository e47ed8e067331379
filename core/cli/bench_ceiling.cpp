// `ringsim bench --compare-ceiling PROGRAM`: the simulator's speed as a ratio
// to a bare interpreter's (issue 19). Absolute rates differ from machine to
// machine and from minute to minute on a shared one, so the two run in
// alternation, round by round, and the ratio of each pair is what counts.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>
#include <unistd.h>

#include "cli/commands.h"
#include "machine/errors.h"
#include "report/json_text.h"

namespace ringsim::cli {
namespace {

// The host CPU's model as /proc/cpuinfo names it ("unknown" elsewhere).
std::string hostCpuModel() {
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);)
        if (line.starts_with("model name"))
            if (auto colon = line.find(':'); colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    return "unknown";
}

std::string shellQuoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// A C++ source is built as the issue measures it (g++ -O2 -std=c++20, or
// $CXX); an executable is used as it is.
std::string ceilingProgram(const std::string& given, const std::filesystem::path& scratch, std::string& how) {
    if (!std::filesystem::exists(given)) throw InputError(fmt::format("--compare-ceiling: no such file: {}", given));
    if (!given.ends_with(".cpp") && !given.ends_with(".cc")) {
        how = "as given";
        return given;
    }
    const char* cxx = std::getenv("CXX");
    const std::string compiler = cxx && *cxx ? cxx : "g++";
    const std::string program = (scratch / "ceiling").string();
    const std::string command =
        fmt::format("{} -O2 -std=c++20 {} -o {}", compiler, shellQuoted(given), shellQuoted(program));
    how = "built with " + fmt::format("{} -O2 -std=c++20", compiler);
    if (std::system(command.c_str()) != 0) throw InputError(fmt::format("--compare-ceiling: `{}` failed", command));
    return program;
}

// Runs the ceiling once; its rate is the last "N MIPS" it prints.
double runCeiling(const std::string& program) {
    FILE* pipe = popen(shellQuoted(program).c_str(), "r");
    if (!pipe) throw InputError(fmt::format("--compare-ceiling: cannot run {}", program));
    std::string text;
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
    const int status = pclose(pipe);
    static const std::regex kRate(R"(([0-9]+(\.[0-9]+)?) MIPS)");
    double mips = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kRate); it != std::sregex_iterator(); ++it)
        mips = std::stod((*it)[1].str());
    if (status != 0 || mips <= 0)
        throw InputError(fmt::format("--compare-ceiling: {} printed no rate (\"N MIPS\"): {}", program, text));
    return mips;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int compareCeilingCommand(const BenchArgs& args, std::ostream& out, std::ostream& err) {
    if (args.rounds < 1 || args.rounds > 100) throw InputError(fmt::format("--rounds must be 1 to 100, not {}", args.rounds));
    const std::filesystem::path scratch =
        std::filesystem::temp_directory_path() / fmt::format("ringsim-ceiling-{}", ::getpid());
    std::filesystem::create_directories(scratch);
    struct Cleanup {
        std::filesystem::path path;
        ~Cleanup() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } cleanup{scratch};
    std::string how;
    const std::string program = ceilingProgram(args.ceiling, scratch, how);
    const std::string cpu = hostCpuModel();

    struct Round {
        double ceiling = 0, ringsim = 0;
    };
    std::vector<Round> rounds;
    std::vector<double> ratios;
    std::string modeText;
    for (unsigned i = 0; i < args.rounds; ++i) {
        Round round;
        round.ceiling = runCeiling(program);
        const BenchFigures figures = measureBench(args);
        if (!figures.stopped.empty()) {
            err << "ringsim bench: the bench guest stopped: " << figures.stopped << "\n";
            return 1;
        }
        modeText = fmt::format("{}", figures.mode);
        round.ringsim = figures.mips;
        rounds.push_back(round);
        ratios.push_back(round.ringsim / round.ceiling);
    }
    const double medianRatio = median(ratios);
    if (args.format == "json") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : rounds)
            list.push_back({{"ceiling_mips", r.ceiling}, {"ringsim_mips", r.ringsim}, {"ratio", r.ringsim / r.ceiling}});
        nlohmann::json j = {{"cpu", cpu},           {"ceiling", args.ceiling}, {"ceiling_built", how},
                            {"mode", modeText},     {"preset", args.preset},   {"seconds", args.seconds},
                            {"rounds", list},       {"median_ratio", medianRatio}};
        out << dumpJson(j) << "\n";
        return 0;
    }
    out << fmt::format("host CPU: {}\nceiling: {} ({})\nringsim bench: mode {}, preset {}, {} s a round\n", cpu,
                       args.ceiling, how, modeText, args.preset, args.seconds);
    out << fmt::format("{:>5}  {:>13}  {:>13}  {:>6}\n", "round", "ceiling MIPS", "ringsim MIPS", "ratio");
    for (size_t i = 0; i < rounds.size(); ++i)
        out << fmt::format("{:>5}  {:>13.1f}  {:>13.1f}  {:>6.3f}\n", i + 1, rounds[i].ceiling, rounds[i].ringsim,
                           ratios[i]);
    out << fmt::format("median ratio {:.3f} (ringsim / ceiling; range {:.3f} to {:.3f})\n", medianRatio,
                       *std::min_element(ratios.begin(), ratios.end()), *std::max_element(ratios.begin(), ratios.end()));
    return 0;
}

}  // namespace ringsim::cli
