#include "asm_preproc.h"

#include <fmt/format.h>

#include <algorithm>

#include "asm_lexer.h"

namespace ringsim::assembler::detail {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool isParamStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isParamChar(char c) { return isParamStart(c) || (c >= '0' && c <= '9'); }

// Skips a quoted literal starting at text[i] (a quote); returns the index past it.
size_t skipQuoted(std::string_view text, size_t i) {
    const char quote = text[i];
    ++i;
    while (i < text.size() && text[i] != quote) i += text[i] == '\\' ? 2 : 1;
    return i < text.size() ? i + 1 : text.size();
}

}  // namespace

int SourceLine::column(size_t offset) const {
    if (columns.empty()) return int(offset) + 1;
    if (offset < columns.size()) return columns[offset];
    return columns.empty() ? 1 : columns.back() + 1;
}

std::string leadingWord(std::string_view text, size_t* offset) {
    size_t i = 0;
    for (;;) {
        while (i < text.size() && isSpace(text[i])) ++i;
        const size_t start = i;
        if (offset) *offset = start;
        if (i >= text.size() || !isNameStart(text[i])) return "";
        while (i < text.size() && isNameChar(text[i])) ++i;
        size_t j = i;
        while (j < text.size() && isSpace(text[j])) ++j;
        if (j < text.size() && text[j] == ':') {  // a label: look past it
            i = j + 1;
            continue;
        }
        return toLower(text.substr(start, i - start));
    }
}

std::vector<MacroArgument> splitArguments(std::string_view text) {
    std::vector<MacroArgument> args;
    size_t start = 0, i = 0;
    int depth = 0;
    bool any = false;
    auto finish = [&](size_t end) {
        size_t b = start, e = end;
        while (b < e && isSpace(text[b])) ++b;
        while (e > b && isSpace(text[e - 1])) --e;
        args.push_back({std::string(text.substr(b, e - b)), b});
    };
    while (i < text.size()) {
        const char c = text[i];
        if (c == ';' || c == '#') break;
        if (!isSpace(c)) any = true;
        if (c == '"' || c == '\'') {
            i = skipQuoted(text, i);
            continue;
        }
        if (c == '(' || c == '[') ++depth;
        if ((c == ')' || c == ']') && depth > 0) --depth;
        if (c == ',' && depth == 0) {
            finish(i);
            start = i + 1;
        }
        ++i;
    }
    if (any) finish(i);
    return args;
}

void Preprocessor::pushFile(int fileId, std::string_view text) {
    Frame frame;
    frame.isFile = true;
    frame.fileId = fileId;
    frame.condBase = conds_.size();
    int number = 0;
    size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a UTF-8 byte order mark
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++number;
        if (!(end == text.size() && line.empty() && number > 1)) {  // no phantom line after a final newline
            SourceLine l;
            l.text = std::string(line);
            l.loc.fileId = fileId;
            l.loc.line = number;
            frame.lines.push_back(std::move(l));
        }
        pos = end + 1;
    }
    frames_.push_back(std::move(frame));
}

std::vector<int> Preprocessor::openFiles() const {
    std::vector<int> files;
    for (const auto& f : frames_)
        if (f.isFile) files.push_back(f.fileId);
    return files;
}

bool Preprocessor::condOpenInFrame() const {
    return !frames_.empty() && conds_.size() > frames_.back().condBase;
}

void Preprocessor::endFrame() {
    Frame& frame = frames_.back();
    while (conds_.size() > frame.condBase) {
        const Cond& c = conds_.back();
        cb_.error(c.loc, c.column, fmt::format("'{}' is not closed (missing .endif)", c.directive));
        conds_.pop_back();
    }
    if (recording_ && recording_->frame == frames_.size() - 1) {
        cb_.error(recording_->macro.where, recording_->column,
                  fmt::format("macro '{}' is not closed (missing .endm)", recording_->macro.name));
        recording_.reset();
    }
    frames_.pop_back();
}

std::optional<SourceLine> Preprocessor::next() {
    for (;;) {
        if (frames_.empty()) return std::nullopt;
        Frame& frame = frames_.back();
        if (frame.next >= frame.lines.size()) {
            endFrame();
            continue;
        }
        SourceLine line = std::move(frame.lines[frame.next++]);
        line.loc.seq = ++seq_;
        if (seq_ > kMaxLines) {
            cb_.error(line.loc, 1,
                      fmt::format("too many lines to assemble (more than {} after includes and macro expansion)",
                                  kMaxLines));
            frames_.clear();
            conds_.clear();
            recording_.reset();
            return std::nullopt;
        }
        if (recording_) {
            recordLine(std::move(line));
            continue;
        }
        if (!active()) {
            inactiveLine(line);
            continue;
        }
        return line;
    }
}

void Preprocessor::recordLine(SourceLine line) {
    const std::string word = leadingWord(line.text);
    if (word == ".macro") {
        ++recording_->nesting;
    } else if (word == ".endm") {
        if (recording_->nesting == 0) {
            Macro macro = std::move(recording_->macro);
            const bool discard = recording_->discard;
            recording_.reset();
            if (!discard) {
                std::string name = macro.name;
                macros_.insert_or_assign(std::move(name), std::move(macro));
            }
            return;
        }
        --recording_->nesting;
    }
    recording_->macro.body.push_back(std::move(line));
}

void Preprocessor::inactiveLine(const SourceLine& line) {
    size_t at = 0;
    const std::string word = leadingWord(line.text, &at);
    const int column = line.column(at);
    if (word == ".if" || word == ".ifdef" || word == ".ifndef") {
        Cond c;
        c.parentActive = false;
        c.active = false;
        c.taken = true;
        c.directive = word;
        c.loc = line.loc;
        c.column = column;
        conds_.push_back(std::move(c));
        return;
    }
    if (word != ".elif" && word != ".else" && word != ".endif") return;
    // An inactive line can only be inside a conditional opened in this frame.
    Cond& c = conds_.back();
    if (word == ".endif") {
        conds_.pop_back();
    } else if (word == ".else") {
        if (c.seenElse) {
            cb_.error(line.loc, column, "second .else for the same .if");
            return;
        }
        c.seenElse = true;
        c.active = c.parentActive && !c.taken;
        c.taken = true;
    } else {  // .elif
        if (c.seenElse) {
            cb_.error(line.loc, column, ".elif after .else");
            return;
        }
        if (c.parentActive && !c.taken) {
            const std::optional<bool> value = cb_.evalElif(line);
            c.active = value.value_or(false);
            c.taken = value.value_or(true);
        }
    }
}

void Preprocessor::beginIf(bool value, const Loc& loc, int column, std::string directive, bool failed) {
    Cond c;
    c.parentActive = active();
    c.active = c.parentActive && value && !failed;
    c.taken = c.active || failed;
    c.directive = std::move(directive);
    c.loc = loc;
    c.column = column;
    conds_.push_back(std::move(c));
}

void Preprocessor::elseIf(const Loc& loc, int column) {
    if (!condOpenInFrame()) {
        cb_.error(loc, column, ".elif without .if");
        return;
    }
    Cond& c = conds_.back();
    if (c.seenElse) {
        cb_.error(loc, column, ".elif after .else");
        return;
    }
    c.active = false;  // the branch before it was assembled
    c.taken = true;
}

void Preprocessor::elseBranch(const Loc& loc, int column) {
    if (!condOpenInFrame()) {
        cb_.error(loc, column, ".else without .if");
        return;
    }
    Cond& c = conds_.back();
    if (c.seenElse) {
        cb_.error(loc, column, "second .else for the same .if");
        return;
    }
    c.seenElse = true;
    c.active = false;
    c.taken = true;
}

void Preprocessor::endIf(const Loc& loc, int column) {
    if (!condOpenInFrame()) {
        cb_.error(loc, column, ".endif without .if");
        return;
    }
    conds_.pop_back();
}

const Macro* Preprocessor::findMacro(const std::string& name) const {
    auto it = macros_.find(name);
    return it == macros_.end() ? nullptr : &it->second;
}

void Preprocessor::beginMacro(Macro macro, int column, bool discard) {
    Recording r;
    r.macro = std::move(macro);
    r.column = column;
    r.discard = discard;
    r.frame = frames_.size() - 1;
    recording_ = std::move(r);
}

bool Preprocessor::expand(const Macro& macro, const std::vector<std::string>& args, const Loc& invocation,
                          int column) {
    int depth = 0;
    for (const auto& f : frames_)
        if (!f.isFile) ++depth;
    if (depth >= kMaxMacroDepth) {
        cb_.error(invocation, column,
                  fmt::format("macro expansion nested too deeply (more than {} levels) in '{}'", kMaxMacroDepth,
                              macro.name));
        // Abandon the whole runaway expansion (it would only hit the limit again
        // and again), back to the file that started it.
        abandonExpansion();
        return false;
    }
    const std::string counter = std::to_string(expansions_++);
    auto context = std::make_shared<Expansion>();
    context->macro = macro.name;
    context->fileId = invocation.fileId;
    context->line = invocation.line;
    context->parent = invocation.expansion;

    Frame frame;
    frame.isFile = false;
    frame.fileId = invocation.fileId;
    frame.condBase = conds_.size();
    frame.lines.reserve(macro.body.size());
    for (const SourceLine& body : macro.body) {
        SourceLine out;
        out.loc = body.loc;
        out.loc.expansion = context;
        const std::string& t = body.text;
        bool tooLarge = false;
        auto put = [&](std::string_view s, size_t from) {
            // Many references to a huge argument in one line: stop before the line outgrows the limit.
            if (expandedBytes_ + out.text.size() + s.size() > kMaxExpandedBytes) {
                tooLarge = true;
                return;
            }
            const int col = body.column(from);
            out.text += s;
            out.columns.insert(out.columns.end(), s.size(), col);
        };
        for (size_t i = 0; i < t.size();) {
            if (t[i] == '\\' && i + 1 < t.size()) {
                const char n = t[i + 1];
                if (n == '\\') {
                    out.text += "\\\\";
                    out.columns.push_back(body.column(i));
                    out.columns.push_back(body.column(i + 1));
                    i += 2;
                    continue;
                }
                if (n == '@') {
                    put(counter, i);
                    i += 2;
                    continue;
                }
                if (n == '(' && i + 2 < t.size() && t[i + 2] == ')') {
                    i += 3;
                    continue;
                }
                if (isParamStart(n)) {
                    size_t j = i + 1;
                    while (j < t.size() && isParamChar(t[j])) ++j;
                    const std::string_view name(t.data() + i + 1, j - i - 1);
                    bool replaced = false;
                    for (size_t p = 0; p < macro.params.size(); ++p) {
                        if (macro.params[p] == name) {
                            put(args[p], i);
                            replaced = true;
                            break;
                        }
                    }
                    if (replaced) {
                        i = j;
                        continue;
                    }
                }
            }
            out.text += t[i];
            out.columns.push_back(body.column(i));
            ++i;
        }
        expandedBytes_ += out.text.size();
        if (tooLarge || expandedBytes_ > kMaxExpandedBytes) {
            cb_.error(invocation, column,
                      fmt::format("macro expansions too large (more than {} MiB of text) in '{}'",
                                  kMaxExpandedBytes >> 20, macro.name));
            abandonExpansion();
            return false;
        }
        frame.lines.push_back(std::move(out));
    }
    frames_.push_back(std::move(frame));
    return true;
}

void Preprocessor::abandonExpansion() {
    size_t keep = frames_.size();
    while (keep > 0 && !frames_[keep - 1].isFile) --keep;
    if (keep < frames_.size()) {
        conds_.resize(std::min(conds_.size(), frames_[keep].condBase));
        if (recording_ && recording_->frame >= keep) recording_.reset();
        frames_.resize(keep);
    }
}

}  // namespace ringsim::assembler::detail
