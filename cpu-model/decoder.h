// Decoding one instruction word into the pre-decoded form the CPU executes.
// Used by the CPU's decode cache and by anyone who must look at an
// instruction the way the CPU would (a monitor emulating it, a translator).
#pragma once

#include <array>
#include <cstdint>

#include "isa.h"
#include "memory.h"

namespace ringsim {

// Fills `out` from the first word of an instruction. Returns false for an
// invalid encoding (then out.op is decoded_op::Invalid and out.length 4).
// The immediate, for 8-byte instructions, is the caller's to fill in.
bool decodeFirstWord(uint32_t word, const std::array<uint16_t, 256>& cycles, Decoded& out);

inline isa::InsnClass classOf(const Decoded& d) { return static_cast<isa::InsnClass>(d.info >> 4); }
// Instructions a deprivileged kernel cannot simply execute: the sensitive ones
// (privileged or not) and sysret, the privileged half of the syscall gate.
inline bool needsRing0(const Decoded& d) {
    return isa::isSensitive(classOf(d)) || d.op == uint8_t(isa::Opcode::Sysret);
}

}  // namespace ringsim
