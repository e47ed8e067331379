#include "translator.h"

namespace ringsim {

void Translator::record(EventKind kind, uint32_t pc, uint32_t detail, uint32_t extra, uint32_t cost) {
    Event e;
    e.cycle = machine_.cpu.account.now;
    e.pc = pc;
    e.detail = detail;
    e.extra = extra;
    e.cost = cost;
    e.ringBefore = e.ringAfter = int8_t(machine_.cpu.ring());
    e.kind = kind;
    machine_.events.record(e);
}

TranslatedBlock* Translator::enter(Cpu& cpu, uint32_t pc, bool chained) {
    uint32_t physical = 0;
    if (!cpu.peekTranslate(pc, physical)) return nullptr;  // the fetch will fault; the guest handles that
    const auto& costs = machine_.costs;
    if (TranslatedBlock* block = cache.find(physical)) {
        ++block->hits;
        ++counters_.cacheHits;
        if (!chained) {
            cpu.charge(CycleCategory::Translation, costs.btLookup);
            record(EventKind::TranslationHit, pc, physical, block->instructions, costs.btLookup);
        }
        return block;
    }
    TranslatedBlock* block = cache.translate(cpu, pc, physical);
    if (!block) return nullptr;
    const uint32_t cost = costs.btTranslatePerBlock + block->instructions * costs.btTranslatePerInsn;
    cpu.charge(CycleCategory::Translation, cost);
    ++counters_.translatedBlocks;
    counters_.translatedInstructions += block->instructions;
    record(EventKind::Translation, pc, pc, block->instructions, cost);
    // Watch the code so that writing over it drops the translation.
    for (uint32_t at = physical & isa::pte::FrameMask; at < physical + block->bytes; at += isa::kPageSize) {
        const uint32_t frame = at >> isa::kPageShift;
        if (!(machine_.memory.pageFlags(frame) & page_flag::WatchedCode)) {
            machine_.memory.setWatched(frame, page_flag::WatchedCode, true);
            cpu.pageWatchChanged(frame);
        }
    }
    return block;
}

void Translator::codeWritten(Cpu& cpu, uint32_t guestPhysical, uint32_t length) {
    const uint32_t physical = cpu.windowBase() + guestPhysical;
    if (!cache.holdsCode(physical >> isa::kPageShift)) return;
    if (const uint32_t dropped = cache.invalidate(physical, length)) {
        counters_.invalidations += dropped;
        record(EventKind::TranslationInvalidate, cpu.state.pc, guestPhysical, dropped, 0);
    }
    const uint32_t frame = physical >> isa::kPageShift;
    if (!cache.holdsCode(frame)) machine_.memory.setWatched(frame, page_flag::WatchedCode, false);
}

}  // namespace ringsim
