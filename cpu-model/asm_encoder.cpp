#include "asm_encoder.h"

#include <fmt/format.h>

#include <string>

namespace ringsim::assembler::detail {
namespace {

enum class Kind { Reg, Value, Memory, ControlReg };

struct Shape {
    int count;
    Kind kinds[3];
    int regField[3];  // which field (0 = a, 1 = b, 2 = c) a register operand goes to
};

Shape shapeOf(isa::Format f) {
    using F = isa::Format;
    switch (f) {
    case F::None: return {0, {}, {}};
    case F::R: return {1, {Kind::Reg}, {0}};
    case F::RR: return {2, {Kind::Reg, Kind::Reg}, {0, 1}};
    case F::RRR: return {3, {Kind::Reg, Kind::Reg, Kind::Reg}, {0, 1, 2}};
    case F::RI: return {2, {Kind::Reg, Kind::Value}, {0, -1}};
    case F::RRI: return {3, {Kind::Reg, Kind::Reg, Kind::Value}, {0, 1, -1}};
    case F::Target: return {1, {Kind::Value}, {-1}};
    case F::Imm: return {1, {Kind::Value}, {-1}};
    case F::Load: return {2, {Kind::Reg, Kind::Memory}, {0, -1}};
    case F::Store: return {2, {Kind::Memory, Kind::Reg}, {-1, 0}};
    case F::PortIn: return {2, {Kind::Reg, Kind::Value}, {0, -1}};
    case F::PortOut: return {2, {Kind::Value, Kind::Reg}, {-1, 0}};
    case F::Cr: return {2, {Kind::Reg, Kind::ControlReg}, {0, -1}};
    }
    return {0, {}, {}};
}

struct Range {
    size_t begin, end;  // token indices
};

class OperandParser {
public:
    OperandParser(const std::vector<Token>& tokens, std::string_view lineText, ExprError& error)
        : tokens_(tokens), text_(lineText), error_(error) {}

    bool fail(int column, std::string message) {
        error_.column = column;
        error_.message = std::move(message);
        return false;
    }

    std::string textOf(Range r) const {
        const size_t from = tokens_[r.begin].offset, to = tokens_[r.end - 1].end;
        if (from >= text_.size() || to > text_.size() || to <= from) return tokens_[r.begin].text;
        return std::string(text_.substr(from, to - from));
    }
    int endColumnOf(Range r) const {
        const Token& last = tokens_[r.end - 1];
        return last.column + int(last.end - last.offset);
    }

    bool reg(Range r, uint8_t& out) {
        const Token& t = tokens_[r.begin];
        auto n = t.kind == TokenKind::Name ? registerNumber(t.text) : std::nullopt;
        if (!n) return fail(t.column, fmt::format("expected a register, got '{}'", textOf(r)));
        if (r.end - r.begin > 1)
            return fail(tokens_[r.begin + 1].column,
                        fmt::format("unexpected '{}' after register '{}'", tokens_[r.begin + 1].text, t.text));
        out = uint8_t(*n);
        return true;
    }

    bool value(Range r, std::optional<Expr>& out) {
        size_t pos = r.begin;
        Expr e;
        if (!parseExpr(tokens_, pos, endColumnOf(r), e, error_)) return false;
        if (pos < r.end)
            return fail(tokens_[pos].column, fmt::format("unexpected '{}' after the expression", tokens_[pos].text));
        out = std::move(e);
        return true;
    }

    bool memory(Range r, uint8_t& base, std::optional<Expr>& offset) {
        const Token& open = tokens_[r.begin];
        if (!open.is("["))
            return fail(open.column,
                        fmt::format("expected a memory operand like [rb + offset], got '{}'", textOf(r)));
        size_t pos = r.begin + 1;
        if (pos >= r.end) return fail(endColumnOf(r), "expected a base register after '['");
        const Token& b = tokens_[pos];
        auto n = b.kind == TokenKind::Name ? registerNumber(b.text) : std::nullopt;
        if (!n) return fail(b.column, fmt::format("expected a register, got '{}'", b.text));
        base = uint8_t(*n);
        ++pos;
        if (pos >= r.end) return fail(endColumnOf(r), "missing ']'");
        const Token& sep = tokens_[pos];
        if (sep.is("+") || sep.is("-")) {
            if (sep.is("+")) ++pos;  // `-` stays: it negates the first term
            Expr e;
            if (!parseExpr(tokens_, pos, endColumnOf(r), e, error_)) return false;
            offset = std::move(e);
            if (pos >= r.end) return fail(endColumnOf(r), "missing ']'");
            if (!tokens_[pos].is("]"))
                return fail(tokens_[pos].column, fmt::format("expected ']', got '{}'", tokens_[pos].text));
        } else if (!sep.is("]")) {
            return fail(sep.column, fmt::format("expected '+', '-' or ']' after the base register, got '{}'", sep.text));
        }
        ++pos;  // past ']'
        if (pos < r.end)
            return fail(tokens_[pos].column, fmt::format("unexpected '{}' after ']'", tokens_[pos].text));
        return true;
    }

    bool controlReg(Range r, uint8_t& out) {
        const Token& t = tokens_[r.begin];
        std::optional<isa::ControlRegister> cr;
        if (t.kind == TokenKind::Name && r.end - r.begin == 1) cr = isa::controlRegisterFromName(toLower(t.text));
        if (!cr) {
            std::string known;
            for (int i = 0; i < isa::kControlRegisterCount; ++i) {
                if (i) known += ", ";
                known += isa::controlRegisterName(isa::ControlRegister(i));
            }
            return fail(t.column, fmt::format("unknown control register '{}' (expected {})", textOf(r), known));
        }
        out = uint8_t(*cr);
        return true;
    }

private:
    const std::vector<Token>& tokens_;
    std::string_view text_;
    ExprError& error_;
};

}  // namespace

std::string_view operandPattern(isa::Format f) {
    using F = isa::Format;
    switch (f) {
    case F::None: return "";
    case F::R: return "ra";
    case F::RR: return "ra, rb";
    case F::RRR: return "ra, rb, rc";
    case F::RI: return "ra, imm";
    case F::RRI: return "ra, rb, imm";
    case F::Target: return "target";
    case F::Imm: return "imm";
    case F::Load: return "ra, [rb + offset]";
    case F::Store: return "[rb + offset], ra";
    case F::PortIn: return "ra, port";
    case F::PortOut: return "port, ra";
    case F::Cr: return "ra, crname";
    }
    return "";
}

int operandCount(isa::Format f) { return shapeOf(f).count; }

bool parseOperands(const isa::InstructionInfo& info, const std::vector<Token>& tokens, size_t first,
                   std::string_view lineText, int endColumn, Operands& out, ExprError& error) {
    // Split at commas outside brackets and parentheses.
    std::vector<Range> groups;
    std::vector<int> commaColumns;
    if (first < tokens.size()) {
        int depth = 0;
        size_t start = first;
        for (size_t i = first; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.is("(") || t.is("[")) ++depth;
            if ((t.is(")") || t.is("]")) && depth > 0) --depth;
            if (t.is(",") && depth == 0) {
                groups.push_back({start, i});
                commaColumns.push_back(t.column);
                start = i + 1;
            }
        }
        groups.push_back({start, tokens.size()});
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        if (groups[g].begin == groups[g].end) {
            error.column = g < commaColumns.size() ? commaColumns[g] : endColumn;
            error.message = g < commaColumns.size() ? "missing operand before ','" : "missing operand after ','";
            return false;
        }
    }
    const Shape shape = shapeOf(info.format);
    if (int(groups.size()) != shape.count) {
        error.column = int(groups.size()) > shape.count ? tokens[groups[size_t(shape.count)].begin].column
                                                        : (first > 0 ? tokens[first - 1].column : 1);
        if (shape.count == 0)
            error.message = fmt::format("'{}' expects no operands, got {}", info.mnemonic, groups.size());
        else
            error.message = fmt::format("'{}' expects {} operand{} ({}), got {}", info.mnemonic, shape.count,
                                        shape.count == 1 ? "" : "s", operandPattern(info.format), groups.size());
        return false;
    }
    OperandParser p(tokens, lineText, error);
    uint8_t regs[3] = {0, 0, 0};
    for (int i = 0; i < shape.count; ++i) {
        const Range r = groups[size_t(i)];
        switch (shape.kinds[i]) {
        case Kind::Reg: {
            uint8_t n = 0;
            if (!p.reg(r, n)) return false;
            regs[shape.regField[i]] = n;
            break;
        }
        case Kind::Value:
            if (!p.value(r, out.imm)) return false;
            break;
        case Kind::Memory:
            if (!p.memory(r, regs[1], out.imm)) return false;
            break;
        case Kind::ControlReg:
            if (!p.controlReg(r, regs[1])) return false;
            break;
        }
    }
    out.fields.a = regs[0];
    out.fields.b = regs[1];
    out.fields.c = regs[2];
    return true;
}

void encodeInstruction(const isa::InstructionInfo& info, const isa::Fields& fields, uint8_t* out) {
    auto put = [&](uint32_t w, uint8_t* p) {
        for (int i = 0; i < 4; ++i) p[i] = uint8_t(w >> (8 * i));
    };
    put(isa::encodeFirstWord(info.opcode, fields), out);
    if (isa::hasImmediateWord(info.format)) put(fields.imm, out + 4);
}

}  // namespace ringsim::assembler::detail
