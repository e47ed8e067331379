// The paravirtual monitor's record of the latest hypercalls: what was asked
// (number and argument registers), what came back, and what it cost. Kept
// bounded like the event log, for the GUI's hypercall inspector; and the
// signature of each hypercall (which registers carry what), read from the
// one hypercall table.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "machine/bounded_ring.h"
#include "machine/hypercalls.h"

namespace ringsim {

struct HypercallRecord {
    uint64_t cycle = 0;               // when the call was made
    uint64_t event = 0;               // the number of its Hypercall event in the machine's event log
    uint32_t pc = 0;                  // the hcall instruction
    uint32_t number = 0;
    std::array<uint32_t, 4> arguments{};  // r1..r4 as the guest set them
    std::array<uint32_t, 2> results{};    // r0 and r1 after the call (meaningful as the signature says)
    uint32_t cost = 0;                // cycles from the call until the monitor returned
    uint16_t vm = 0;
};

// The newest calls, numbered from 0 (numbers firstRetained() .. total()-1 are kept).
class HypercallLog : public BoundedRing<HypercallRecord> {
public:
    static constexpr size_t kDefaultCapacity = 4096;
    explicit HypercallLog(size_t capacity = kDefaultCapacity) : BoundedRing(capacity) {}
    void record(const HypercallRecord& r) { push(r); }
};

// One register of a hypercall's signature: "r2" and what it holds ("count").
struct HypercallOperand {
    int reg = 0;
    std::string_view meaning;
};
struct HypercallSignature {
    std::vector<HypercallOperand> inputs;   // from r1 on
    std::vector<HypercallOperand> outputs;  // r0 (and r1 for two-word results)
};
// Parsed from HypercallInfo::arguments ("r1 = buffer, r2 = length -> r0 = ..."),
// so the table stays the one place that says it.
HypercallSignature hypercallSignature(const HypercallInfo& info);

}  // namespace ringsim
