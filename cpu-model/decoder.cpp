#include "decoder.h"

namespace ringsim {

bool decodeFirstWord(uint32_t word, const std::array<uint16_t, 256>& cycles, Decoded& out) {
    out = Decoded{};
    out.length = 4;
    out.cycles = 1;
    out.op = decoded_op::Invalid;
    const isa::InstructionInfo* info = isa::validEncoding(word);
    if (!info) return false;
    out.a = uint8_t((word >> 20) & 15);
    out.b = uint8_t((word >> 16) & 15);
    out.c = uint8_t((word >> 12) & 15);
    out.cycles = cycles[word >> 24];
    out.length = uint8_t(isa::lengthOf(info->format));
    out.info = uint8_t((info->endsBlock ? kEndsBlock : 0) | (info->format == isa::Format::Target ? kDirectBranch : 0) |
                       (uint8_t(info->cls) << 4));
    out.op = uint8_t(info->opcode);
    return true;
}

}  // namespace ringsim
