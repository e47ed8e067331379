// Assembler, step 3: where lines come from. A stack of line sources (the main
// file, included files, macro expansions), the recording of macro bodies,
// macro expansion (\param, \@, \()) and the conditional-assembly stack. The
// assembler asks for the next line to assemble; lines in inactive .if
// branches and lines of a macro being defined never reach it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringsim::assembler::detail {

constexpr int kMaxIncludeDepth = 16;
constexpr int kMaxMacroDepth = 64;
constexpr uint64_t kMaxLines = 1'000'000;  // after includes and macro expansion
// Text all macro expansions together may produce. Arguments can hold further
// invocations, so nesting can double a line at each level: without this
// bound 64 levels would never finish.
constexpr uint64_t kMaxExpandedBytes = 4u << 20;

// The chain of macro invocations a line came from (innermost first).
struct Expansion {
    std::string macro;
    int fileId = 0;
    int line = 0;
    std::shared_ptr<const Expansion> parent;
};

struct Loc {
    int fileId = 0;
    int line = 0;       // 1-based; 0 = the file as a whole
    uint64_t seq = 0;   // the order lines were read in; diagnostics are sorted by it
    std::shared_ptr<const Expansion> expansion;
};

struct SourceLine {
    std::string text;
    std::vector<int> columns;  // source column of each byte of text; empty: byte i is column i + 1
    Loc loc;

    // 1-based column in the original source of the byte at `offset`.
    int column(size_t offset) const;
};

struct Macro {
    std::string name;
    std::vector<std::string> params;
    std::vector<SourceLine> body;
    Loc where;
};

// The directive-like word a line starts with, lower-cased, after any
// `label:` prefixes; "" when there is none. Never fails, whatever the text.
// `offset`, if given, receives where the word starts.
std::string leadingWord(std::string_view text, size_t* offset = nullptr);

struct MacroArgument {
    std::string text;   // trimmed
    size_t offset = 0;  // where it starts in the text that was split
};
// Splits macro arguments at commas that are not inside (), [], strings or
// character literals; stops at a comment. Empty text gives no arguments.
std::vector<MacroArgument> splitArguments(std::string_view text);

class Preprocessor {
public:
    struct Callbacks {
        // Reports an error at `column` of `line`.
        std::function<void(const Loc& loc, int column, const std::string& message)> error;
        // Evaluates the condition of an `.elif` line met while its chain is still open;
        // reports its own errors and then returns nothing.
        std::function<std::optional<bool>(const SourceLine& line)> evalElif;
    };

    explicit Preprocessor(Callbacks callbacks) : cb_(std::move(callbacks)) {}

    // Pushes a whole file as the next source of lines.
    void pushFile(int fileId, std::string_view text);
    // The next line to assemble, or nothing at the end of the main file.
    std::optional<SourceLine> next();

    // The files currently open (outermost first), for include depth and cycles.
    std::vector<int> openFiles() const;

    // Conditional assembly, for directives met on an active line.
    bool active() const { return conds_.empty() || conds_.back().active; }
    // `failed`: the condition could not be evaluated (already reported); no branch is assembled.
    void beginIf(bool value, const Loc& loc, int column, std::string directive, bool failed = false);
    void elseIf(const Loc& loc, int column);  // the branch before was active: the chain is done
    void elseBranch(const Loc& loc, int column);
    void endIf(const Loc& loc, int column);

    // Macros.
    const Macro* findMacro(const std::string& name) const;
    // Starts recording a body: lines up to the matching .endm go into it.
    // With `discard` (the .macro line was wrong) the body is skipped, not kept.
    void beginMacro(Macro macro, int column, bool discard = false);
    // Expands `macro` with `args` (count already checked) as the next lines.
    // Returns false (and reports) if expansions are nested too deeply.
    bool expand(const Macro& macro, const std::vector<std::string>& args, const Loc& invocation, int column);

private:
    struct Frame {
        bool isFile = true;
        int fileId = 0;
        std::vector<SourceLine> lines;
        size_t next = 0;
        size_t condBase = 0;  // conditionals open before this frame started
    };
    struct Cond {
        bool parentActive = true;
        bool active = true;
        bool taken = true;    // some branch of the chain was (or is being) assembled
        bool seenElse = false;
        std::string directive;
        Loc loc;
        int column = 1;
    };
    struct Recording {
        Macro macro;
        int column = 1;
        size_t frame = 0;  // the frame it was started in
        int nesting = 0;   // .macro lines met inside the body
        bool discard = false;
    };

    Callbacks cb_;
    std::vector<Frame> frames_;
    std::vector<Cond> conds_;
    std::optional<Recording> recording_;
    std::map<std::string, Macro> macros_;
    uint64_t seq_ = 0;
    uint64_t expansions_ = 0;
    uint64_t expandedBytes_ = 0;  // text produced by every expansion so far
    // Drops every macro frame above the innermost file (a runaway expansion).
    void abandonExpansion();

    void endFrame();
    void inactiveLine(const SourceLine& line);
    void recordLine(SourceLine line);
    bool condOpenInFrame() const;
};

}  // namespace ringsim::assembler::detail
