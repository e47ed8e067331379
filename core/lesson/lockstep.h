// Two runs of one scenario's guest, in two modes, stepped side by side one
// retired guest instruction at a time: where the modes part (one takes a
// trap, translates a block, exits to the monitor, and the other does not),
// and how far apart their cycle counts are after each instruction. What the
// GUI's Compare view shows; bounded and resumable, so it can be done a few
// hundred rows at a time.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "machine/events.h"
#include "machine/guest.h"
#include "scenario/scenario.h"

namespace ringsim {

class Session;
class ScenarioImages;

// One guest instruction as one run retired it, and what it caused on the way
// (an interrupt or fault taken just before it counts with it: they are what
// the run did to get there).
struct LockstepStep {
    uint64_t cycleAfter = 0;   // the run's cycle once it retired (idle time after a hlt included)
    uint32_t cycles = 0;       // what retiring it cost this run: its own cycles, its events' and any idle time
    uint64_t retired = 0;      // the run's instruction count once it retired
    uint64_t firstEvent = 0;   // the number of its first event in that run's event log
    uint32_t pc = 0;
    uint32_t kinds = 0;        // the kinds of its events, one bit per EventKind
    uint16_t events = 0;       // how many events (at most 65535 are counted)
    int8_t ring = 0;           // the ring it ran in (-1: root mode)
    uint8_t codeLength = 0;    // bytes of `code` read from memory (0: the pc was not mapped)
    std::array<uint8_t, 8> code{};  // its encoding, for the disassembly
    bool has(EventKind k) const { return kinds & kindBit(k); }
    static constexpr uint32_t kindBit(EventKind k) { return uint32_t(1) << static_cast<unsigned>(k); }
};

enum class LockstepMark : uint8_t {
    Together,  // the same instruction (pc and encoding), carried out by the same means
    Parted,    // the same instruction, but one mode's machinery acted and the other's did not (or differently)
    OnlyA,     // run A went this way while B took another path (the runs are realigned where they meet again)
    OnlyB,
};
std::string_view lockstepMarkName(LockstepMark m);  // "together", "parted", "only A", "only B"

struct LockstepRow {
    LockstepStep a, b;        // a side's step means nothing when the mark says only the other ran
    // B's cycles minus A's after this instruction; measured where both ran
    // it, held along a detour (where the runs cannot be compared)
    int64_t difference = 0;
    LockstepMark mark = LockstepMark::Together;
    bool hasA() const { return mark != LockstepMark::OnlyB; }
    bool hasB() const { return mark != LockstepMark::OnlyA; }
};

// The event kinds that are a mode's own machinery at work: the monitor taking
// a trap or an exit, a translation, a callout, a hypercall, a shadow page
// table update, a silently misbehaving sensitive instruction. Two runs part
// where these differ; syscalls, interrupts, port I/O and page walks happen in
// every mode alike and only cost differently.
uint32_t mechanismKinds(uint32_t kinds);

struct LockstepLimits {
    size_t maxRows = 200'000;
    // How far each run may go ahead of the other looking for a pc where
    // their paths meet again, after they took different ones (a kernel
    // built differently, as the paravirtual one, boots by another path).
    size_t lookahead = 131'072;
    // Instructions that must agree after a meeting point for it to count.
    size_t confirm = 16;
};

class Lockstep {
public:
    // Assembles the scenario's guest and starts a session in each mode, as
    // the GUI starts its own. Throws InputError on an unknown mode or a guest
    // a mode cannot run.
    Lockstep(const Scenario& scenario, Mode modeA, Mode modeB, LockstepLimits limits = {});
    ~Lockstep();
    Lockstep(const Lockstep&) = delete;
    Lockstep& operator=(const Lockstep&) = delete;

    // Adds up to `rows` rows, or fewer after a stretch of looking ahead for
    // where two paths meet (so that no call takes long); false once the
    // comparison is over. The rows are the same however the work is sliced.
    bool advance(size_t rows);
    bool done() const { return done_; }
    // Why it is over: both runs ended, the row limit, or paths that never met again.
    const std::string& ending() const { return ending_; }

    const std::vector<LockstepRow>& rows() const { return rows_; }
    // The rows a reader should look at: every parted row, and the first row
    // of each stretch where only one run went.
    const std::vector<size_t>& partings() const { return partings_; }
    // The first row where the two runs' pcs differed, if any.
    const std::optional<size_t>& firstDivergence() const { return firstDivergence_; }
    size_t realignments() const { return realignments_; }
    size_t maxRows() const { return limits_.maxRows; }

    Mode mode(bool sideB) const;
    // The runs themselves: their event logs hold the events the rows number.
    Session& session(bool sideB);
    const GuestImages& guest(bool sideB) const;

private:
    class Runner;
    void addRow();
    void emitPaired();
    void emitOne(bool sideB, LockstepMark mark);
    enum class Realigned { Found, EndedApart, LookFurther, Never };
    Realigned realign();
    void finish(std::string why);

    LockstepLimits limits_;
    std::unique_ptr<ScenarioImages> images_;
    std::unique_ptr<Runner> a_, b_;
    std::vector<LockstepRow> rows_;
    std::vector<size_t> partings_;
    std::optional<size_t> firstDivergence_;
    size_t realignments_ = 0;
    size_t pendingOnlyA_ = 0, pendingOnlyB_ = 0;  // a detour found by realign(), still to be emitted
    struct Search;
    std::unique_ptr<Search> search_;  // a search for a meeting point in progress
    bool done_ = false;
    bool lookedAhead_ = false;  // this advance() has done a stretch of looking ahead
    std::string ending_;
};

}  // namespace ringsim
