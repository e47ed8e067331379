// The translation cache of binary translation and full emulation: guest code
// is translated one basic block at a time, the first time it runs; later runs
// find the translation here. Blocks are keyed by the physical address of
// their first instruction, so code shared by every address space (the kernel)
// is translated once. Writing to guest code drops the blocks made from it.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpu-model/cpu.h"
#include "cpu-model/decoder.h"

namespace ringsim {

struct TranslatedBlock {
    uint32_t guestPc = 0;       // virtual address of the first instruction
    uint32_t physical = 0;      // host-physical address of the first instruction
    uint32_t instructions = 0;
    uint32_t bytes = 0;
    uint32_t rewritten = 0;     // sensitive instructions turned into callouts
    uint64_t hits = 0;
    uint64_t translatedAtCycle = 0;
};

class TranslationCache {
public:
    static constexpr uint32_t kMaxBlockInstructions = 64;

    // The block starting at `pc`, or nullptr when it must be translated first.
    TranslatedBlock* find(uint32_t physical);
    // Decodes the block at pc (up to a control-flow instruction) and keeps it.
    // Returns nullptr if the first instruction cannot be fetched (the CPU will fault on it).
    TranslatedBlock* translate(const Cpu& cpu, uint32_t pc, uint32_t physical);
    // Drops the blocks whose code overlaps [physical, physical + length). Returns how many.
    uint32_t invalidate(uint32_t physical, uint32_t length);
    bool holdsCode(uint32_t frame) const { return framesWithCode_.count(frame) != 0; }

    size_t size() const { return blocks_.size(); }

private:
    std::unordered_map<uint32_t, TranslatedBlock> blocks_;
    std::unordered_map<uint32_t, std::vector<uint32_t>> blocksOnFrame_;
    std::unordered_set<uint32_t> framesWithCode_;
};

}  // namespace ringsim
