// Read-only access to what each mode's own mechanism keeps — the translation
// cache (binary translation, emulation), the record of hypercalls
// (paravirtualisation) — and the hypercall sites of a paravirtual kernel:
// what the GUI's mechanism views show.
#pragma once

#include <cstdint>
#include <vector>

#include "cpu-model/assembler.h"
#include "monitors/hypercall_log.h"
#include "run/session.h"
#include "monitors/translation_cache.h"

namespace ringsim {

// How many monitors the session has (one per VM; 1 with a single monitor,
// 0 natively), and monitor `vm` of them (null when there is none).
size_t monitorCount(Session& session);
Monitor* monitorOf(Session& session, size_t vm);

// The monitor's translation cache (Monitor::translationCache), or null when
// there is no monitor or its mode translates nothing.
inline const TranslationCache* translationCacheOf(const Monitor* monitor) {
    return monitor ? monitor->translationCache() : nullptr;
}
// The paravirtual monitor's record of hypercalls, or null in other modes.
inline const HypercallLog* hypercallLogOf(const Monitor* monitor) { return monitor ? monitor->hypercallLog() : nullptr; }

// One `hcall N` in an assembled image, and the source line that emitted it.
struct HypercallSite {
    uint32_t address = 0;
    uint32_t number = 0;
    assembler::SourceLocation location;  // empty file when the image has no line for it
};
// Every hcall instruction in the image, in address order (decoded the way the
// CPU would, instruction by instruction from the origin; data between code is
// skipped a word at a time).
std::vector<HypercallSite> hypercallSites(const assembler::Program& image);

}  // namespace ringsim
