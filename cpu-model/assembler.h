// The assembler for the toy ISA: labels, constants, expressions, data
// directives, .include, macros and conditional assembly (so one kernel source
// builds both the native and the paravirtual kernel). The instruction syntax
// comes from the one table in isa.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ringsim::assembler {

struct Diagnostic {
    std::string file;
    int line = 0;    // 1-based
    int column = 0;  // 1-based
    std::string message;
    // "file:line:col: error: message"
    std::string str() const;
};

struct SourceLocation {
    std::string file;
    int line = 0;
};

struct Program {
    uint32_t origin = 0;            // address of image[0]
    std::vector<uint8_t> image;     // bytes from origin on; gaps left by .org/.space are zero
    uint32_t entry = 0;             // the label `_start` if defined, else origin
    std::map<std::string, uint32_t> labels;     // every label (local ones as they were written)
    std::map<std::string, int64_t> constants;   // every .equ / .set / NAME = value
    // Address of each emitted instruction or data directive -> where it was written, sorted by address.
    std::vector<std::pair<uint32_t, SourceLocation>> lineMap;
    std::vector<std::string> files;  // every file read, main file first

    // The source line that emitted `address`, if any.
    std::optional<SourceLocation> locationOf(uint32_t address) const;
    // The label at `address` (the first in name order), if any.
    std::optional<std::string> labelAt(uint32_t address) const;
    // The address as the nearest label at or before it reads ("loop", "loop+8";
    // the first in name order where labels share an address), if a label precedes it.
    std::optional<std::string> nearestLabel(uint32_t address) const;
};

struct Options {
    // Symbols defined before the first line, like `-D PARAVIRT=1`.
    std::map<std::string, int64_t> defines;
    // Extra folders searched by .include after the including file's own folder.
    std::vector<std::string> includeDirs;
    // Reads a file; the default reads from disk. Tests pass their own.
    std::function<std::optional<std::string>(const std::string& path)> readFile;
};

struct Result {
    std::optional<Program> program;      // set only when there were no errors
    std::vector<Diagnostic> errors;      // all errors found, in source order
    bool ok() const { return program.has_value(); }
    std::string errorText() const;       // one diagnostic per line
};

Result assembleFile(const std::string& path, const Options& options = {});
// The default Options::readFile: the whole file from disk, or nothing if it cannot be read.
std::optional<std::string> readSourceFile(const std::string& path);
// Diagnostics as text, one per line.
std::string diagnosticsText(const std::vector<Diagnostic>& diagnostics);
Result assembleText(const std::string& text, const std::string& fileName, const Options& options = {});

}  // namespace ringsim::assembler
