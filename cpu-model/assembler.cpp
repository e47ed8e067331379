// The assembler proper: pass 1 walks the lines the preprocessor hands out,
// defines labels and constants and lays out every statement (sizes never
// depend on values, so one walk fixes every address); pass 2 evaluates the
// remaining expressions and writes the bytes.
#include "assembler.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "asm_encoder.h"
#include "asm_expr.h"
#include "asm_lexer.h"
#include "asm_preproc.h"

namespace ringsim::assembler {

std::string Diagnostic::str() const {
    if (line <= 0) return fmt::format("{}: error: {}", file, message);
    if (column <= 0) return fmt::format("{}:{}: error: {}", file, line, message);
    return fmt::format("{}:{}:{}: error: {}", file, line, column, message);
}

std::optional<SourceLocation> Program::locationOf(uint32_t address) const {
    if (address < origin || uint64_t(address) - origin >= image.size()) return std::nullopt;
    auto it = std::upper_bound(lineMap.begin(), lineMap.end(), address,
                               [](uint32_t a, const auto& entry) { return a < entry.first; });
    if (it == lineMap.begin()) return std::nullopt;
    return std::prev(it)->second;
}

std::optional<std::string> Program::labelAt(uint32_t address) const {
    for (const auto& [name, value] : labels)
        if (value == address) return name;
    return std::nullopt;
}

std::optional<std::string> Program::nearestLabel(uint32_t address) const {
    const std::string* best = nullptr;
    uint32_t bestAddress = 0;
    for (const auto& [name, value] : labels)
        if (value <= address && (!best || value > bestAddress)) best = &name, bestAddress = value;
    if (!best) return std::nullopt;
    // A decimal offset: bytes into the routine, short enough to read aloud.
    return address == bestAddress ? *best : fmt::format("{}+{}", *best, address - bestAddress);
}

std::string diagnosticsText(const std::vector<Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) {
        if (!text.empty()) text += '\n';
        text += d.str();
    }
    return text;
}

std::string Result::errorText() const { return diagnosticsText(errors); }

std::optional<std::string> readSourceFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) return std::nullopt;
    return text.str();
}

namespace {

using namespace detail;

constexpr uint64_t kMaxImage = 64ull << 20;
constexpr size_t kMaxErrors = 1000;  // then the assembler gives up on the file
constexpr uint64_t kAddressSpace = 1ull << 32;

bool isDirective(std::string_view lower) { return isDirectiveName(lower); }

enum class SymKind { Label, Equ, Set, Define };

struct Symbol {
    SymKind kind = SymKind::Label;
    int64_t value = 0;
    bool known = false;
    bool poisoned = false;  // its definition failed (already reported): uses fail quietly
    Loc where;
    int stmt = -1;          // Equ: its Assign statement
};

enum class StmtKind { Insn, Word, Byte, Bytes, Space, Zeros, Assign };

struct Stmt {
    StmtKind kind = StmtKind::Insn;
    Loc loc;
    uint64_t address = 0;
    uint64_t size = 0;
    const isa::InstructionInfo* info = nullptr;
    isa::Fields fields;
    std::vector<Expr> exprs;  // Insn: the immediate if any; Word/Byte: items; Space: the fill; Assign: the value
    std::string bytes;        // Bytes
    std::string name;         // Assign
    bool resolved = false;    // Assign: evaluated in pass 1
    int64_t value = 0;        // Assign: the value, when resolved
};

struct Pending {  // a value pass 1 needed but could not have yet
    Loc loc;
    int column;
    std::string symbol;
    std::string what;
};

using Tokens = std::vector<Token>;

int endColumnOf(const Tokens& toks) {
    if (toks.empty()) return 1;
    return toks.back().column + int(toks.back().end - toks.back().offset);
}

class Assembler {
public:
    explicit Assembler(const Options& options)
        : options_(options),
          readFile_(options.readFile ? options.readFile : readSourceFile),
          pp_(Preprocessor::Callbacks{
              [this](const Loc& loc, int column, const std::string& message) { error(loc, column, message); },
              [this](const SourceLine& line) { return elifCondition(line); }}) {}

    Result run(const std::string& mainName, const std::string& text) {
        const int mainId = fileId(mainName);
        filesRead_.push_back(mainName);
        for (const auto& [name, value] : options_.defines) {
            if (!isValidName(name) || name == "." || registerNumber(name)) {
                Loc loc;
                loc.fileId = mainId;
                error(loc, 0, fmt::format("invalid define name '{}'", name));
                continue;
            }
            Symbol s;
            s.kind = SymKind::Define;
            s.value = value;
            s.known = true;
            s.where.fileId = mainId;
            symbols_[name] = s;
        }
        pp_.pushFile(mainId, text);
        while (!stopped_) {
            auto line = pp_.next();
            if (!line) break;
            processLine(*line);
        }
        finishPass1();
        if (!stopped_) pass2();
        return result();
    }

private:
    const Options& options_;
    std::function<std::optional<std::string>(const std::string&)> readFile_;
    Preprocessor pp_;

    std::vector<std::string> fileNames_;
    std::map<std::string, int> fileIds_;
    std::vector<std::string> filesRead_;

    struct Diag {
        uint64_t seq;
        Diagnostic d;
    };
    std::vector<Diag> diags_;
    std::vector<Pending> pending_;
    bool stopped_ = false;  // too many errors

    std::map<std::string, Symbol> symbols_;
    std::vector<Stmt> stmts_;
    uint64_t origin_ = 0;
    uint64_t loc_ = 0;          // the location counter
    bool emitted_ = false;      // any byte laid out yet
    bool orgSeen_ = false;
    uint64_t here_ = 0;         // `.` while evaluating in pass 2

    Program program_;

    // ---- files and diagnostics -------------------------------------------------

    int fileId(const std::string& name) {
        auto [it, added] = fileIds_.try_emplace(name, int(fileNames_.size()));
        if (added) fileNames_.push_back(name);
        return it->second;
    }

    std::string where(const Loc& loc) const { return fmt::format("{}:{}", fileNames_[size_t(loc.fileId)], loc.line); }

    void error(const Loc& loc, int column, const std::string& message) {
        if (stopped_) return;
        if (diags_.size() >= kMaxErrors) {
            stopped_ = true;
            Diagnostic d;
            d.file = fileNames_[size_t(loc.fileId)];
            d.line = loc.line;
            d.column = loc.line > 0 ? std::max(column, 1) : 0;
            d.message = fmt::format("too many errors (more than {}); stopping here", kMaxErrors);
            diags_.push_back({UINT64_MAX, std::move(d)});  // always the last one
            return;
        }
        std::string text = message;
        std::string chain;
        int levels = 0;
        for (auto e = loc.expansion; e; e = e->parent, ++levels) {
            if (levels >= 3) continue;  // only count the outer ones
            chain += fmt::format("{}in expansion of macro '{}' at {}:{}", chain.empty() ? "" : ", ", e->macro,
                                 fileNames_[size_t(e->fileId)], e->line);
        }
        if (levels > 3) chain += fmt::format(", and {} outer expansions", levels - 3);
        if (!chain.empty()) text += " (" + chain + ")";
        Diagnostic d;
        d.file = fileNames_[size_t(loc.fileId)];
        d.line = loc.line;
        d.column = loc.line > 0 ? std::max(column, 1) : 0;
        d.message = std::move(text);
        diags_.push_back({loc.seq, std::move(d)});
    }

    // ---- symbols ----------------------------------------------------------------

    SymbolValue resolvePass1(const std::string& name) const {
        if (name == ".") return {SymbolValue::State::Known, int64_t(loc_)};
        return lookup(name);
    }
    SymbolValue resolvePass2(const std::string& name) const {
        if (name == ".") return {SymbolValue::State::Known, int64_t(here_)};
        return lookup(name);
    }
    SymbolValue lookup(const std::string& name) const {
        auto it = symbols_.find(name);
        if (it == symbols_.end()) return {};
        const Symbol& s = it->second;
        if (s.poisoned) return {SymbolValue::State::Poisoned, 0};
        if (!s.known) return {};
        return {SymbolValue::State::Known, s.value};
    }

    std::string describeDefinition(const std::string& name, const Symbol& s) const {
        switch (s.kind) {
        case SymKind::Label: return fmt::format("label '{}' (at {})", name, where(s.where));
        case SymKind::Define: return fmt::format("'{}' (passed to the assembler as a define)", name);
        case SymKind::Equ: return fmt::format("constant '{}' (.equ at {})", name, where(s.where));
        case SymKind::Set: return fmt::format("constant '{}' (at {})", name, where(s.where));
        }
        return name;
    }

    bool checkDefinableName(const Token& t, const Loc& loc, std::string_view what) {
        if (t.text == ".") {
            error(loc, t.column, fmt::format("'.' is the current address and cannot be defined as a {}", what));
            return false;
        }
        if (registerNumber(t.text)) {
            error(loc, t.column, fmt::format("'{}' is a register name and cannot be used as a {}", t.text, what));
            return false;
        }
        return true;
    }

    void defineLabel(const Token& t, const Loc& loc) {
        if (!checkDefinableName(t, loc, "label")) return;
        auto it = symbols_.find(t.text);
        if (it != symbols_.end()) {
            const Symbol& old = it->second;
            if (old.kind == SymKind::Label)
                error(loc, t.column, fmt::format("label '{}' defined twice (first at {})", t.text, where(old.where)));
            else
                error(loc, t.column,
                      fmt::format("label '{}' clashes with {}", t.text, describeDefinition(t.text, old)));
            return;
        }
        if (loc_ >= kAddressSpace) {
            error(loc, t.column, fmt::format("label '{}' is past the end of the 32-bit address space", t.text));
            return;
        }
        Symbol s;
        s.kind = SymKind::Label;
        s.value = int64_t(loc_);
        s.known = true;
        s.where = loc;
        symbols_[t.text] = s;
    }

    // ---- pass-1 helpers ---------------------------------------------------------

    // A value needed now (for layout or .if). Unknown symbols are reported after
    // pass 1, when it is known whether they are defined later or not at all.
    std::optional<int64_t> valueNow(const Expr& e, const Loc& loc, std::string_view what) {
        const EvalResult r = evaluate(e, [this](const std::string& n) { return resolvePass1(n); });
        if (r.ok()) return r.value;
        if (r.status == EvalResult::Status::Failed) {
            if (!r.message.empty()) error(loc, r.column, r.message);
            return std::nullopt;
        }
        pending_.push_back({loc, r.column, r.symbol, std::string(what)});
        return std::nullopt;
    }

    bool reserve(uint64_t size, const Loc& loc, int column) {
        if (size > kAddressSpace || loc_ + size > kAddressSpace) {
            error(loc, column,
                  fmt::format("the program would pass the end of the 32-bit address space (at {:#x}, {} more bytes)",
                              loc_, size));
            return false;
        }
        if (loc_ + size - origin_ > kMaxImage) {
            error(loc, column, fmt::format("the program would be larger than {} MiB", kMaxImage >> 20));
            return false;
        }
        loc_ += size;
        if (size > 0) emitted_ = true;
        return true;
    }

    Stmt& addStmt(StmtKind kind, const Loc& loc, uint64_t address, uint64_t size) {
        Stmt s;
        s.kind = kind;
        s.loc = loc;
        s.address = address;
        s.size = size;
        stmts_.push_back(std::move(s));
        return stmts_.back();
    }

    // Parses one expression that must run to the end of the line.
    bool singleExpr(const SourceLine& line, const Tokens& toks, size_t from, Expr& out) {
        size_t pos = from;
        ExprError ee;
        if (!parseExpr(toks, pos, endColumnOf(toks), out, ee)) {
            error(line.loc, ee.column, ee.message);
            return false;
        }
        if (pos < toks.size()) {
            error(line.loc, toks[pos].column, fmt::format("unexpected '{}' after the expression", toks[pos].text));
            return false;
        }
        return true;
    }

    // Parses `expr, expr, ...` to the end of the line.
    bool exprList(const SourceLine& line, const Tokens& toks, size_t from, std::vector<Expr>& out) {
        size_t pos = from;
        for (;;) {
            Expr e;
            ExprError ee;
            if (!parseExpr(toks, pos, endColumnOf(toks), e, ee)) {
                error(line.loc, ee.column, ee.message);
                return false;
            }
            out.push_back(std::move(e));
            if (pos >= toks.size()) return true;
            if (!toks[pos].is(",")) {
                error(line.loc, toks[pos].column,
                      fmt::format("expected ',' between values, got '{}'", toks[pos].text));
                return false;
            }
            ++pos;
        }
    }

    bool noMoreOperands(const SourceLine& line, const Tokens& toks, size_t from, std::string_view directive) {
        if (from < toks.size()) {
            error(line.loc, toks[from].column, fmt::format("unexpected '{}' after {}", toks[from].text, directive));
            return false;
        }
        return true;
    }

    // ---- pass 1: one line -------------------------------------------------------

    bool lexSourceLine(const SourceLine& line, Tokens& toks) {
        LexError le;
        if (!lexLine(line.text, toks, le)) {
            error(line.loc, line.column(le.offset), le.message);
            return false;
        }
        for (auto& t : toks) t.column = line.column(t.offset);
        return true;
    }

    void processLine(const SourceLine& line) {
        Tokens toks;
        if (!lexSourceLine(line, toks)) return;
        size_t i = 0;
        while (i + 1 < toks.size() && toks[i].kind == TokenKind::Name && toks[i + 1].is(":")) {
            defineLabel(toks[i], line.loc);
            i += 2;
        }
        if (i >= toks.size()) return;
        const Token& head = toks[i];
        if (head.kind != TokenKind::Name) {
            error(line.loc, head.column,
                  fmt::format("expected a label, an instruction or a directive, got '{}'", head.text));
            return;
        }
        if (i + 1 < toks.size() && toks[i + 1].is("=")) {
            assign(line, toks, i, i + 2, SymKind::Set);
            return;
        }
        const std::string lower = toLower(head.text);
        if (isDirective(lower)) {
            directive(line, toks, i, lower);
            return;
        }
        if (const Macro* m = pp_.findMacro(head.text)) {
            invokeMacro(*m, line, toks, i);
            return;
        }
        if (lower[0] == '.') {
            error(line.loc, head.column, fmt::format("unknown directive '{}'", head.text));
            return;
        }
        const isa::InstructionInfo* info = isa::infoForMnemonic(lower);
        if (!info) {
            error(line.loc, head.column, fmt::format("unknown mnemonic '{}'", head.text));
            return;
        }
        instruction(line, toks, i, *info);
    }

    void instruction(const SourceLine& line, const Tokens& toks, size_t at, const isa::InstructionInfo& info) {
        const uint64_t size = isa::lengthOf(info.format);
        const uint64_t address = loc_;
        Operands ops;
        ExprError ee;
        if (!parseOperands(info, toks, at + 1, line.text, endColumnOf(toks), ops, ee)) {
            error(line.loc, ee.column, ee.message);
            reserve(size, line.loc, toks[at].column);  // keep later addresses where they belong
            return;
        }
        if (!reserve(size, line.loc, toks[at].column)) return;
        Stmt& s = addStmt(StmtKind::Insn, line.loc, address, size);
        s.info = &info;
        s.fields = ops.fields;
        if (ops.imm) s.exprs.push_back(std::move(*ops.imm));
    }

    void directive(const SourceLine& line, const Tokens& toks, size_t at, const std::string& name) {
        const Loc& loc = line.loc;
        const int column = toks[at].column;
        const size_t args = at + 1;
        if (name == ".if" || name == ".ifdef" || name == ".ifndef") {
            std::optional<bool> value = name == ".if" ? condition(line, toks, at) : definedTest(line, toks, at);
            pp_.beginIf(value.value_or(false), loc, column, name, !value);
        } else if (name == ".elif") {
            pp_.elseIf(loc, column);  // this line is active: the branch before it was taken
        } else if (name == ".else") {
            noMoreOperands(line, toks, args, name);
            pp_.elseBranch(loc, column);
        } else if (name == ".endif") {
            noMoreOperands(line, toks, args, name);
            pp_.endIf(loc, column);
        } else if (name == ".macro") {
            defineMacro(line, toks, at);
        } else if (name == ".endm") {
            error(loc, column, ".endm without .macro");
        } else if (name == ".include") {
            include(line, toks, at);
        } else if (name == ".equ" || name == ".set") {
            if (args >= toks.size() || toks[args].kind != TokenKind::Name) {
                error(loc, args < toks.size() ? toks[args].column : endColumnOf(toks),
                      fmt::format("{} expects a name and a value: {} NAME, value", name, name));
                return;
            }
            if (args + 1 >= toks.size() || !toks[args + 1].is(",")) {
                error(loc, args + 1 < toks.size() ? toks[args + 1].column : endColumnOf(toks),
                      fmt::format("expected ',' after '{}'", toks[args].text));
                return;
            }
            assign(line, toks, args, args + 2, name == ".equ" ? SymKind::Equ : SymKind::Set);
        } else if (name == ".org") {
            org(line, toks, at);
        } else if (name == ".word" || name == ".byte") {
            std::vector<Expr> items;
            if (!exprList(line, toks, args, items)) return;
            const uint64_t size = items.size() * (name == ".word" ? 4 : 1);
            const uint64_t address = loc_;
            if (!reserve(size, loc, column)) return;
            Stmt& s = addStmt(name == ".word" ? StmtKind::Word : StmtKind::Byte, loc, address, size);
            s.exprs = std::move(items);
        } else if (name == ".ascii" || name == ".asciz") {
            std::string bytes;
            size_t pos = args;
            for (;;) {
                if (pos >= toks.size() || toks[pos].kind != TokenKind::String) {
                    error(loc, pos < toks.size() ? toks[pos].column : endColumnOf(toks),
                          fmt::format("{} expects a string in double quotes", name));
                    return;
                }
                bytes += toks[pos].bytes;
                if (name == ".asciz") bytes += '\0';
                ++pos;
                if (pos >= toks.size()) break;
                if (!toks[pos].is(",")) {
                    error(loc, toks[pos].column, fmt::format("expected ',' between strings, got '{}'", toks[pos].text));
                    return;
                }
                ++pos;
            }
            const uint64_t address = loc_;
            if (!reserve(bytes.size(), loc, column)) return;
            addStmt(StmtKind::Bytes, loc, address, bytes.size()).bytes = std::move(bytes);
        } else if (name == ".space") {
            space(line, toks, at);
        } else if (name == ".align") {
            align(line, toks, at);
        } else if (name == ".error") {
            if (args < toks.size() && toks[args].kind == TokenKind::String && args + 1 == toks.size())
                error(loc, column, toks[args].bytes);
            else if (args == toks.size())
                error(loc, column, ".error directive reached");
            else
                error(loc, toks[args].column, ".error expects a message in double quotes");
        }
    }

    std::optional<bool> condition(const SourceLine& line, const Tokens& toks, size_t at) {
        Expr e;
        if (!singleExpr(line, toks, at + 1, e)) return std::nullopt;
        auto v = valueNow(e, line.loc, "'" + toLower(toks[at].text) + "'");
        if (!v) return std::nullopt;
        return *v != 0;
    }

    std::optional<bool> definedTest(const SourceLine& line, const Tokens& toks, size_t at) {
        const std::string name = toLower(toks[at].text);
        if (at + 1 >= toks.size() || toks[at + 1].kind != TokenKind::Name) {
            error(line.loc, at + 1 < toks.size() ? toks[at + 1].column : endColumnOf(toks),
                  fmt::format("{} expects a symbol name", name));
            return std::nullopt;
        }
        if (!noMoreOperands(line, toks, at + 2, name)) return std::nullopt;
        const bool defined = symbols_.count(toks[at + 1].text) > 0;
        return name == ".ifdef" ? defined : !defined;
    }

    std::optional<bool> elifCondition(const SourceLine& line) {
        Tokens toks;
        if (!lexSourceLine(line, toks)) return std::nullopt;
        size_t i = 0;
        while (i + 1 < toks.size() && toks[i].kind == TokenKind::Name && toks[i + 1].is(":")) i += 2;
        return condition(line, toks, i);
    }

    void assign(const SourceLine& line, const Tokens& toks, size_t nameAt, size_t exprAt, SymKind kind) {
        const Token& t = toks[nameAt];
        const Loc& loc = line.loc;
        if (!checkDefinableName(t, loc, "constant")) return;
        auto it = symbols_.find(t.text);
        if (it != symbols_.end()) {
            const Symbol& old = it->second;
            if (old.kind == SymKind::Label || old.kind == SymKind::Define ||
                (old.kind == SymKind::Equ && kind == SymKind::Set)) {
                error(loc, t.column,
                      fmt::format("'{}' is already defined as {} and cannot be changed", t.text,
                                  describeDefinition(t.text, old)));
                return;
            }
            if (kind == SymKind::Equ) {
                error(loc, t.column,
                      old.kind == SymKind::Equ
                          ? fmt::format("constant '{}' defined twice (first at {})", t.text, where(old.where))
                          : fmt::format("'{}' is already defined (at {}); .equ cannot redefine it", t.text,
                                        where(old.where)));
                return;
            }
        }
        Expr e;
        if (!singleExpr(line, toks, exprAt, e)) {
            // Keep the name defined, so later uses do not pile up more errors.
            Symbol s;
            s.kind = kind;
            s.poisoned = true;
            s.where = loc;
            symbols_[t.text] = s;
            return;
        }
        const EvalResult r = evaluate(e, [this](const std::string& n) { return resolvePass1(n); });
        Symbol s;
        s.kind = kind;
        s.where = loc;
        if (r.ok()) {
            s.value = r.value;
            s.known = true;
        } else if (r.status == EvalResult::Status::Failed) {
            if (!r.message.empty()) error(loc, r.column, r.message);
            s.poisoned = true;
            symbols_[t.text] = s;
            return;
        }
        s.stmt = int(stmts_.size());
        symbols_[t.text] = s;
        Stmt& st = addStmt(StmtKind::Assign, loc, loc_, 0);
        st.name = t.text;
        st.resolved = r.ok();
        st.value = r.value;
        st.exprs.push_back(std::move(e));
    }

    void org(const SourceLine& line, const Tokens& toks, size_t at) {
        Expr e;
        if (!singleExpr(line, toks, at + 1, e)) return;
        auto v = valueNow(e, line.loc, "'.org'");
        if (!v) return;
        if (*v < 0 || *v > int64_t(UINT32_MAX)) {
            error(line.loc, e.column, fmt::format(".org needs an address from 0 to 0xffffffff, got {}", *v));
            return;
        }
        const uint64_t target = uint64_t(*v);
        if (!emitted_ && !orgSeen_) {
            orgSeen_ = true;
            origin_ = loc_ = target;
            return;
        }
        orgSeen_ = true;
        if (target < loc_) {
            error(line.loc, e.column,
                  fmt::format(".org {:#x} would move backwards (the location counter is already at {:#x})", target,
                              loc_));
            return;
        }
        const uint64_t address = loc_;
        if (!reserve(target - loc_, line.loc, e.column)) return;
        if (target > address) addStmt(StmtKind::Zeros, line.loc, address, target - address);
    }

    void space(const SourceLine& line, const Tokens& toks, size_t at) {
        std::vector<Expr> items;
        if (!exprList(line, toks, at + 1, items)) return;
        if (items.size() > 2) {
            error(line.loc, items[2].column, ".space expects a size and an optional fill byte");
            return;
        }
        auto n = valueNow(items[0], line.loc, "'.space'");
        if (!n) return;
        if (*n < 0) {
            error(line.loc, items[0].column, fmt::format(".space needs a size of 0 or more, got {}", *n));
            return;
        }
        const uint64_t address = loc_;
        if (!reserve(uint64_t(*n), line.loc, items[0].column)) return;
        Stmt& s = addStmt(StmtKind::Space, line.loc, address, uint64_t(*n));
        if (items.size() == 2) s.exprs.push_back(std::move(items[1]));
    }

    void align(const SourceLine& line, const Tokens& toks, size_t at) {
        Expr e;
        if (!singleExpr(line, toks, at + 1, e)) return;
        auto v = valueNow(e, line.loc, "'.align'");
        if (!v) return;
        if (*v <= 0 || *v > int64_t(kAddressSpace) || (*v & (*v - 1)) != 0) {
            error(line.loc, e.column, fmt::format(".align needs a power of two, got {}", *v));
            return;
        }
        const uint64_t n = uint64_t(*v);
        const uint64_t pad = (n - loc_ % n) % n;
        const uint64_t address = loc_;
        if (!reserve(pad, line.loc, e.column)) return;
        if (pad > 0) addStmt(StmtKind::Zeros, line.loc, address, pad);
    }

    void include(const SourceLine& line, const Tokens& toks, size_t at) {
        const size_t a = at + 1;
        if (a >= toks.size() || toks[a].kind != TokenKind::String) {
            error(line.loc, a < toks.size() ? toks[a].column : endColumnOf(toks),
                  ".include expects a file name in double quotes");
            return;
        }
        if (!noMoreOperands(line, toks, a + 1, ".include")) return;
        const std::string& name = toks[a].bytes;
        const int column = toks[a].column;
        if (name.empty()) {
            error(line.loc, column, ".include needs a file name");
            return;
        }
        const std::vector<int> open = pp_.openFiles();
        if (open.size() > size_t(kMaxIncludeDepth)) {
            error(line.loc, column, fmt::format("includes nested too deeply (more than {} levels)", kMaxIncludeDepth));
            return;
        }
        namespace fs = std::filesystem;
        std::vector<std::string> candidates;
        const fs::path rel(name);
        if (rel.is_absolute()) {
            candidates.push_back(rel.lexically_normal().generic_string());
        } else {
            const fs::path dir = fs::path(fileNames_[size_t(line.loc.fileId)]).parent_path();
            candidates.push_back((dir / rel).lexically_normal().generic_string());
            for (const auto& d : options_.includeDirs)
                candidates.push_back((fs::path(d) / rel).lexically_normal().generic_string());
        }
        for (const auto& path : candidates) {
            auto text = readFile_(path);
            if (!text) continue;
            auto id = fileIds_.find(path);
            if (id != fileIds_.end()) {
                auto first = std::find(open.begin(), open.end(), id->second);
                if (first != open.end()) {
                    std::string chain;
                    for (auto f = first; f != open.end(); ++f) chain += fileNames_[size_t(*f)] + " -> ";
                    error(line.loc, column, fmt::format("'{}' includes itself ({}{})", path, chain, path));
                    return;
                }
            }
            if (std::find(filesRead_.begin(), filesRead_.end(), path) == filesRead_.end())
                filesRead_.push_back(path);
            pp_.pushFile(fileId(path), *text);
            return;
        }
        std::string tried;
        for (const auto& c : candidates) tried += (tried.empty() ? "" : ", ") + c;
        error(line.loc, column, fmt::format("cannot open include file '{}' (tried {})", name, tried));
    }

    void defineMacro(const SourceLine& line, const Tokens& toks, size_t at) {
        Macro m;
        m.where = line.loc;
        const int column = toks[at].column;
        auto bad = [&](int col, std::string message) {
            error(line.loc, col, message);
            pp_.beginMacro(std::move(m), column, true);  // still skip its body
        };
        size_t pos = at + 1;
        if (pos >= toks.size() || toks[pos].kind != TokenKind::Name)
            return bad(pos < toks.size() ? toks[pos].column : endColumnOf(toks), ".macro expects a name");
        const Token& nameTok = toks[pos];
        m.name = nameTok.text;
        const std::string lower = toLower(m.name);
        if (registerNumber(m.name) || m.name == ".")
            return bad(nameTok.column, fmt::format("'{}' cannot be a macro name", m.name));
        if (isa::infoForMnemonic(lower))
            return bad(nameTok.column, fmt::format("macro name '{}' clashes with the instruction '{}'", m.name, lower));
        if (isDirective(lower))
            return bad(nameTok.column, fmt::format("macro name '{}' clashes with the directive '{}'", m.name, lower));
        if (const Macro* old = pp_.findMacro(m.name))
            return bad(nameTok.column,
                       fmt::format("macro '{}' defined twice (first at {})", m.name, where(old->where)));
        ++pos;
        while (pos < toks.size()) {
            const Token& p = toks[pos];
            bool valid = p.kind == TokenKind::Name && !p.text.empty() &&
                         std::all_of(p.text.begin(), p.text.end(), [](char c) {
                             return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                                    (c >= 'A' && c <= 'Z');
                         }) &&
                         !(p.text[0] >= '0' && p.text[0] <= '9');
            if (!valid) return bad(p.column, fmt::format("expected a parameter name, got '{}'", p.text));
            if (std::find(m.params.begin(), m.params.end(), p.text) != m.params.end())
                return bad(p.column, fmt::format("parameter '{}' appears twice", p.text));
            m.params.push_back(p.text);
            ++pos;
            if (pos < toks.size() && toks[pos].is(",")) {
                ++pos;
                if (pos >= toks.size()) return bad(endColumnOf(toks), "expected a parameter name after ','");
            }
        }
        pp_.beginMacro(std::move(m), column);
    }

    void invokeMacro(const Macro& m, const SourceLine& line, const Tokens& toks, size_t at) {
        const Token& head = toks[at];
        std::string_view rest;
        if (head.end <= line.text.size()) rest = std::string_view(line.text).substr(head.end);
        std::vector<std::string> args;
        for (auto& a : splitArguments(rest)) args.push_back(std::move(a.text));
        if (args.size() != m.params.size()) {
            std::string params;
            for (const auto& p : m.params) params += (params.empty() ? "" : ", ") + p;
            error(line.loc, head.column,
                  m.params.empty()
                      ? fmt::format("macro '{}' expects no arguments, got {}", m.name, args.size())
                      : fmt::format("macro '{}' expects {} argument{} ({}), got {}", m.name, m.params.size(),
                                    m.params.size() == 1 ? "" : "s", params, args.size()));
            return;
        }
        pp_.expand(m, args, line.loc, head.column);
    }

    // ---- between the passes -------------------------------------------------------

    void finishPass1() {
        for (const auto& p : pending_) {
            if (symbols_.count(p.symbol))
                error(p.loc, p.column,
                      fmt::format("'{}' has no value yet at this point ({} needs values defined before it)", p.symbol,
                                  p.what));
            else
                error(p.loc, p.column, fmt::format("undefined symbol '{}'", p.symbol));
        }
        // .equ constants that depend on labels defined later: all labels are known now.
        for (bool progress = true; progress;) {
            progress = false;
            for (auto& [name, s] : symbols_) {
                if (s.kind != SymKind::Equ || s.known || s.poisoned || s.stmt < 0) continue;
                const Stmt& st = stmts_[size_t(s.stmt)];
                here_ = st.address;
                const EvalResult r = evaluate(st.exprs[0], [this](const std::string& n) { return resolvePass2(n); });
                if (r.ok()) {
                    s.value = r.value;
                    s.known = true;
                    progress = true;
                }
            }
        }
    }

    // ---- pass 2 -------------------------------------------------------------------

    std::optional<int64_t> valueLater(const Expr& e, const Loc& loc) {
        const EvalResult r = evaluate(e, [this](const std::string& n) { return resolvePass2(n); });
        if (r.ok()) return r.value;
        if (r.status == EvalResult::Status::Failed) {
            if (!r.message.empty()) error(loc, r.column, r.message);
        } else if (symbols_.count(r.symbol)) {
            error(loc, r.column, fmt::format("'{}' has no value at this point", r.symbol));
        } else {
            error(loc, r.column, fmt::format("undefined symbol '{}'", r.symbol));
        }
        return std::nullopt;
    }

    std::optional<uint32_t> word(const Expr& e, const Loc& loc) {
        auto v = valueLater(e, loc);
        if (!v) return std::nullopt;
        if (!fits32(*v)) {
            error(loc, e.column, fmt::format("value {} does not fit in 32 bits", *v));
            return std::nullopt;
        }
        return uint32_t(uint64_t(*v));
    }

    std::optional<uint8_t> byte(const Expr& e, const Loc& loc) {
        auto v = valueLater(e, loc);
        if (!v) return std::nullopt;
        if (*v < -128 || *v > 255) {
            error(loc, e.column, fmt::format("value {} does not fit in a byte", *v));
            return std::nullopt;
        }
        return uint8_t(uint64_t(*v));
    }

    void pass2() {
        std::vector<uint8_t>& image = program_.image;
        image.assign(size_t(loc_ - origin_), 0);
        for (Stmt& s : stmts_) {
            if (stopped_) break;
            here_ = s.address;
            // Statements without bytes (constants) may sit before an origin-setting .org.
            uint8_t* out = s.size > 0 ? image.data() + (s.address - origin_) : nullptr;
            switch (s.kind) {
            case StmtKind::Insn:
                if (!s.exprs.empty()) {
                    auto v = word(s.exprs[0], s.loc);
                    s.fields.imm = v.value_or(0);
                }
                encodeInstruction(*s.info, s.fields, out);
                break;
            case StmtKind::Word:
                for (size_t i = 0; i < s.exprs.size(); ++i) {
                    const uint32_t w = word(s.exprs[i], s.loc).value_or(0);
                    for (int b = 0; b < 4; ++b) out[4 * i + size_t(b)] = uint8_t(w >> (8 * b));
                }
                break;
            case StmtKind::Byte:
                for (size_t i = 0; i < s.exprs.size(); ++i) out[i] = byte(s.exprs[i], s.loc).value_or(0);
                break;
            case StmtKind::Bytes:
                std::copy(s.bytes.begin(), s.bytes.end(), out);
                break;
            case StmtKind::Space:
                if (!s.exprs.empty()) {
                    const uint8_t fill = byte(s.exprs[0], s.loc).value_or(0);
                    std::fill(out, out + s.size, fill);
                }
                break;
            case StmtKind::Zeros:
                break;
            case StmtKind::Assign: {
                Symbol& sym = symbols_[s.name];
                if (s.resolved) {
                    sym.value = s.value;
                    sym.known = true;
                    sym.poisoned = false;
                    break;
                }
                auto v = valueLater(s.exprs[0], s.loc);
                sym.known = v.has_value();
                sym.poisoned = !v;
                sym.value = v.value_or(0);
                break;
            }
            }
            if (s.size > 0)
                program_.lineMap.push_back(
                    {uint32_t(s.address), SourceLocation{fileNames_[size_t(s.loc.fileId)], s.loc.line}});
        }
    }

    Result result() {
        Result r;
        std::stable_sort(diags_.begin(), diags_.end(), [](const Diag& a, const Diag& b) { return a.seq < b.seq; });
        for (auto& d : diags_) r.errors.push_back(std::move(d.d));
        if (!r.errors.empty()) return r;
        program_.origin = uint32_t(origin_);
        for (const auto& [name, s] : symbols_) {
            if (s.kind == SymKind::Label) program_.labels[name] = uint32_t(s.value);
            else if (s.known) program_.constants[name] = s.value;
        }
        auto start = program_.labels.find("_start");
        program_.entry = start != program_.labels.end() ? start->second : program_.origin;
        program_.files = filesRead_;
        r.program = std::move(program_);
        return r;
    }
};

}  // namespace

Result assembleText(const std::string& text, const std::string& fileName, const Options& options) {
    Assembler a(options);
    return a.run(fileName, text);
}

Result assembleFile(const std::string& path, const Options& options) {
    auto text = options.readFile ? options.readFile(path) : readSourceFile(path);
    if (!text) {
        Result r;
        Diagnostic d;
        d.file = path;
        d.message = "cannot open file";
        r.errors.push_back(std::move(d));
        return r;
    }
    Assembler a(options);
    return a.run(path, *text);
}

}  // namespace ringsim::assembler
