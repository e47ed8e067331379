// The disassembler: bytes back to assembly text that the assembler turns into
// the same bytes again (the round trip is tested).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "isa.h"

namespace ringsim::disassembler {

struct Line {
    uint32_t address = 0;
    uint32_t length = 4;                          // bytes consumed (4 or 8; 4 for an invalid word)
    const isa::InstructionInfo* info = nullptr;   // nullptr for an invalid encoding
    isa::Fields fields;
    std::string text;                             // "add r1, r2, r3", or ".word 0x..." when invalid
};

// Optional: names an address (a label) so targets print as labels.
using SymbolNamer = std::function<std::optional<std::string>(uint32_t address)>;

// Decodes the instruction at the start of `bytes` (which sit at `address`).
// Fewer than 4 bytes, or 4 bytes of an 8-byte instruction, give an invalid line.
Line disassembleOne(std::span<const uint8_t> bytes, uint32_t address, const SymbolNamer& namer = {});

// A whole image as source text: a `.org origin` line, then one line per
// instruction (labels on their own lines when `namer` names an address).
// Assembling the result reproduces `image` byte for byte.
std::string disassembleImage(std::span<const uint8_t> image, uint32_t origin, const SymbolNamer& namer = {});

}  // namespace ringsim::disassembler
