// libFuzzer target for the assembler and the disassembler.
//
// The input is up to four source files, separated by a line "@@": main.s,
// a.inc, b.inc and lib/c.inc, all in a sandbox folder held in memory.
// .include is resolved only there (next to the including file, then in the
// include folder lib/): every other path reads as missing, so no input can
// reach the disk, and include loops are the assembler's to report.
//
// Asserted (a failure is a finding, see fuzz_check.h):
//   - no crash, hang, leak or sanitizer report, whatever the text;
//   - an assembly succeeds exactly when it reports no error, and every
//     error names a file of the sandbox;
//   - where it succeeds (and the image is small enough to be quick), the
//     disassembly of the image assembles to the same origin and bytes,
//     with and without the program's labels.
// How to build and run it: fuzz/README.md.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cpu-model/assembler.h"
#include "cpu-model/disassembler.h"
#include "fuzz_check.h"

namespace {

using namespace ringsim;

constexpr std::string_view kSandbox = "/ringsim-fuzz-sandbox/";
constexpr std::array<std::string_view, 4> kFileNames = {"main.s", "a.inc", "b.inc", "lib/c.inc"};
constexpr std::string_view kSeparator = "\n@@\n";
// Larger images are not round-tripped: their disassembly is one line per
// word, which costs far more time than the assembly that made them.
constexpr size_t kRoundTripLimit = 64 * 1024;

using Files = std::map<std::string, std::string>;

Files splitIntoFiles(std::string_view text) {
    Files files;
    for (std::string_view name : kFileNames) {
        const size_t end = text.find(kSeparator);
        files[std::string(kSandbox) + std::string(name)] = std::string(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + kSeparator.size());
    }
    return files;
}

assembler::Options sandboxed(const Files& files) {
    assembler::Options options;
    options.includeDirs = {std::string(kSandbox) + "lib"};
    options.defines = {{"FUZZ", 1}};
    options.readFile = [&files](const std::string& path) -> std::optional<std::string> {
        // The assembler normalises paths already; normalising again keeps a
        // "dir/../x" that reached us from naming a file outside.
        const std::string normal = std::filesystem::path(path).lexically_normal().generic_string();
        auto it = files.find(normal);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    return options;
}

void checkDiagnostics(const assembler::Result& result, const Files& files) {
    fuzz::check(result.ok() == result.errors.empty(), "ok() disagrees with the error list", result.errorText().c_str());
    for (const auto& d : result.errors)
        fuzz::check(files.count(d.file) > 0, "an error names a file outside the sandbox", d.str().c_str());
}

// Assembling the disassembly must give the same program bytes at the same origin.
void checkRoundTrip(const assembler::Program& program, const disassembler::SymbolNamer& namer, const char* what) {
    const std::string text = disassembler::disassembleImage(program.image, program.origin, namer);
    assembler::Options options;
    options.readFile = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    const auto again = assembler::assembleText(text, "roundtrip.s", options);
    if (!again.ok()) fuzz::finding(what, (again.errorText() + "\n--- disassembly:\n" + text).c_str());
    if (again.program->origin != program.origin || again.program->image != program.image)
        fuzz::finding(what, ("different bytes or origin\n--- disassembly:\n" + text).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const Files files = splitIntoFiles(std::string_view(reinterpret_cast<const char*>(data), size));
    const std::string main = std::string(kSandbox) + "main.s";
    const auto result = assembler::assembleFile(main, sandboxed(files));
    checkDiagnostics(result, files);
    static const bool verbose = std::getenv("ASSEMBLER_FUZZ_VERBOSE") != nullptr;
    if (verbose)  // for a look at what an input does: ASSEMBLER_FUZZ_VERBOSE=1 assembler_fuzz FILE
        std::fprintf(stderr, "%s\n", result.ok() ? "assembled" : result.errorText().c_str());
    if (!result.ok() || result.program->image.size() > kRoundTripLimit) return 0;

    const assembler::Program& program = *result.program;
    checkRoundTrip(program, {}, "the disassembly does not round-trip");
    checkRoundTrip(
        program, [&program](uint32_t address) { return program.labelAt(address); },
        "the disassembly with labels does not round-trip");
    return 0;
}
