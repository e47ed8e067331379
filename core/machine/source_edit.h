// Guest sources edited in memory: an editor's buffers stand in for the files
// on disk when the guest is assembled (.include files too), and the result
// is every diagnostic rather than an exception, so a front end can show each
// error at its line and keep the old run going.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cpu-model/assembler.h"
#include "machine/guest.h"

namespace ringsim {

// Source text by file path, used instead of the file's contents on disk.
// Paths are compared after lexical normalisation ("a/./b.s" is "a/b.s").
using SourceOverrides = std::map<std::string, std::string>;

struct GuestBuild {
    std::optional<GuestImages> images;            // set only when everything assembled
    std::vector<assembler::Diagnostic> errors;    // every error, each with its file, line and column
    std::string errorText() const;                // one diagnostic per line
    bool ok() const { return images.has_value(); }
};

// Assembles the guest as assembleGuest() does, reading `edited` texts in
// place of the files they name.
GuestBuild buildGuest(const GuestSources& sources, const SourceOverrides& edited = {});

// The path as the assembler names files: lexically normal, '/' separated.
std::string normalSourcePath(const std::string& path);

// Whole-file reads (the assembler's own) and writes for the editor; a write
// replaces the file. A failed write returns why.
using assembler::readSourceFile;
std::optional<std::string> writeSourceFile(const std::string& path, const std::string& text);

}  // namespace ringsim
