#include "monitors/translation_cache.h"

#include <algorithm>

namespace ringsim {

TranslatedBlock* TranslationCache::find(uint32_t physical) {
    auto it = blocks_.find(physical);
    return it == blocks_.end() ? nullptr : &it->second;
}

TranslatedBlock* TranslationCache::translate(const Cpu& cpu, uint32_t pc, uint32_t physical) {
    TranslatedBlock block;
    block.guestPc = pc;
    block.physical = physical;
    block.translatedAtCycle = cpu.account.now;
    uint32_t at = pc;
    std::vector<uint32_t> frames;
    while (block.instructions < kMaxBlockInstructions) {
        Decoded d;
        uint32_t where = 0;
        if (!cpu.fetchInstruction(at, d) || !cpu.peekTranslate(at, where)) break;
        frames.push_back(where >> isa::kPageShift);
        if ((where >> isa::kPageShift) != (physical >> isa::kPageShift) && !block.secondPage)
            block.secondPage = where & isa::pte::FrameMask;
        ++block.instructions;
        block.bytes += d.length;
        if (needsRing0(d)) ++block.rewritten;
        if (d.op == decoded_op::Invalid || (d.info & kEndsBlock)) break;
        at += d.length;
    }
    if (block.instructions == 0) return nullptr;
    auto [it, inserted] = blocks_.insert_or_assign(physical, block);
    BlockRecord& record = records_[physical];
    record.guestPc = pc;
    ++record.translations;
    ++translations_;
    std::sort(frames.begin(), frames.end());
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    for (uint32_t frame : frames) {
        blocksOnFrame_[frame].push_back(physical);
        framesWithCode_.insert(frame);
    }
    return &it->second;
}

uint32_t TranslationCache::invalidate(uint32_t physical, uint32_t length) {
    auto it = blocksOnFrame_.find(physical >> isa::kPageShift);
    if (it == blocksOnFrame_.end()) return 0;
    uint32_t dropped = 0;
    auto& keys = it->second;
    for (size_t i = 0; i < keys.size();) {
        auto block = blocks_.find(keys[i]);
        const bool stale = block == blocks_.end();
        const bool overlaps = !stale && physical < block->second.physical + block->second.bytes &&
                              block->second.physical < physical + length;
        if (overlaps) {
            BlockRecord& record = records_[block->first];
            ++record.invalidations;
            record.droppedHits += block->second.hits;
            record.droppedLookups += block->second.lookups();
            ++invalidations_;
            blocks_.erase(block);
            ++dropped;
        }
        if (stale || overlaps) {
            keys[i] = keys.back();
            keys.pop_back();
        } else {
            ++i;
        }
    }
    if (keys.empty()) {
        framesWithCode_.erase(it->first);
        blocksOnFrame_.erase(it);
    }
    return dropped;
}

}  // namespace ringsim
