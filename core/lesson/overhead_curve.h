// Overhead against native while a run is still going, measured, never
// interpolated: native's run of the same guest records the cycle at which it
// retired each guest instruction, so a run in another mode that has retired
// n instructions in C cycles is compared with native's cycles at exactly n.
// The first kTooEarlyInstructions give no figure: they are the kernel's boot,
// where a few hundred cycles of monitor set-up swing the ratio by tens of
// percent and say nothing about the mode.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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

    // Below this many retired instructions overheadPercent gives nothing.
    static constexpr uint64_t kTooEarlyInstructions = 10'000;
    // Native is recorded for at most this many instructions (4 bytes each,
    // 16 MiB at most); a longer run is compared no further.
    static constexpr uint64_t kDefaultMaxInstructions = uint64_t(1) << 22;

    // Starts with native's cycle before its first instruction retired.
    explicit OverheadCurve(uint64_t startCycles = 0, uint64_t maxInstructions = kDefaultMaxInstructions);

    // Native retired its next instruction at `cycles` (never less than the
    // last). False once the recording is full: that instruction is not kept.
    bool retired(uint64_t cycles);
    // Native ran to its end: instructions past the last one recorded never retired.
    void finish() { complete_ = true; }

    // Native's cycle when it retired its `instructions`-th instruction
    // (0: when it started); empty past what was recorded.
    std::optional<uint64_t> cyclesAt(uint64_t instructions) const;
    // How much more (in percent) `cycles` is than native's cycles at the same
    // instruction count: 0 for native itself. Empty below kTooEarlyInstructions
    // and where cyclesAt is.
    std::optional<double> overheadPercent(uint64_t instructions, uint64_t cycles) const;

    // Instructions recorded: native's whole run if complete().
    uint64_t instructions() const { return offsets_.size() - 1; }
    bool complete() const { return complete_; }
    // The last instruction recorded and its cycle.
    Checkpoint last() const { return {instructions(), *cyclesAt(instructions())}; }

private:
    // Cycles are kept as 32-bit offsets from a 64-bit base every kBlock instructions.
    static constexpr uint64_t kBlock = uint64_t(1) << 16;
    uint64_t maxInstructions_;
    bool complete_ = false;
    std::vector<uint64_t> bases_;
    std::vector<uint32_t> offsets_;
};

class Session;

// Native's run recorded in pieces, for a front end that records a little at
// a time (the web edition's frame loop): the curve recordNativeCurve gives.
class NativeCurveRecorder {
public:
    // Starts `guest` (which must outlive the recorder) natively with
    // `options`; throws InputError as Session does.
    NativeCurveRecorder(const GuestImages& guest, RunOptions options,
                        uint64_t maxInstructions = OverheadCurve::kDefaultMaxInstructions);
    ~NativeCurveRecorder();
    NativeCurveRecorder(const NativeCurveRecorder&) = delete;
    NativeCurveRecorder& operator=(const NativeCurveRecorder&) = delete;

    // Records until `instructions` more have retired or the curve is done; true once it is.
    bool record(uint64_t instructions);
    bool done() const { return done_; }
    // The curve, once done.
    OverheadCurve take() { return std::move(curve_); }

private:
    std::unique_ptr<Session> session_;
    OverheadCurve curve_;
    uint64_t retired_ = 0;  // instructions whose cycles are recorded
    bool done_ = false;
};

// Runs `guest` natively with `options` (its mode is set to native) to its
// end, one instruction at a time, recording the cycle of each retirement (up
// to the curve's limit: then it stops, not complete). Empty if `cancelled`
// (asked every few thousand instructions) said so. Throws InputError as
// Session does.
std::optional<OverheadCurve> recordNativeCurve(const GuestImages& guest, RunOptions options,
                                               const std::function<bool()>& cancelled = {},
                                               uint64_t maxInstructions = OverheadCurve::kDefaultMaxInstructions);

}  // namespace ringsim
