#include "decoder.h"

namespace ringsim {

bool decodeFirstWord(uint32_t word, const std::array<uint16_t, 256>& cycles, Decoded& out) {
    out = Decoded{};
    out.length = 4;
    out.cycles = 1;
    out.op = decoded_op::Invalid;
    const isa::InstructionInfo* info = isa::infoFor(uint8_t(word >> 24));
    if (!info || (word & 0xFFF)) return false;
    const uint8_t a = (word >> 20) & 15, b = (word >> 16) & 15, c = (word >> 12) & 15;
    const int used = isa::registerFieldsUsed(info->format);
    if (info->format == isa::Format::Cr) {
        if (c != 0 || b >= isa::kControlRegisterCount) return false;
    } else if ((used < 1 && a) || (used < 2 && b) || (used < 3 && c)) {
        return false;
    }
    out.a = a;
    out.b = b;
    out.c = c;
    out.cycles = cycles[word >> 24];
    out.length = uint8_t(isa::lengthOf(info->format));
    out.info = uint8_t((info->endsBlock ? kEndsBlock : 0) | (info->format == isa::Format::Target ? kDirectBranch : 0) |
                       (uint8_t(info->cls) << 4));
    out.op = uint8_t(info->opcode);
    return true;
}

}  // namespace ringsim
