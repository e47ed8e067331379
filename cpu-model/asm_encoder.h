// Assembler, step 4: instruction operands, per isa::Format, and the bytes of
// an instruction. Operand syntax and field placement come from isa.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "asm_expr.h"
#include "asm_lexer.h"
#include "isa.h"

namespace ringsim::assembler::detail {

struct Operands {
    isa::Fields fields;       // registers (imm is filled in later, from `imm`)
    std::optional<Expr> imm;  // immediate, offset, port or target; none = 0
};

// How the operands of a format are written, e.g. "ra, rb, rc".
std::string_view operandPattern(isa::Format format);
int operandCount(isa::Format format);

// Parses the operands of `info` from tokens[first...] (to the end of the
// line). `lineText` is the text the tokens were cut from and `endColumn` the
// column just past the last token, both for messages.
bool parseOperands(const isa::InstructionInfo& info, const std::vector<Token>& tokens, size_t first,
                   std::string_view lineText, int endColumn, Operands& out, ExprError& error);

// Writes isa::lengthOf(info.format) bytes, little-endian.
void encodeInstruction(const isa::InstructionInfo& info, const isa::Fields& fields, uint8_t* out);

}  // namespace ringsim::assembler::detail
