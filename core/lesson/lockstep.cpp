#include "lesson/lockstep.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <unordered_map>

#include "scenario/scenario_images.h"
#include "cpu-model/isa.h"
#include "run/session.h"

namespace ringsim {

namespace {

// Each run keeps its events for the rows to point at (32 bytes each, allocated as they come).
constexpr size_t kLockstepEventCapacity = size_t(1) << 20;
// A run that retires nothing in this many steps is stuck (each step is at least a cycle).
constexpr int kMaxStepsWithoutRetiring = 100'000;
// Steps a run takes ahead in one call while looking for a meeting point.
constexpr size_t kFillChunk = 4'096;
// Lookups a search for a meeting point does in one call.
constexpr size_t kSearchWork = 32'768;

constexpr uint32_t kMechanismKinds =
    LockstepStep::kindBit(EventKind::SensitiveTrapped) | LockstepStep::kindBit(EventKind::SensitiveSilent) |
    LockstepStep::kindBit(EventKind::Hypercall) | LockstepStep::kindBit(EventKind::VmExit) |
    LockstepStep::kindBit(EventKind::VmEntry) | LockstepStep::kindBit(EventKind::Translation) |
    LockstepStep::kindBit(EventKind::TranslationInvalidate) | LockstepStep::kindBit(EventKind::EmulatedInstruction) |
    LockstepStep::kindBit(EventKind::ShadowUpdate) | LockstepStep::kindBit(EventKind::WorldSwitch) |
    LockstepStep::kindBit(EventKind::IsolationViolation);

// The instruction's bytes as the CPU would fetch them now (two words: the
// longest instruction), without side effects.
void readCode(const Cpu& cpu, uint32_t pc, LockstepStep& step) {
    step.codeLength = 0;
    for (uint32_t word = 0; word < 2; ++word) {
        uint32_t physical = 0;
        if (!cpu.peekTranslate(pc + 4 * word, physical) || !cpu.memory().contains(physical, 4)) return;
        for (uint32_t i = 0; i < 4; ++i) step.code[4 * word + i] = cpu.memory().read8(physical + i);
        step.codeLength = uint8_t(4 * (word + 1));
    }
}

uint32_t firstWord(const LockstepStep& s) {
    return s.codeLength >= 4 ? uint32_t(s.code[0]) | uint32_t(s.code[1]) << 8 | uint32_t(s.code[2]) << 16 |
                                   uint32_t(s.code[3]) << 24
                             : 0;
}

// The same guest instruction: the same pc and the same encoding (two builds
// of a kernel, such as the paravirtual one, put different code at one address).
bool sameInstruction(const LockstepStep& a, const LockstepStep& b) {
    if (a.pc != b.pc || a.codeLength != b.codeLength) return false;
    const isa::InstructionInfo* info = a.codeLength >= 4 ? isa::infoFor(a.code[3]) : nullptr;  // opcode: bits 31..24
    const size_t length = std::min<size_t>(a.codeLength, info ? isa::lengthOf(info->format) : 4);
    return std::equal(a.code.begin(), a.code.begin() + long(length), b.code.begin());
}

}  // namespace

uint32_t mechanismKinds(uint32_t kinds) { return kinds & kMechanismKinds; }

std::string_view lockstepMarkName(LockstepMark m) {
    switch (m) {
    case LockstepMark::Together: return "together";
    case LockstepMark::Parted: return "parted";
    case LockstepMark::OnlyA: return "only A";
    case LockstepMark::OnlyB: return "only B";
    }
    return "?";
}

// One of the two runs, stepped one retired instruction at a time, with the
// steps it has taken ahead of the rows (while looking for a meeting point).
class Lockstep::Runner {
public:
    Runner(const GuestImages& guest, const RunOptions& options) : guest(guest), session(guest, options), mode(options.mode) {
        session.setListener([this](const Event& e) { return !(stopAtHalt_ && e.kind == EventKind::Halt); });
    }

    // Steps until `n` steps are ahead, or the run is over; whether there are `n`.
    bool fill(size_t n) {
        while (ahead.size() < n && produce()) {
        }
        return ahead.size() >= n;
    }

    const GuestImages& guest;
    Session session;
    Mode mode;
    std::deque<LockstepStep> ahead;
    std::string problem;  // why the run could not go on, if not an ending of its own
    bool over() const { return over_; }

private:
    // Runs to the next retired instruction; false when the run is over.
    bool produce() {
        if (over_) return false;
        Cpu& cpu = session.machine().cpu;
        const EventLog& log = session.machine().events;
        LockstepStep step;
        step.firstEvent = log.total();
        const uint64_t before = cpu.stats().instructions;
        // One cycle ahead stops at the next instruction boundary. An interrupt
        // or fault taken on the way is a step that retires nothing; it counts
        // with the instruction that follows it.
        for (int steps = 0;; ++steps) {
            if (session.finished()) return end();
            if (steps == kMaxStepsWithoutRetiring) {
                problem = fmt::format("{} retired no instruction in {} steps (pc {:#010x})", mode, steps, cpu.state.pc);
                return end();
            }
            step.pc = cpu.state.pc;
            step.ring = int8_t(cpu.ring());
            session.run(cpu.account.now + 1);
            if (cpu.stats().instructions != before) break;
        }
        readCode(cpu, step.pc, step);
        // A hlt stopped one cycle later has not idled yet (it will execute
        // again): let it idle up to its wake-up, as one instruction.
        if (!session.finished() && haltedAt(log, step.firstEvent, cpu.state.pc)) {
            stopAtHalt_ = true;
            session.run();
            stopAtHalt_ = false;
        }
        step.cycleAfter = cpu.account.now;
        step.cycles = uint32_t(std::min<uint64_t>(step.cycleAfter - lastCycle_, UINT32_MAX));
        lastCycle_ = step.cycleAfter;
        step.retired = cpu.stats().instructions;
        for (uint64_t n = std::max(step.firstEvent, log.firstRetained()); n < log.total(); ++n) {
            step.kinds |= LockstepStep::kindBit(log.at(n).kind);
            if (step.events < UINT16_MAX) ++step.events;
        }
        ahead.push_back(step);
        return true;
    }

    bool end() {
        over_ = true;
        return false;
    }

    // A hlt since event `from` that left the pc on itself: it has not idled.
    static bool haltedAt(const EventLog& log, uint64_t from, uint32_t pc) {
        for (uint64_t n = std::max(from, log.firstRetained()); n < log.total(); ++n)
            if (log.at(n).kind == EventKind::Halt && log.at(n).pc == pc) return true;
        return false;
    }

    bool over_ = false;
    bool stopAtHalt_ = false;
    uint64_t lastCycle_ = 0;  // after the previous step
};

Lockstep::Lockstep(const Scenario& scenario, Mode modeA, Mode modeB, LockstepLimits limits)
    : limits_(limits) {
    Scenario both = scenario;
    both.modes = {modeA, modeB};
    images_ = std::make_unique<ScenarioImages>(both);
    auto optionsFor = [&](Mode mode) {
        RunOptions options = scenario.optionsFor(mode);
        options.eventCapacity = kLockstepEventCapacity;
        return options;
    };
    a_ = std::make_unique<Runner>(images_->forMode(modeA), optionsFor(modeA));
    b_ = std::make_unique<Runner>(images_->forMode(modeB), optionsFor(modeB));
    // Room for every row at once: growing a vector of them would copy megabytes in one call.
    rows_.reserve(limits_.maxRows);
    if (limits_.lookahead == 0) limits_.lookahead = 1;
    if (limits_.confirm == 0) limits_.confirm = 1;
}

Lockstep::~Lockstep() = default;

Mode Lockstep::mode(bool sideB) const { return sideB ? b_->mode : a_->mode; }
Session& Lockstep::session(bool sideB) { return sideB ? b_->session : a_->session; }
const GuestImages& Lockstep::guest(bool sideB) const { return sideB ? b_->guest : a_->guest; }

bool Lockstep::advance(size_t rows) {
    lookedAhead_ = false;
    for (size_t i = 0; i < rows && !done_ && !lookedAhead_; ++i) addRow();
    return !done_;
}

void Lockstep::finish(std::string why) {
    done_ = true;
    ending_ = std::move(why);
}

void Lockstep::addRow() {
    if (rows_.size() >= limits_.maxRows) {
        finish(fmt::format("stopped at the limit of {} instructions", limits_.maxRows));
        return;
    }
    if (pendingOnlyA_ > 0) {
        --pendingOnlyA_;
        emitOne(false, LockstepMark::OnlyA);
        return;
    }
    if (pendingOnlyB_ > 0) {
        --pendingOnlyB_;
        emitOne(true, LockstepMark::OnlyB);
        return;
    }
    const bool haveA = a_->fill(1), haveB = b_->fill(1);
    if (!haveA && !haveB) {
        auto ended = [](Runner& r) {
            return r.problem.empty() ? fmt::format("{} {}", r.mode, stopReasonName(r.session.lastStop())) : r.problem;
        };
        finish(fmt::format("both runs ended ({}; {})", ended(*a_), ended(*b_)));
        return;
    }
    // One run has ended and the other goes on: what it still does is its own.
    if (!haveA || !haveB) {
        emitOne(haveB, haveB ? LockstepMark::OnlyB : LockstepMark::OnlyA);
        return;
    }
    if (sameInstruction(a_->ahead.front(), b_->ahead.front())) {
        emitPaired();
        return;
    }
    if (!firstDivergence_) firstDivergence_ = rows_.size();
    switch (realign()) {
    case Realigned::Found: ++realignments_; return;
    case Realigned::EndedApart: return;
    case Realigned::LookFurther: lookedAhead_ = true; return;
    case Realigned::Never:
        finish(fmt::format("the runs took different paths at row {} and did not meet again within {} instructions; "
                           "the rows stop there",
                           rows_.size(), limits_.lookahead));
    }
}

void Lockstep::emitPaired() {
    LockstepRow row;
    row.a = a_->ahead.front();
    row.b = b_->ahead.front();
    a_->ahead.pop_front();
    b_->ahead.pop_front();
    row.difference = int64_t(row.b.cycleAfter) - int64_t(row.a.cycleAfter);
    row.mark = mechanismKinds(row.a.kinds) != mechanismKinds(row.b.kinds) ? LockstepMark::Parted : LockstepMark::Together;
    if (row.mark == LockstepMark::Parted) partings_.push_back(rows_.size());
    rows_.push_back(row);
}

void Lockstep::emitOne(bool sideB, LockstepMark mark) {
    Runner& r = sideB ? *b_ : *a_;
    LockstepRow row;
    (sideB ? row.b : row.a) = r.ahead.front();
    r.ahead.pop_front();
    row.difference = rows_.empty() ? 0 : rows_.back().difference;  // held along a detour
    row.mark = mark;
    if (rows_.empty() || rows_.back().mark != mark) partings_.push_back(rows_.size());
    rows_.push_back(row);
}

// A search for where two paths meet again, done a bounded piece per call:
// the runs stepped ahead, B's steps indexed by instruction, A's looked up.
struct Lockstep::Search {
    size_t window = kFirstWindow;  // how far ahead of each run it looks; doubled while nothing is found
    size_t indexed = 0;            // B's steps in `index`
    size_t scanned = 0;            // A's steps looked up in this window
    size_t best = SIZE_MAX, bestI = 0, bestJ = 0;  // the nearest meeting found: A's step bestI is B's bestJ
    std::unordered_map<uint64_t, std::vector<uint32_t>> index;  // B's steps (in order) by pc and first word
    static constexpr size_t kFirstWindow = 1024;
    static uint64_t key(const LockstepStep& s) { return uint64_t(s.pc) << 32 | firstWord(s); }
};

// The heads of the two runs are different instructions: the nearest pair of
// steps ahead (fewest instructions skipped on both sides together) that are
// the same instruction and are followed by `confirm` more that are the same;
// they set the detour to emit. Each call does a bounded piece of the work
// (stepping ahead, indexing, looking up) and says LookFurther until it is done.
Lockstep::Realigned Lockstep::realign() {
    if (!search_) search_ = std::make_unique<Search>();
    Search& q = *search_;
    const size_t window = std::min(q.window, limits_.lookahead);
    const size_t want = window + limits_.confirm;
    for (Runner* r : {a_.get(), b_.get()}) {
        r->fill(std::min(want, r->ahead.size() + kFillChunk));
        if (r->ahead.size() < want && !r->over()) return Realigned::LookFurther;
    }
    const auto& A = a_->ahead;
    const auto& B = b_->ahead;
    size_t work = 0;
    for (; q.indexed < B.size() && q.indexed <= window; ++q.indexed, ++work) {
        if (work == kSearchWork) return Realigned::LookFurther;
        q.index[Search::key(B[q.indexed])].push_back(uint32_t(q.indexed));
    }
    auto confirmed = [&](size_t i, size_t j) {
        const size_t n = std::min({limits_.confirm, A.size() - i, B.size() - j});
        for (size_t m = 0; m < n; ++m)
            if (!sameInstruction(A[i + m], B[j + m])) return false;
        return true;
    };
    for (; q.scanned < A.size() && q.scanned <= window && q.scanned < q.best; ++q.scanned) {
        if (work >= kSearchWork) return Realigned::LookFurther;
        const size_t i = q.scanned;
        ++work;
        const auto found = q.index.find(Search::key(A[i]));
        if (found == q.index.end()) continue;
        for (uint32_t j : found->second) {
            if (i + j >= q.best) break;
            ++work;
            if (confirmed(i, j)) {
                q.best = i + j, q.bestI = i, q.bestJ = j;
                break;
            }
        }
    }
    // Every pair nearer than the best lies inside the window: the best is the
    // nearest. Runs that ended inside the window have nothing further to
    // offer, and past the lookahead the nearest pair inside it has to do.
    const bool wholeRunsSeen = A.size() < want && B.size() < want;
    const bool lastWindow = window >= limits_.lookahead || wholeRunsSeen;
    if (q.best != SIZE_MAX && (q.best <= window || lastWindow)) {
        pendingOnlyA_ = q.bestI;
        pendingOnlyB_ = q.bestJ;
        search_.reset();
        return Realigned::Found;
    }
    // Both runs ended on their own paths: the rest of each is its own.
    if (wholeRunsSeen && A.size() + B.size() > 0 && a_->over() && b_->over()) {
        pendingOnlyA_ = A.size();
        pendingOnlyB_ = B.size();
        search_.reset();
        return Realigned::EndedApart;
    }
    if (lastWindow) return Realigned::Never;
    // A wider window: A's steps are looked up again, against more of B's.
    q.window = window * 2;
    q.scanned = 0;
    return Realigned::LookFurther;
}

}  // namespace ringsim
