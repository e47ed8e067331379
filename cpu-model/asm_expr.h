// Assembler, step 2: expressions. Parsed once into a small tree, evaluated
// (possibly several times) with 64-bit signed arithmetic against a symbol
// resolver supplied by the caller.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "asm_lexer.h"

namespace ringsim::assembler::detail {

constexpr int kMaxExprDepth = 200;

enum class ExprOp : uint8_t {
    Number, Symbol,
    Neg, BitNot, LogNot,
    Mul, Div, Mod, Add, Sub, Shl, Shr,
    Lt, Le, Gt, Ge, Eq, Ne,
    BitAnd, BitXor, BitOr, LogAnd, LogOr,
};

struct ExprNode {
    ExprOp op = ExprOp::Number;
    int64_t value = 0;   // Number
    std::string name;    // Symbol (`.` is the current address)
    int column = 1;      // of the token that made the node
    int lhs = -1, rhs = -1;
    int depth = 1;
};

struct Expr {
    std::vector<ExprNode> nodes;
    int root = -1;
    int column = 1;  // of the first token
    bool valid() const { return root >= 0; }
};

struct ExprError {
    int column = 1;
    std::string message;
};

// Parses an expression from tokens[pos...]; stops at the first token that
// cannot continue it (`,`, `]`, the end). On success pos is past the
// expression. `endColumn` is reported when the tokens run out too early.
bool parseExpr(const std::vector<Token>& tokens, size_t& pos, int endColumn, Expr& out, ExprError& error);

struct SymbolValue {
    enum class State { Known, Unknown, Poisoned } state = State::Unknown;
    int64_t value = 0;
};
using Resolver = std::function<SymbolValue(const std::string& name)>;

struct EvalResult {
    enum class Status { Ok, Unknown, Failed } status = Status::Ok;
    int64_t value = 0;
    int column = 1;
    std::string message;  // Failed: what went wrong (empty when already reported elsewhere)
    std::string symbol;   // Unknown: the first symbol without a value
    bool ok() const { return status == Status::Ok; }
};

EvalResult evaluate(const Expr& expr, const Resolver& resolve);

// True when v fits in 32 bits as a signed or an unsigned number.
constexpr bool fits32(int64_t v) { return v >= INT32_MIN && v <= int64_t(UINT32_MAX); }

}  // namespace ringsim::assembler::detail
