#include "monitors/translator.h"

#include "monitors/monitor_receipts.h"

namespace ringsim {

namespace {
int8_t ring(const Cpu& cpu) { return int8_t(cpu.ring()); }
}  // namespace

TranslatedBlock* Translator::enter(Cpu& cpu, uint32_t pc, bool chained) {
    uint32_t physical = 0;
    if (!cpu.peekTranslate(pc, physical)) return nullptr;  // the fetch will fault; the guest handles that
    const auto& costs = machine_.costs;
    if (TranslatedBlock* block = cache.find(physical)) {
        ++block->hits;
        ++counters_.cacheHits;
        if (chained) {
            ++block->chainedHits;
        } else {
            cpu.charge(CycleCategory::Translation, costs.btLookup);
            Receipt receipt = roundTrip(Mechanism::CacheLookup, cpu.ring(), 0);
            machine_.record(EventKind::TranslationHit, ring(cpu), ring(cpu), pc, receipt.in(&Costs::btLookup, costs.btLookup),
                            physical, block->instructions, costs.btLookup);
        }
        return block;
    }
    TranslatedBlock* block = cache.translate(cpu, pc, physical);
    if (!block) return nullptr;
    const uint32_t cost = costs.btTranslatePerBlock + block->instructions * costs.btTranslatePerInsn;
    cpu.charge(CycleCategory::Translation, cost);
    ++counters_.translatedBlocks;
    counters_.translatedInstructions += block->instructions;
    Receipt receipt = roundTrip(Mechanism::BlockTranslated, cpu.ring(), 0);
    receipt.in(&Costs::btTranslatePerBlock, costs.btTranslatePerBlock);
    receipt.in(&Costs::btTranslatePerInsn, costs.btTranslatePerInsn, block->instructions);
    if (interprets_) {
        receipt.apart(&Costs::emuPerInsn, costs.emuPerInsn, block->instructions);
        if (block->rewritten) receipt.apart(&Costs::emuHelper, costs.emuHelper, block->rewritten);
    }
    machine_.record(EventKind::Translation, ring(cpu), ring(cpu), pc, receipt, pc, block->instructions, cost);
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
        machine_.record(EventKind::TranslationInvalidate, ring(cpu), ring(cpu), cpu.state.pc,
                        roundTrip(Mechanism::TranslationsDropped, cpu.ring(), 0), guestPhysical, dropped, 0);
    }
    const uint32_t frame = physical >> isa::kPageShift;
    if (!cache.holdsCode(frame)) machine_.memory.setWatched(frame, page_flag::WatchedCode, false);
}

}  // namespace ringsim
