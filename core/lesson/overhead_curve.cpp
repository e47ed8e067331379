#include "lesson/overhead_curve.h"

#include <algorithm>
#include <limits>

#include "run/session.h"

namespace ringsim {

namespace {
constexpr uint64_t kCancelCheckEvery = 4'096;  // instructions between two looks at `cancelled`
}

OverheadCurve::OverheadCurve(uint64_t startCycles, uint64_t maxInstructions) : maxInstructions_(maxInstructions) {
    bases_.push_back(startCycles);
    offsets_.push_back(0);
}

bool OverheadCurve::retired(uint64_t cycles) {
    const uint64_t n = offsets_.size();  // the number of the instruction that retired
    if (n > maxInstructions_) return false;
    if (n % kBlock == 0) bases_.push_back(cycles);
    const uint64_t offset = cycles - std::min(cycles, bases_.back());
    // A block spanning more than 2^32 cycles (a very long idle) cannot be kept: the recording ends there.
    if (offset > std::numeric_limits<uint32_t>::max()) {
        if (n % kBlock == 0) bases_.pop_back();
        maxInstructions_ = n - 1;
        return false;
    }
    offsets_.push_back(uint32_t(offset));
    return true;
}

std::optional<uint64_t> OverheadCurve::cyclesAt(uint64_t instructions) const {
    if (instructions >= offsets_.size()) return std::nullopt;
    return bases_[instructions / kBlock] + offsets_[instructions];
}

std::optional<double> OverheadCurve::overheadPercent(uint64_t instructions, uint64_t cycles) const {
    if (instructions < kTooEarlyInstructions) return std::nullopt;
    const auto native = cyclesAt(instructions);
    if (!native || *native == 0) return std::nullopt;
    return 100.0 * (double(cycles) / double(*native) - 1.0);
}

NativeCurveRecorder::NativeCurveRecorder(const GuestImages& guest, RunOptions options, uint64_t maxInstructions) {
    options.mode = Mode::Native;
    session_ = std::make_unique<Session>(guest, options);
    const Cpu& cpu = session_->machine().cpu;
    curve_ = OverheadCurve(cpu.account.now, maxInstructions);
    retired_ = cpu.stats().instructions;
}

NativeCurveRecorder::~NativeCurveRecorder() = default;

bool NativeCurveRecorder::record(uint64_t instructions) {
    const Cpu& cpu = session_->machine().cpu;
    const uint64_t until = retired_ + instructions;
    while (!done_ && retired_ < until) {
        if (session_->finished()) {
            curve_.finish();
            done_ = true;
            break;
        }
        // One cycle ahead stops at the next instruction boundary (an
        // interrupt taken, or idle time, retires nothing and runs on).
        session_->run(cpu.account.now + 1);
        for (; retired_ < cpu.stats().instructions; ++retired_)
            if (!curve_.retired(cpu.account.now)) {
                done_ = true;  // the recording is full: not complete
                break;
            }
    }
    return done_;
}

std::optional<OverheadCurve> recordNativeCurve(const GuestImages& guest, RunOptions options,
                                               const std::function<bool()>& cancelled, uint64_t maxInstructions) {
    NativeCurveRecorder recorder(guest, std::move(options), maxInstructions);
    while (!recorder.record(kCancelCheckEvery))
        if (cancelled && cancelled()) return std::nullopt;
    return recorder.take();
}

}  // namespace ringsim
