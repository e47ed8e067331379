// The fetch-decode-execute loop. Kept lean: instructions are pre-decoded per
// physical page, the current code page is cached, loads and stores hit the
// TLB inline, and interrupts, the timer and stop points are looked at only
// when the cycle count reaches the next deadline.
#include "cpu.h"
#include "decoder.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace ringsim {

using isa::Opcode;
namespace flag = isa::flag;

Cpu::Cpu(PhysicalMemory& memory, const Costs& costs, CpuConfig cfg)
    : config(cfg), memory_(memory), costs_(costs), windowLimit_(memory.size()) {
    reset(0);
}

void Cpu::reset(uint32_t entry) {
    state = ArchState{};
    state.pc = entry;
    CycleSpanObserver* observer = account.observer();  // whoever watches the account outlives a reset
    account = CycleAccount{};
    account.setObserver(observer);
    stats_ = CpuStats{};
    timerPending_ = false;
    injected_ = 0;
    nextTick_ = 0;
    virtualTimeOffset_ = 0;
    blockExpectedPc_ = ~0u;
    blockLastDirect_ = false;
    stopReason_ = StopReason::Running;
    stopMessage_.clear();
    inDelivery_ = false;
    flushTlb();
    stats_.tlbFlushes = 0;
    privilegeOrMappingChanged();
}

void Cpu::setPhysicalWindow(uint32_t base, uint32_t limit) {
    windowBase_ = base;
    windowLimit_ = limit;
    flushTlb();
}

CpuContext Cpu::saveContext() const {
    CpuContext c;
    c.state = state;
    c.vmControls = vmControls;
    c.windowBase = windowBase_;
    c.windowLimit = windowLimit_;
    c.walkRefs = walkRefs_;
    c.translateRing = translateRing_;
    c.calloutRing = calloutRing_;
    c.virtualTime = virtualTime();
    c.nextTick = nextTick_;
    c.timerPending = timerPending_;
    c.injected = injected_;
    c.stopReason = stopReason_;
    c.stopMessage = stopMessage_;
    return c;
}

void Cpu::restoreContext(const CpuContext& c) {
    state = c.state;
    vmControls = c.vmControls;
    walkRefs_ = c.walkRefs;
    setPhysicalWindow(c.windowBase, c.windowLimit);  // flushes the TLB
    setTranslation(c.translateRing, c.calloutRing);
    virtualTimeOffset_ = account.total(CycleCategory::GuestUser) + account.total(CycleCategory::Idle) - c.virtualTime;
    nextTick_ = c.nextTick;
    timerPending_ = c.timerPending;
    injected_ = c.injected;
    stopReason_ = c.stopReason;
    stopMessage_ = c.stopMessage;
    stopRequested_ = false;
    inDelivery_ = false;
    privilegeOrMappingChanged();
}

StopReason Cpu::run(uint64_t budgetEnd, uint64_t stopAt) { return dispatch(budgetEnd, stopAt, false); }
StopReason Cpu::step(uint64_t budgetEnd) { return dispatch(budgetEnd, UINT64_MAX, true); }

void Cpu::setTranslation(int ring, int calloutRing) {
    blockExpectedPc_ = ~0u;
    blockLastDirect_ = false;
    translateRing_ = ring;
    calloutRing_ = calloutRing;
    restyle_ = true;
    deadline_ = 0;
}

// Picks the loop for the current execution style, and again whenever it changes.
StopReason Cpu::dispatch(uint64_t budgetEnd, uint64_t stopAt, bool singleStep) {
    // Once per run, not per loop: a stop asked for by an event that also
    // changed the execution style (a trap from direct into translated code)
    // must survive the change of loop.
    stopRequested_ = false;
    for (;;) {
        restyle_ = false;
        const bool translated = translationActive();
        runningTranslated_ = translated;
        // Breakpoints get loops of their own, so that without any the loops
        // do not look (a single step executes its instruction regardless).
        const bool breakpoints = !breakpoints_.empty();
        StopReason r = singleStep ? (translated ? loop<true, true, false>(budgetEnd, stopAt)
                                                : loop<true, false, false>(budgetEnd, stopAt))
                       : breakpoints ? (translated ? loop<false, true, true>(budgetEnd, stopAt)
                                                  : loop<false, false, true>(budgetEnd, stopAt))
                                     : (translated ? loop<false, true, false>(budgetEnd, stopAt)
                                                   : loop<false, false, false>(budgetEnd, stopAt));
        if (!restyle_ || r != StopReason::Running) return r;
    }
}

namespace {
constexpr uint32_t kOffsetMask = isa::kPageSize - 1;
constexpr uint32_t kFetchMask = ~kOffsetMask | 3u;  // page bits plus the alignment bits

inline uint32_t compareFlags(uint32_t a, uint32_t b) {
    uint32_t res = a - b;
    return (res == 0 ? flag::Zero : 0) | ((res >> 31) ? flag::Negative : 0) | (a < b ? flag::Carry : 0) |
           ((((a ^ b) & (a ^ res)) >> 31) ? flag::Overflow : 0);
}
inline bool signedLess(uint32_t f) { return bool(f & flag::Negative) != bool(f & flag::Overflow); }
}  // namespace

template <bool SingleStep, bool Translated, bool Breakpoints>
StopReason Cpu::loop(uint64_t budgetEnd, uint64_t stopAt) {
    if (stopReason_ == StopReason::Halted || stopReason_ == StopReason::GuestFault) return stopReason_;
    stopReason_ = StopReason::Running;
    budgetEnd_ = budgetEnd;
    stopAt_ = stopAt;
    recomputeDeadline();
    uint32_t* const r = state.r.data();
    // Translated execution: where straight-line execution would continue, and
    // whether the last instruction was a direct branch (its target can be chained).
    // (Kept across calls, so pausing and resuming does not start a new block.)
    uint32_t expectedPc = blockExpectedPc_;
    bool lastDirect = blockLastDirect_;

    // What every instruction touches lives in locals, where the compiler can
    // keep it in registers; the members hold it whenever code outside this
    // loop runs (slow paths, hooks), so that code sees the same CPU as before.
    uint32_t pc = state.pc;
    uint64_t now = account.now;
    uint64_t retired = stats_.instructions;
    uint64_t deadline = deadline_;
    uint32_t codeBase = fetchBase_;
    DecodedPage* codePage = fetchPage_;
    auto spill = [&]() __attribute__((always_inline)) {
        state.pc = pc;
        account.now = now;
        stats_.instructions = retired;
    };
    auto reload = [&]() __attribute__((always_inline)) {
        pc = state.pc;
        now = account.now;
        retired = stats_.instructions;
        deadline = deadline_;
        codeBase = fetchBase_;
        codePage = fetchPage_;
    };

    // Inline TLB hits; anything else goes to the slow paths, which raise faults themselves.
    auto load32 = [&](uint32_t addr, uint32_t& v) __attribute__((always_inline)) {
        const TlbEntry& e = tlb_[(addr >> isa::kPageShift) & (kTlbSize - 1)];
        if (e.tag == (addr >> isa::kPageShift) && (e.perm & loadNeed_) == loadNeed_ && !(addr & 3)) {
            std::memcpy(&v, e.host + (addr & kOffsetMask), 4);
            return true;
        }
        spill();
        const bool ok = loadSlow(addr, 4, v, pc);
        reload();
        return ok;
    };
    auto store32 = [&](uint32_t addr, uint32_t v) __attribute__((always_inline)) {
        const TlbEntry& e = tlb_[(addr >> isa::kPageShift) & (kTlbSize - 1)];
        if (e.tag == (addr >> isa::kPageShift) && (e.perm & storeNeed_) == storeNeed_ && !(addr & 3)) {
            std::memcpy(e.host + (addr & kOffsetMask), &v, 4);
            return true;
        }
        spill();
        const bool ok = storeSlow(addr, 4, v, pc);
        reload();
        return ok;
    };
    Decoded spanning;  // an instruction whose immediate lies on the next page, fetched whole
    Decoded* d = nullptr;
    uint32_t next = 0;

    // Threaded dispatch: every instruction executed inline (opcodes 0 to
    // kLastInline) ends by looking up the next one itself, so each has its
    // own indirect jump for the host's branch predictor to learn. The others,
    // and whatever needs a look (a deadline, a new code page, a slot not yet
    // decoded, a breakpoint, a block entry), go round through `top`.
    constexpr uint8_t kLastInline = uint8_t(Opcode::Bgeu);
    static void* const kHandlers[kLastInline + 1] = {
        &&op_nop,  &&op_mov,  &&op_li,    &&op_add,   &&op_sub,   &&op_and,  &&op_or,   &&op_xor,
        &&op_shl,  &&op_shr,  &&op_sar,   &&op_mul,   &&op_divrem, &&op_divrem, &&op_addi, &&op_andi,
        &&op_ori,  &&op_xori, &&op_shli,  &&op_shri,  &&op_muli,  &&op_cmp,  &&op_cmpi,  &&outOfLine,
        &&op_ld,   &&op_st,   &&op_ldb,   &&op_stb,   &&op_push,  &&op_pop,  &&outOfLine, &&outOfLine,
        &&op_jmp,  &&op_jmpr, &&op_call,  &&op_call,  &&op_ret,   &&op_beq,  &&op_bne,   &&op_blt,
        &&op_bge,  &&op_bgt,  &&op_ble,   &&op_bltu,  &&op_bgeu};
    static_assert(uint8_t(Opcode::Ld) == 0x18 && uint8_t(Opcode::Jmp) == 0x20 && uint8_t(Opcode::Bgeu) == 0x2C,
                  "kHandlers follows isa::Opcode's numbering");

// Retires the instruction just executed, then goes to the next.
#define RINGSIM_FINISH()                                                                        \
    do {                                                                                        \
        pc = next;                                                                              \
        now += d->cycles;                                                                       \
        ++retired;                                                                              \
        if constexpr (Translated) {                                                             \
            /* A block ends at control flow; the next one is chained when the jump was direct.  \
               (From the slot's info, which stays valid even if the instruction just            \
               overwrote its own encoding and so reset the slot's op.) */                       \
            if (d->info & kEndsBlock) {                                                         \
                expectedPc = ~0u;                                                               \
                lastDirect = d->info & kDirectBranch;                                           \
            } else {                                                                            \
                expectedPc = next;                                                              \
            }                                                                                   \
        }                                                                                       \
        if constexpr (SingleStep) goto done;                                                    \
        if constexpr (Translated || Breakpoints) goto top;                                      \
        if (now >= deadline || (pc & kFetchMask) != codeBase) [[unlikely]] goto top;            \
        d = &codePage->slot[(pc & kOffsetMask) >> 2];                                           \
        if (d->op > kLastInline) [[unlikely]] goto top;                                         \
        next = pc + d->length;                                                                  \
        goto* kHandlers[d->op];                                                                 \
    } while (0)

top:
    if (now >= deadline) [[unlikely]] {
        spill();
        bool tookInterrupt = timerPending_ && state.interruptsEnabled();
        const bool goOn = handleDeadline();
        reload();
        if (!goOn) goto done;
        if (SingleStep && tookInterrupt && !timerPending_) goto done;
        goto top;  // the deadline may have moved the pc (an interrupt)
    }
    // Before anything at this pc happens, even the translation of its block.
    if constexpr (Breakpoints) {
        if (stopsAtBreakpoint(pc)) {
            stopReason_ = StopReason::Breakpoint;
            goto done;
        }
    }
    if constexpr (Translated) {
        if (pc != expectedPc) {
            const uint32_t at = pc;
            spill();
            if (hooks_) hooks_->blockEntry(*this, pc, lastDirect);
            reload();
            expectedPc = at;  // the block continues from here
            // The hook may stop the run or redirect it; the cycles it charged
            // alone do not hold the block back (a stop point right after them
            // would otherwise re-enter the block forever without progress).
            if (stopRequested_ || stopReason_ != StopReason::Running || pc != at) goto top;
        }
    }
    if ((pc & kFetchMask) != codeBase) [[unlikely]] {
        spill();
        const bool fetched = refillFetch(pc);
        reload();
        if (!fetched) {
            if constexpr (Translated) lastDirect = false;
            goto top;
        }
    }
    d = &codePage->slot[(pc & kOffsetMask) >> 2];
    if (d->op >= decoded_op::FirstSpecial) [[unlikely]] {
        if (d->op == decoded_op::Undecoded) d = decodeAt(pc, d);
        if (d->op == decoded_op::SpansPage) {
            spill();
            const bool fetched = fetchSpanning(pc, spanning);
            reload();
            if (!fetched) goto top;
            d = &spanning;
        }
        if (d->op == decoded_op::Invalid) {
            spill();
            raiseFault(isa::Vector::InvalidOpcode, pc);
            reload();
            if constexpr (SingleStep) goto done;
            goto top;
        }
    }
    next = pc + d->length;
    if (d->op > kLastInline) goto outOfLine;
    goto* kHandlers[d->op];

op_nop: RINGSIM_FINISH();
op_mov: r[d->a] = r[d->b]; RINGSIM_FINISH();
op_li: r[d->a] = d->imm; RINGSIM_FINISH();
op_add: r[d->a] = r[d->b] + r[d->c]; RINGSIM_FINISH();
op_sub: r[d->a] = r[d->b] - r[d->c]; RINGSIM_FINISH();
op_and: r[d->a] = r[d->b] & r[d->c]; RINGSIM_FINISH();
op_or: r[d->a] = r[d->b] | r[d->c]; RINGSIM_FINISH();
op_xor: r[d->a] = r[d->b] ^ r[d->c]; RINGSIM_FINISH();
op_shl: r[d->a] = r[d->b] << (r[d->c] & 31); RINGSIM_FINISH();
op_shr: r[d->a] = r[d->b] >> (r[d->c] & 31); RINGSIM_FINISH();
op_sar: r[d->a] = uint32_t(int32_t(r[d->b]) >> (r[d->c] & 31)); RINGSIM_FINISH();
op_mul: r[d->a] = r[d->b] * r[d->c]; RINGSIM_FINISH();
op_divrem: {
    const uint32_t divisor = r[d->c];
    if (divisor == 0) {
        spill();
        raiseFault(isa::Vector::DivideError, pc);
        reload();
        if constexpr (SingleStep) goto done;
        goto top;
    }
    r[d->a] = d->op == uint8_t(Opcode::Div) ? r[d->b] / divisor : r[d->b] % divisor;
    RINGSIM_FINISH();
}
op_addi: r[d->a] = r[d->b] + d->imm; RINGSIM_FINISH();
op_andi: r[d->a] = r[d->b] & d->imm; RINGSIM_FINISH();
op_ori: r[d->a] = r[d->b] | d->imm; RINGSIM_FINISH();
op_xori: r[d->a] = r[d->b] ^ d->imm; RINGSIM_FINISH();
op_shli: r[d->a] = r[d->b] << (d->imm & 31); RINGSIM_FINISH();
op_shri: r[d->a] = r[d->b] >> (d->imm & 31); RINGSIM_FINISH();
op_muli: r[d->a] = r[d->b] * d->imm; RINGSIM_FINISH();
op_cmp: state.flags = (state.flags & ~flag::Condition) | compareFlags(r[d->a], r[d->b]); RINGSIM_FINISH();
op_cmpi: state.flags = (state.flags & ~flag::Condition) | compareFlags(r[d->a], d->imm); RINGSIM_FINISH();

op_ld: {
    uint32_t v;
    if (!load32(r[d->b] + d->imm, v)) goto faulted;
    r[d->a] = v;
    RINGSIM_FINISH();
}
op_st:
    if (!store32(r[d->b] + d->imm, r[d->a])) goto faulted;
    RINGSIM_FINISH();
op_ldb: {
    uint32_t v;
    spill();
    const bool ok = loadSlow(r[d->b] + d->imm, 1, v, pc);
    reload();
    if (!ok) goto faulted;
    r[d->a] = v;
    RINGSIM_FINISH();
}
op_stb: {
    spill();
    const bool ok = storeSlow(r[d->b] + d->imm, 1, r[d->a], pc);
    reload();
    if (!ok) goto faulted;
    RINGSIM_FINISH();
}
op_push: {
    const uint32_t sp = r[isa::kStackPointer] - 4;
    if (!store32(sp, r[d->a])) goto faulted;
    r[isa::kStackPointer] = sp;
    RINGSIM_FINISH();
}
op_pop: {
    uint32_t v;
    if (!load32(r[isa::kStackPointer], v)) goto faulted;
    r[isa::kStackPointer] += 4;
    r[d->a] = v;
    RINGSIM_FINISH();
}

op_jmp: next = d->imm; RINGSIM_FINISH();
op_jmpr: next = r[d->a]; RINGSIM_FINISH();
op_call: {  // call and callr
    const uint32_t target = d->op == uint8_t(Opcode::Call) ? d->imm : r[d->a];
    const uint32_t sp = r[isa::kStackPointer] - 4;
    if (!store32(sp, next)) goto faulted;
    r[isa::kStackPointer] = sp;
    next = target;
    RINGSIM_FINISH();
}
op_ret: {
    uint32_t v;
    if (!load32(r[isa::kStackPointer], v)) goto faulted;
    r[isa::kStackPointer] += 4;
    next = v;
    RINGSIM_FINISH();
}
op_beq: if (state.flags & flag::Zero) next = d->imm; RINGSIM_FINISH();
op_bne: if (!(state.flags & flag::Zero)) next = d->imm; RINGSIM_FINISH();
op_blt: if (signedLess(state.flags)) next = d->imm; RINGSIM_FINISH();
op_bge: if (!signedLess(state.flags)) next = d->imm; RINGSIM_FINISH();
op_bgt: if (!(state.flags & flag::Zero) && !signedLess(state.flags)) next = d->imm; RINGSIM_FINISH();
op_ble: if ((state.flags & flag::Zero) || signedLess(state.flags)) next = d->imm; RINGSIM_FINISH();
op_bltu: if (state.flags & flag::Carry) next = d->imm; RINGSIM_FINISH();
op_bgeu: if (!(state.flags & flag::Carry)) next = d->imm; RINGSIM_FINISH();
#undef RINGSIM_FINISH

outOfLine:
    // Traps, sensitive and privileged instructions: out of line; they
    // set the pc, charge cycles and count the instruction themselves.
    spill();
    if (isa::isSensitive(static_cast<isa::InsnClass>(d->info >> 4)))
        (static_cast<isa::InsnClass>(d->info >> 4) == isa::InsnClass::Privileged ? executePrivileged(*d, pc)
                                                                                 : executeSensitive(*d, pc));
    else
        executeTrapping(*d, pc);
    reload();
    if constexpr (Translated) {
        expectedPc = ~0u;  // after a sensitive instruction or trap: a new block
        lastDirect = false;
    }
    if constexpr (SingleStep) goto done;
    goto top;

faulted:
    if constexpr (Translated) {
        expectedPc = ~0u;
        lastDirect = false;
    }
    if constexpr (SingleStep) goto done;
    goto top;

done:
    spill();
    if constexpr (Translated) {
        blockExpectedPc_ = expectedPc;
        blockLastDirect_ = lastDirect;
    }
    if (restyle_ && stopReason_ == StopReason::Running) return StopReason::Running;
    if (stopReason_ == StopReason::Running) stopReason_ = StopReason::StopRequested;
    return stopReason_;
}

template StopReason Cpu::loop<false, false, false>(uint64_t, uint64_t);
template StopReason Cpu::loop<true, false, false>(uint64_t, uint64_t);
template StopReason Cpu::loop<false, true, false>(uint64_t, uint64_t);
template StopReason Cpu::loop<true, true, false>(uint64_t, uint64_t);
template StopReason Cpu::loop<false, false, true>(uint64_t, uint64_t);
template StopReason Cpu::loop<false, true, true>(uint64_t, uint64_t);

void Cpu::setBreakpoints(std::vector<uint32_t> pcs) {
    std::sort(pcs.begin(), pcs.end());
    pcs.erase(std::unique(pcs.begin(), pcs.end()), pcs.end());
    breakpoints_ = std::move(pcs);
    breakpointFilter_ = 0;
    for (uint32_t pc : breakpoints_) breakpointFilter_ |= uint64_t(1) << ((pc >> 2) & 63);
}

// Every look consumes the step-over: it applies to the first instruction of
// a run only (an interrupt taken first moves the pc, and the breakpoint
// stays armed for when the handler returns to it).
bool Cpu::stopsAtBreakpoint(uint32_t pc) {
    const bool skip = pc == skipBreakpointAt_;
    skipBreakpointAt_ = ~0u;
    if (skip || !(breakpointFilter_ >> ((pc >> 2) & 63) & 1)) return false;
    if (!std::binary_search(breakpoints_.begin(), breakpoints_.end(), pc)) return false;
    skipBreakpointAt_ = pc;  // resuming executes it
    return true;
}

void Cpu::retireInstruction(const Decoded& d, uint32_t nextPc) {
    state.pc = nextPc;
    account.now += d.cycles;
    ++stats_.instructions;
}

// brk, syscall, sysret, hcall: ordinary, gate and hypercall instructions that trap.
void Cpu::executeTrapping(const Decoded& d, uint32_t pc) {
    const uint32_t next = pc + d.length;
    switch (static_cast<Opcode>(d.op)) {
    case Opcode::Brk:
        retireInstruction(d, next);
        raise(Trap{uint8_t(isa::Vector::Breakpoint), next, pc, 0, CpuEventKind::Fault});
        return;
    case Opcode::Syscall:
        retireInstruction(d, next);
        raise(Trap{uint8_t(isa::Vector::Syscall), next, pc, 0, CpuEventKind::Syscall});
        return;
    case Opcode::Sysret:
        if (calloutTaken(d, pc)) return;
        if (state.cpl != 0) return raiseFault(isa::Vector::GeneralProtection, pc);
        retireInstruction(d, pc);
        if (const int8_t before = int8_t(ring()); returnFromTrap()) {
            account.charge(CycleCategory::GuestKernel, costs_.syscallReturn);
            emit(CpuEventKind::SyscallReturn, before, int8_t(ring()), 0, pc, returnReceipt(before, &Costs::syscallReturn), 0,
                 0, costs_.syscallReturn);
        }
        return;
    case Opcode::Hcall:
        // Its cycles are spent in the calling ring whatever follows — served,
        // a VM exit, or an invalid-opcode fault — and before a monitor may
        // change rings: in ring 3 they are virtual time, which must not run
        // slower under a monitor than natively. It counts as retired only if served.
        account.now += d.cycles;
        if (exitIfSelected(VmExitReason::Hypercall, pc, &d, d.imm)) return;
        // The monitor sees the pc past the hcall (where the guest continues).
        state.pc = next;
        if (hooks_ && hooks_->hypercall(*this, d.imm)) {
            ++stats_.instructions;
            return;
        }
        // Bare hardware has no monitor to call: the opcode is undefined.
        state.pc = pc;
        raiseFault(isa::Vector::InvalidOpcode, pc);
        return;
    default:
        raiseFault(isa::Vector::InvalidOpcode, pc);
    }
}

bool Cpu::refillFetch(uint32_t pc) {
    if (pc & 3) {
        raiseFault(isa::Vector::Alignment, pc, pc);
        return false;
    }
    TlbEntry* e = translate(pc, Access::Fetch, pc);
    if (!e) return false;
    bool hadCode = memory_.pageFlags(e->frame) & page_flag::HasCode;
    fetchPage_ = &memory_.decodedPage(e->frame);
    if (!hadCode) dropFastWrite(e->frame);  // stores to this page must now drop decoded code
    fetchBase_ = pc & ~kOffsetMask;
    fetchFrame_ = e->frame;
    return true;
}

Decoded* Cpu::decodeAt(uint32_t pc, Decoded* slot) {
    const uint32_t physical = (fetchFrame_ << isa::kPageShift) | (pc & kOffsetMask);
    if (!decodeFirstWord(memory_.read32(physical), costs_.instruction, *slot) || slot->length == 4) return slot;
    if ((pc & kOffsetMask) == kOffsetMask - 3) {
        slot->op = decoded_op::SpansPage;  // the immediate is on the next page
        return slot;
    }
    slot->imm = memory_.read32(physical + 4);
    return slot;
}

bool Cpu::fetchInstruction(uint32_t pc, Decoded& out) const {
    uint32_t physical = 0;
    if ((pc & 3) || !peekTranslate(pc, physical)) return false;
    if (!decodeFirstWord(memory_.read32(physical), costs_.instruction, out)) return true;
    if (out.length == 8) {
        if (!peekTranslate(pc + 4, physical)) return false;
        out.imm = memory_.read32(physical);
    }
    return true;
}

bool Cpu::fetchSpanning(uint32_t pc, Decoded& out) {
    const uint32_t physical = (fetchFrame_ << isa::kPageShift) | (pc & kOffsetMask);
    const uint32_t word = memory_.read32(physical);
    TlbEntry* e = translate(pc + 4, Access::Fetch, pc);
    if (!e) return false;
    decodeFirstWord(word, costs_.instruction, out);
    std::memcpy(&out.imm, e->host, 4);
    // The translation of the next page replaced the cached code page's entry: refetch next time.
    fetchBase_ = kNoTag;
    return true;
}

}  // namespace ringsim
