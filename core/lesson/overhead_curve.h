// Overhead against native while a run is still going: native's progress
// through the same guest, as checkpoints (instructions retired -> cycles),
// so a run in another mode can be compared with native at the same point of
// the guest's work, not only at the end. "At the same point" means after the
// same number of retired guest instructions; between two checkpoints native's
// cycles are interpolated linearly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "machine/guest.h"
#include "run/run.h"

namespace ringsim {

class OverheadCurve {
public:
    struct Checkpoint {
        uint64_t instructions = 0;
        uint64_t cycles = 0;
    };

    // At most about this many checkpoints are kept: when there would be more,
    // every other one is dropped, so a long run costs bounded memory.
    explicit OverheadCurve(size_t maxCheckpoints = 4096);

    // Adds the next checkpoint; instructions and cycles never go down between
    // calls (a checkpoint that goes back is ignored).
    void record(uint64_t instructions, uint64_t cycles);

    // Native's cycles when it had first retired `instructions` instructions:
    // exact at a checkpoint, interpolated between two; empty before the first
    // checkpoint's instructions or past the last's.
    std::optional<double> cyclesAt(uint64_t instructions) const;
    // How much more (in percent) `cycles` is than native's cycles at the same
    // instruction count: 0 for native itself at a checkpoint; empty where
    // cyclesAt is, or where native had spent no cycles yet.
    std::optional<double> overheadPercent(uint64_t instructions, uint64_t cycles) const;

    const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }
    bool empty() const { return checkpoints_.empty(); }
    // The last checkpoint: native's whole run once recordNativeCurve has finished.
    Checkpoint last() const { return checkpoints_.empty() ? Checkpoint{} : checkpoints_.back(); }

private:
    size_t maxCheckpoints_;
    size_t keepEvery_ = 1;  // record() keeps one call in this many (doubles as checkpoints are thinned)
    size_t calls_ = 0;
    bool tailProvisional_ = false;  // the newest checkpoint is off the kept grid
    std::vector<Checkpoint> checkpoints_;
};

// Runs `guest` natively with `options` (its mode is set to native) to its end,
// recording a checkpoint every `stepCycles` cycles and at the end. Empty if
// `cancelled` (asked at each checkpoint) said so. Throws InputError as
// Session does.
std::optional<OverheadCurve> recordNativeCurve(const GuestImages& guest, RunOptions options, uint64_t stepCycles = 10'000,
                                               const std::function<bool()>& cancelled = {});

}  // namespace ringsim
