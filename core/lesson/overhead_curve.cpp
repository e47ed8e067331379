#include "lesson/overhead_curve.h"

#include <algorithm>

#include "run/session.h"

namespace ringsim {

OverheadCurve::OverheadCurve(size_t maxCheckpoints) : maxCheckpoints_(std::max<size_t>(maxCheckpoints, 2)) {}

void OverheadCurve::record(uint64_t instructions, uint64_t cycles) {
    if (!checkpoints_.empty() && (instructions < checkpoints_.back().instructions || cycles < checkpoints_.back().cycles))
        return;
    // The newest checkpoint is always there, so the curve reaches as far as
    // native has run; one not on the kept grid is replaced by the next.
    if (tailProvisional_) checkpoints_.pop_back();
    const bool kept = calls_ % keepEvery_ == 0;
    ++calls_;
    checkpoints_.push_back({instructions, cycles});
    tailProvisional_ = !kept;
    const size_t keptCount = checkpoints_.size() - (tailProvisional_ ? 1 : 0);
    if (keptCount <= maxCheckpoints_) return;
    // Thinning: the kept checkpoints sit at calls 0, k, 2k, ...; keeping
    // every other one leaves calls 0, 2k, 4k, ... (and the newest).
    std::vector<Checkpoint> thinned;
    thinned.reserve(keptCount / 2 + 2);
    for (size_t i = 0; i < keptCount; i += 2) thinned.push_back(checkpoints_[i]);
    const bool newestDropped = (keptCount - 1) % 2 != 0;
    if (tailProvisional_ || newestDropped) thinned.push_back(checkpoints_.back());
    tailProvisional_ = tailProvisional_ || newestDropped;
    checkpoints_ = std::move(thinned);
    keepEvery_ *= 2;
}

std::optional<double> OverheadCurve::cyclesAt(uint64_t instructions) const {
    // The first checkpoint with at least that many instructions: where several
    // share a count (native idling), the earliest is when native got there.
    const auto it = std::lower_bound(checkpoints_.begin(), checkpoints_.end(), instructions,
                                     [](const Checkpoint& c, uint64_t n) { return c.instructions < n; });
    if (it == checkpoints_.end()) return std::nullopt;
    if (it->instructions == instructions) return double(it->cycles);
    if (it == checkpoints_.begin()) return std::nullopt;
    const Checkpoint& before = *(it - 1);
    const double share = double(instructions - before.instructions) / double(it->instructions - before.instructions);
    return double(before.cycles) + share * double(it->cycles - before.cycles);
}

std::optional<double> OverheadCurve::overheadPercent(uint64_t instructions, uint64_t cycles) const {
    const auto native = cyclesAt(instructions);
    if (!native || *native <= 0) return std::nullopt;
    return 100.0 * (double(cycles) / *native - 1.0);
}

std::optional<OverheadCurve> recordNativeCurve(const GuestImages& guest, RunOptions options, uint64_t stepCycles,
                                               const std::function<bool()>& cancelled) {
    options.mode = Mode::Native;
    Session session(guest, options);
    const Cpu& cpu = session.machine().cpu;
    OverheadCurve curve;
    curve.record(cpu.stats().instructions, cpu.account.now);
    stepCycles = std::max<uint64_t>(stepCycles, 1);
    while (!session.finished()) {
        if (cancelled && cancelled()) return std::nullopt;
        session.run(cpu.account.now + stepCycles);
        curve.record(cpu.stats().instructions, cpu.account.now);
    }
    return curve;
}

}  // namespace ringsim
