#include "asm_expr.h"

#include <fmt/format.h>

#include <algorithm>

namespace ringsim::assembler::detail {
namespace {

struct BinaryOp {
    ExprOp op;
    int precedence;  // higher binds tighter, as in C
};

std::optional<BinaryOp> binaryOp(const Token& t) {
    if (t.kind != TokenKind::Punct) return std::nullopt;
    static const std::pair<std::string_view, BinaryOp> kOps[] = {
        {"||", {ExprOp::LogOr, 1}},  {"&&", {ExprOp::LogAnd, 2}}, {"|", {ExprOp::BitOr, 3}},
        {"^", {ExprOp::BitXor, 4}},  {"&", {ExprOp::BitAnd, 5}},  {"==", {ExprOp::Eq, 6}},
        {"!=", {ExprOp::Ne, 6}},     {"<", {ExprOp::Lt, 7}},      {"<=", {ExprOp::Le, 7}},
        {">", {ExprOp::Gt, 7}},      {">=", {ExprOp::Ge, 7}},     {"<<", {ExprOp::Shl, 8}},
        {">>", {ExprOp::Shr, 8}},    {"+", {ExprOp::Add, 9}},     {"-", {ExprOp::Sub, 9}},
        {"*", {ExprOp::Mul, 10}},    {"/", {ExprOp::Div, 10}},    {"%", {ExprOp::Mod, 10}},
    };
    for (const auto& [text, op] : kOps)
        if (t.text == text) return op;
    return std::nullopt;
}

class Parser {
public:
    Parser(const std::vector<Token>& tokens, size_t& pos, int endColumn, Expr& out, ExprError& error)
        : tokens_(tokens), pos_(pos), endColumn_(endColumn), out_(out), error_(error) {}

    bool run() {
        out_.nodes.clear();
        out_.root = -1;
        out_.column = pos_ < tokens_.size() ? tokens_[pos_].column : endColumn_;
        const int root = binary(1, 0);
        if (root < 0) return false;
        out_.root = root;
        return true;
    }

private:
    const std::vector<Token>& tokens_;
    size_t& pos_;
    int endColumn_;
    Expr& out_;
    ExprError& error_;

    int fail(int column, std::string message) {
        error_.column = column;
        error_.message = std::move(message);
        return -1;
    }
    int tooDeep(int column) {
        return fail(column, fmt::format("expression nested too deeply (more than {} levels)", kMaxExprDepth));
    }

    int add(ExprNode node) {
        int depth = 1;
        if (node.lhs >= 0) depth = std::max(depth, out_.nodes[size_t(node.lhs)].depth + 1);
        if (node.rhs >= 0) depth = std::max(depth, out_.nodes[size_t(node.rhs)].depth + 1);
        if (depth > kMaxExprDepth) return tooDeep(node.column);
        node.depth = depth;
        out_.nodes.push_back(std::move(node));
        return int(out_.nodes.size() - 1);
    }

    int binary(int minPrecedence, int nesting) {
        int lhs = unary(nesting);
        if (lhs < 0) return -1;
        while (pos_ < tokens_.size()) {
            auto op = binaryOp(tokens_[pos_]);
            if (!op || op->precedence < minPrecedence) break;
            const int column = tokens_[pos_].column;
            ++pos_;
            const int rhs = binary(op->precedence + 1, nesting);
            if (rhs < 0) return -1;
            ExprNode node;
            node.op = op->op;
            node.column = column;
            node.lhs = lhs;
            node.rhs = rhs;
            lhs = add(std::move(node));
            if (lhs < 0) return -1;
        }
        return lhs;
    }

    int unary(int nesting) {
        if (pos_ >= tokens_.size()) return fail(endColumn_, "expected an expression");
        if (nesting > kMaxExprDepth) return tooDeep(tokens_[pos_].column);
        const Token& t = tokens_[pos_];
        if (t.is("-") || t.is("~") || t.is("!") || t.is("+")) {
            ++pos_;
            const int operand = unary(nesting + 1);
            if (operand < 0) return -1;
            if (t.is("+")) return operand;
            ExprNode node;
            node.op = t.is("-") ? ExprOp::Neg : t.is("~") ? ExprOp::BitNot : ExprOp::LogNot;
            node.column = t.column;
            node.lhs = operand;
            return add(std::move(node));
        }
        return primary(nesting);
    }

    int primary(int nesting) {
        const Token& t = tokens_[pos_];
        switch (t.kind) {
        case TokenKind::Number: {
            ++pos_;
            ExprNode node;
            node.op = ExprOp::Number;
            node.value = t.value;
            node.column = t.column;
            return add(std::move(node));
        }
        case TokenKind::Name: {
            if (registerNumber(t.text)) return fail(t.column, fmt::format("expected a value, got register '{}'", t.text));
            ++pos_;
            ExprNode node;
            node.op = ExprOp::Symbol;
            node.name = t.text;
            node.column = t.column;
            return add(std::move(node));
        }
        case TokenKind::String:
            return fail(t.column, fmt::format("expected a value, got string {}", t.text));
        case TokenKind::Punct:
            if (t.is("(")) {
                ++pos_;
                const int inner = binary(1, nesting + 1);
                if (inner < 0) return -1;
                if (pos_ >= tokens_.size()) return fail(endColumn_, "missing ')'");
                if (!tokens_[pos_].is(")"))
                    return fail(tokens_[pos_].column, fmt::format("expected ')', got '{}'", tokens_[pos_].text));
                ++pos_;
                return inner;
            }
            return fail(t.column, fmt::format("expected an expression, got '{}'", t.text));
        }
        return fail(t.column, "expected an expression");
    }
};

int64_t wrapAdd(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
int64_t wrapSub(int64_t a, int64_t b) { return int64_t(uint64_t(a) - uint64_t(b)); }
int64_t wrapMul(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }

class Evaluator {
public:
    Evaluator(const Expr& expr, const Resolver& resolve) : expr_(expr), resolve_(resolve) {}

    EvalResult run() {
        EvalResult r;
        if (!expr_.valid()) {
            r.status = EvalResult::Status::Failed;
            r.column = expr_.column;
            r.message = "missing expression";
            return r;
        }
        r.column = expr_.column;
        if (!eval(expr_.root, r.value)) return result_;
        return r;
    }

private:
    const Expr& expr_;
    const Resolver& resolve_;
    EvalResult result_;

    bool failed(int column, std::string message) {
        result_.status = EvalResult::Status::Failed;
        result_.column = column;
        result_.message = std::move(message);
        return false;
    }

    bool eval(int index, int64_t& v) {
        const ExprNode& n = expr_.nodes[size_t(index)];
        switch (n.op) {
        case ExprOp::Number:
            v = n.value;
            return true;
        case ExprOp::Symbol: {
            const SymbolValue s = resolve_(n.name);
            if (s.state == SymbolValue::State::Known) {
                v = s.value;
                return true;
            }
            if (s.state == SymbolValue::State::Poisoned) return failed(n.column, "");
            result_.status = EvalResult::Status::Unknown;
            result_.column = n.column;
            result_.symbol = n.name;
            return false;
        }
        case ExprOp::Neg:
        case ExprOp::BitNot:
        case ExprOp::LogNot: {
            int64_t x = 0;
            if (!eval(n.lhs, x)) return false;
            v = n.op == ExprOp::Neg ? wrapSub(0, x) : n.op == ExprOp::BitNot ? ~x : int64_t(x == 0);
            return true;
        }
        case ExprOp::LogAnd:
        case ExprOp::LogOr: {
            int64_t x = 0;
            if (!eval(n.lhs, x)) return false;
            if (n.op == ExprOp::LogAnd && x == 0) {
                v = 0;
                return true;
            }
            if (n.op == ExprOp::LogOr && x != 0) {
                v = 1;
                return true;
            }
            int64_t y = 0;
            if (!eval(n.rhs, y)) return false;
            v = int64_t(y != 0);
            return true;
        }
        default:
            break;
        }
        int64_t a = 0, b = 0;
        if (!eval(n.lhs, a) || !eval(n.rhs, b)) return false;
        switch (n.op) {
        case ExprOp::Mul: v = wrapMul(a, b); return true;
        case ExprOp::Div:
        case ExprOp::Mod:
            if (b == 0) return failed(n.column, n.op == ExprOp::Div ? "division by zero" : "remainder by zero");
            if (a == INT64_MIN && b == -1) {
                v = n.op == ExprOp::Div ? INT64_MIN : 0;
                return true;
            }
            v = n.op == ExprOp::Div ? a / b : a % b;
            return true;
        case ExprOp::Add: v = wrapAdd(a, b); return true;
        case ExprOp::Sub: v = wrapSub(a, b); return true;
        case ExprOp::Shl:
        case ExprOp::Shr:
            if (b < 0 || b > 63) return failed(n.column, fmt::format("shift count {} is out of range (0..63)", b));
            v = n.op == ExprOp::Shl ? int64_t(uint64_t(a) << b) : a >> b;
            return true;
        case ExprOp::Lt: v = a < b; return true;
        case ExprOp::Le: v = a <= b; return true;
        case ExprOp::Gt: v = a > b; return true;
        case ExprOp::Ge: v = a >= b; return true;
        case ExprOp::Eq: v = a == b; return true;
        case ExprOp::Ne: v = a != b; return true;
        case ExprOp::BitAnd: v = a & b; return true;
        case ExprOp::BitXor: v = a ^ b; return true;
        case ExprOp::BitOr: v = a | b; return true;
        default: return failed(n.column, "internal error: bad expression node");
        }
    }
};

}  // namespace

bool parseExpr(const std::vector<Token>& tokens, size_t& pos, int endColumn, Expr& out, ExprError& error) {
    Parser parser(tokens, pos, endColumn, out, error);
    return parser.run();
}

EvalResult evaluate(const Expr& expr, const Resolver& resolve) {
    Evaluator evaluator(expr, resolve);
    return evaluator.run();
}

}  // namespace ringsim::assembler::detail
