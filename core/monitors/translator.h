// What binary translation and full emulation share: finding or making the
// translation of each block as the guest reaches it, charging for it, and
// dropping translations when the guest writes over its own code.
#pragma once

#include "monitors/monitor.h"
#include "monitors/translation_cache.h"

namespace ringsim {

class Translator {
public:
    // `interprets`: every run of a block also costs emu_insn per instruction
    // (full emulation), charged by the caller as the block is entered.
    Translator(Machine& machine, MonitorCounters& counters, bool interprets)
        : machine_(machine), counters_(counters), interprets_(interprets) {}

    TranslationCache cache;

    // The block at pc, translated first if needed. `chained` entries (reached
    // by a direct jump from a translated block) skip the cache lookup.
    TranslatedBlock* enter(Cpu& cpu, uint32_t pc, bool chained);
    // A write landed on a watched page; drops the blocks it overwrote.
    void codeWritten(Cpu& cpu, uint32_t guestPhysical, uint32_t length);

private:
    Machine& machine_;
    MonitorCounters& counters_;
    bool interprets_;
};

}  // namespace ringsim
