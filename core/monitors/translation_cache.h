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
    uint32_t rewritten = 0;     // sensitive instructions: callouts (binary translation), helper calls (emulation)
    uint64_t hits = 0;          // every entry after the first: cache lookups and chained jumps
    uint64_t chainedHits = 0;   // of those, entries by a direct jump from a translated block (no lookup, no event)
    uint64_t translatedAtCycle = 0;
    uint32_t secondPage = 0;    // host-physical address of the second page when the block crosses one, else 0
    uint64_t lookups() const { return hits - chainedHits; }
};

// What the cache remembers of every block address it ever translated, also
// after an invalidation dropped the block (for the GUI's translation cache view).
struct BlockRecord {
    uint32_t guestPc = 0;        // of the latest translation
    uint32_t translations = 0;   // 1 + re-translations after invalidations
    uint32_t invalidations = 0;  // times a write over its code dropped it
    uint64_t droppedHits = 0;    // hits of the translations that were dropped
    uint64_t droppedLookups = 0; // their lookups (TranslationHit events)
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

    // Read-only views for inspection; the GUI reads them between runs.
    const std::unordered_map<uint32_t, TranslatedBlock>& blocks() const { return blocks_; }  // live, by physical address
    const std::unordered_map<uint32_t, BlockRecord>& records() const { return records_; }    // every address ever translated
    const TranslatedBlock* block(uint32_t physical) const {
        auto it = blocks_.find(physical);
        return it == blocks_.end() ? nullptr : &it->second;
    }
    uint64_t translations() const { return translations_; }
    uint64_t invalidations() const { return invalidations_; }

private:
    std::unordered_map<uint32_t, TranslatedBlock> blocks_;
    std::unordered_map<uint32_t, BlockRecord> records_;
    uint64_t translations_ = 0;
    uint64_t invalidations_ = 0;
    std::unordered_map<uint32_t, std::vector<uint32_t>> blocksOnFrame_;
    std::unordered_set<uint32_t> framesWithCode_;
};

}  // namespace ringsim
