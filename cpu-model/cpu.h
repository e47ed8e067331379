// The toy CPU: registers, FLAGS, privilege rings, control registers, the MMU
// with its TLB, traps and interrupts, and cycle accounting.
//
// The CPU knows nothing of what it is embedded in. It reports to, and asks,
// its CpuHooks (implemented in core/): port I/O, traps an embedder wants to
// take itself, hypercalls, writes to watched pages, and events.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "costs.h"
#include "receipt.h"
#include "cycle_account.h"
#include "isa.h"
#include "memory.h"
#include "vmx.h"

namespace ringsim {

class Cpu;

// A VM exit as the CPU reports it: why, and the instruction (if any) that caused it.
struct VmExit {
    VmExitReason reason{};
    uint32_t pc = 0;              // the guest instruction that exited (for interrupts: where the guest was)
    const Decoded* instruction = nullptr;
    uint32_t qualification = 0;   // extra detail: a fault address, a hypercall number
};

enum class StopReason : uint8_t {
    Running,        // not stopped
    Halted,         // hlt with interrupts off, or with nothing left that could wake it
    CycleBudget,    // the run's cycle budget ran out
    GuestFault,     // a fault the guest could not take (no handler, fault while entering a handler)
    StopRequested,  // the caller's stop point (a cycle, an instruction, an event) was reached
    Breakpoint,     // the pc reached a breakpoint: its instruction has not executed yet
};
std::string_view stopReasonName(StopReason r);  // "halted", "cycle-budget", "guest-fault", "stopped", "breakpoint"

// What the CPU reports about itself (slow paths only).
enum class CpuEventKind : uint8_t {
    Syscall,          // the syscall gate was entered; vector 8
    Fault,            // an exception was taken; vector, detail = fault address or 0
    Interrupt,        // an interrupt was taken; vector
    TrapReturn,       // iret
    SyscallReturn,    // sysret
    SensitiveSilent,  // a sensitive-unprivileged instruction ran above ring 0 without trapping; detail = opcode
    PortIo,           // detail = port, extra = value
    PageWalk,         // a TLB miss walked the page tables; detail = virtual address, extra = references
    Halt,             // hlt waited for an interrupt; extra = idle cycles
    Count
};

struct CpuEvent {
    CpuEventKind kind{};
    int8_t ringBefore = 0;   // -1 is root mode
    int8_t ringAfter = 0;
    uint8_t vector = 0;
    uint32_t pc = 0;         // the instruction that caused it
    uint32_t detail = 0;
    uint32_t extra = 0;
    uint32_t cost = 0;       // cycles the transition itself cost, when the CPU knows
    uint64_t cycle = 0;
    Receipt receipt;         // what the CPU did and charged for it
};

struct Trap {
    uint8_t vector = 0;
    uint32_t savedPc = 0;    // where execution resumes after the handler (the faulting instruction for faults)
    uint32_t faultPc = 0;    // the instruction that caused it
    uint32_t address = 0;    // fault address (page fault, bus error, alignment), else 0
    CpuEventKind kind = CpuEventKind::Fault;
    bool injected = false;   // a virtual interrupt a monitor injected (hardware assistance)
};

class CpuHooks {
public:
    virtual ~CpuHooks() = default;
    virtual void onEvent(Cpu&, const CpuEvent&) {}
    // A trap is about to be taken through the trap table. Return true if the
    // embedder took it instead (a monitor owns the real trap table).
    virtual bool interceptTrap(Cpu&, const Trap&) { return false; }
    // Port I/O by a privileged-enough instruction may be refused: the CPU then
    // raises general protection instead (a monitor keeps a VM off ports it was not given).
    virtual bool portRefused(Cpu&, uint32_t /*port*/, uint32_t /*pc*/) { return false; }
    // Port I/O by a privileged-enough instruction. The embedder charges the cost.
    virtual uint32_t portIn(Cpu&, uint32_t port) = 0;
    virtual void portOut(Cpu&, uint32_t port, uint32_t value) = 0;
    // `hcall number`. Return false when nothing serves hypercalls (bare hardware):
    // the CPU then raises invalid-opcode.
    virtual bool hypercall(Cpu&, uint32_t /*number*/) { return false; }
    // A store landed on a page marked Watched (after the store happened).
    // `physical` is a guest-physical address (inside the CPU's window).
    virtual void watchedWrite(Cpu&, uint32_t /*physical*/, uint32_t /*length*/) {}
    // An access reached a frame marked Unbacked (before the access happens):
    // the monitor backs it, and clears the mark, or hears of it again.
    // `pc`: the instruction making the access.
    virtual void unbackedFrame(Cpu&, uint32_t /*guestFrame*/, uint32_t /*pc*/) {}
    // Shadow filling on (Cpu::setShadowFilling): a TLB miss of the
    // instruction at `pc` found a valid entry at `pteAddress` (guest-physical)
    // in the guest's tables for `address`. The monitor fills its shadow entry
    // if it lacks one.
    virtual void shadowMiss(Cpu&, uint32_t /*address*/, uint32_t /*pteAddress*/, uint32_t /*pc*/) {}
    // Translated execution (see Cpu::setTranslation): a sensitive instruction
    // was reached. Return true if the embedder emulated it (it sets the pc).
    virtual bool callout(Cpu&, const Decoded&, uint32_t /*pc*/) { return false; }
    // Translated execution: a new basic block starts at pc. `chained` is true
    // when it was reached by a direct jump or fall-through from the previous block.
    virtual void blockEntry(Cpu&, uint32_t /*pc*/, bool /*chained*/) {}
    // A bus error beyond the CPU's physical window is about to be raised (the
    // guest reached past the memory it was given); before it is delivered.
    virtual void outsideWindow(Cpu&, const Trap&) {}
    // Non-root mode: an event the VM controls select happened. The embedder
    // (a monitor in root mode) handles it, then resumes the guest.
    virtual void vmExit(Cpu&, const VmExit&) {}
};

// The architectural state: what a snapshot or a VM's saved context holds.
struct ArchState {
    std::array<uint32_t, isa::kRegisterCount> r{};
    uint32_t pc = 0;
    uint32_t flags = 0;
    uint8_t cpl = 0;
    std::array<uint32_t, isa::kControlRegisterCount> cr{};
    bool rootMode = false;  // ring -1: a monitor is running (only with hardware assistance)
    bool nonRoot = false;   // a guest runs under hardware assistance: selected events exit
    uint32_t& sp() { return r[isa::kStackPointer]; }
    uint32_t sp() const { return r[isa::kStackPointer]; }
    bool interruptsEnabled() const { return flags & isa::flag::InterruptEnable; }
    bool pagingEnabled() const { return cr[size_t(isa::ControlRegister::PageTableBase)] & 1; }
    uint32_t cr_(isa::ControlRegister c) const { return cr[static_cast<size_t>(c)]; }
};

// The control registers: the CPU's own (ArchState::cr), or the copy a monitor
// keeps in a deprivileged guest's virtual CPU.
using ControlRegisters = std::array<uint32_t, isa::kControlRegisterCount>;

// ltt, lptb, lksp and stimer load a control register from ra; rdcr reads one
// into ra. Does that move on `cr` (the CPU's registers or a virtual CPU's) and
// nothing that a load sets off — lptb's new translation, stimer's timer are
// the caller's. False for any other instruction.
bool moveControlRegister(ControlRegisters& cr, const Decoded& d, std::array<uint32_t, isa::kRegisterCount>& r);

// What trap entry pushes and iret / sysret pop, from the stack pointer up:
// the pc to resume at, the FLAGS word with the interrupted ring in it, the
// interrupted stack pointer.
struct TrapFrame {
    uint32_t pc = 0, flags = 0, sp = 0;
    uint8_t ring() const { return (flags >> isa::kSavedRingShift) & 3; }
};

// Everything of the CPU that belongs to the guest running on it: what a
// monitor saves when it moves the physical CPU to another VM and restores
// when it comes back (VT-x keeps the like in a VMCS).
struct CpuContext {
    ArchState state;
    VmControls vmControls = VmControls::defaults();
    uint32_t windowBase = 0, windowLimit = 0, walkRefs = 2;
    int translateRing = -1, calloutRing = -1;
    uint64_t virtualTime = 0;  // the guest's clock when it was saved
    uint64_t nextTick = 0;     // on that clock
    bool timerPending = false;
    uint16_t injected = 0;
    StopReason stopReason = StopReason::Running;
    std::string stopMessage;
};

struct CpuConfig {
    bool strict = false;           // every sensitive instruction traps (a Popek-Goldberg-clean CPU)
    bool hardwareAssist = false;   // root / non-root mode exists (ring -1)
    bool nestedPaging = false;     // two-dimensional page walks are available
    // TLB entries carry the VM's tag (VPID/ASID), so they survive VM exits
    // and entries. Without tags, as on first-generation VT-x, each exit and
    // entry flushes the TLB.
    bool taggedTlb = true;
    // iret above ring 0 returns to the same or a less privileged ring, IF
    // kept as it is: x86's own rule, which 32-bit Xen's ring-1 guest kernels
    // used to return to their programs. Off, iret is privileged, so that
    // trap-and-emulate sees every return a deprivileged kernel makes.
    bool outwardIret = false;
};

struct CpuStats {
    uint64_t instructions = 0;
    uint64_t tlbMisses = 0;
    uint64_t tlbFlushes = 0;
    uint64_t pageWalkRefs = 0;
    uint64_t portAccesses = 0;
};

class Cpu {
public:
    Cpu(PhysicalMemory& memory, const Costs& costs, CpuConfig config = {});

    // --- state -------------------------------------------------------------
    ArchState state;
    CycleAccount account;
    CpuConfig config;
    const Costs& costs() const { return costs_; }
    PhysicalMemory& memory() { return memory_; }
    const PhysicalMemory& memory() const { return memory_; }
    void setHooks(CpuHooks* hooks) { hooks_ = hooks; }
    // A device wrote memory by DMA at a guest-physical address (inside the window):
    // watched pages hear of it as of a CPU store, so translations and shadows stay true.
    void deviceWrote(uint32_t physical, uint32_t length);
    // The ring as drawn: -1 in root mode, else the CPL.
    int ring() const { return state.rootMode ? -1 : state.cpl; }

    // Puts the CPU in its reset state: ring 0, paging off, interrupts off, pc = entry.
    void reset(uint32_t entry);

    // The window of physical memory this CPU's "physical" addresses map to
    // (the whole memory natively; a VM's partition under a monitor).
    void setPhysicalWindow(uint32_t base, uint32_t limit);
    uint32_t windowBase() const { return windowBase_; }
    uint32_t windowLimit() const { return windowLimit_; }
    // Memory references of one page walk (2 levels natively; more when nested).
    void setWalkReferences(uint32_t refs) { walkRefs_ = refs; }
    // Full emulation: this CPU is a program (QEMU's), so a TLB refill is a
    // software walk and a trap leaves the translated code for a helper that
    // delivers it; both cost the emulator's work on top of the guest's.
    void setSoftwareMachine(bool on) { softwareMachine_ = on; }
    // A monitor keeps shadow page tables that it fills on first use: every
    // TLB miss that walks a valid guest entry is told to it (CpuHooks::shadowMiss).
    void setShadowFilling(bool on) { shadowFilling_ = on; }
    bool softwareMachine() const { return softwareMachine_; }

    // Which events exit from non-root mode (hardware assistance).
    VmControls vmControls = VmControls::defaults();
    // Translated execution: while the CPU is at `ring` (or at any ring when
    // `ring` is kAllRings) every basic block is announced to the hooks, and
    // sensitive instructions at `calloutRing` go to hooks->callout instead of
    // executing or trapping. -1 turns either off.
    static constexpr int kAllRings = 4;
    void setTranslation(int ring, int calloutRing);
    bool translationActive() const {
        return translateRing_ == kAllRings || (translateRing_ >= 0 && translateRing_ == state.cpl);
    }

    // Saves the running guest's context, or puts a saved one on the CPU. A
    // restore flushes the TLB (it has no tags telling guests apart).
    CpuContext saveContext() const;
    void restoreContext(const CpuContext& context);

    // --- running -----------------------------------------------------------
    // Runs until a stop: the cycle budget (absolute cycle), `stopAt` (absolute
    // cycle), halt, or an unrecoverable guest fault.
    StopReason run(uint64_t budgetEnd, uint64_t stopAt = UINT64_MAX);
    // Executes exactly one instruction (or takes one pending interrupt).
    StopReason step(uint64_t budgetEnd);
    // Asks a running loop to stop after the current instruction (from a hook).
    void requestStop() { stopRequested_ = true; deadline_ = 0; }
    StopReason stopReason() const { return stopReason_; }
    const std::string& stopMessage() const { return stopMessage_; }
    // Stops the machine for good with a guest fault (used by embedders too).
    void failGuest(std::string message);

    // --- breakpoints (for debuggers) ---------------------------------------
    // A run (not step()) stops before executing the instruction at any of these
    // virtual pcs, with StopReason::Breakpoint; nothing is charged or recorded
    // for the stop. The next run executes that instruction (steps over it once).
    // With none set the run loops do not look for them at all.
    void setBreakpoints(std::vector<uint32_t> pcs);
    const std::vector<uint32_t>& breakpoints() const { return breakpoints_; }
    // The next run executes the instruction at the pc even if it is a
    // breakpoint (as after a stop there): for stepping onto and over one.
    void stepOverBreakpoint() { skipBreakpointAt_ = state.pc; }

    // --- traps and time ----------------------------------------------------
    // Takes a trap: offered to the hooks, else delivered through the trap table.
    void raise(const Trap& trap);
    // Delivers through the CPU's own trap table, switching to ring 0.
    void deliverThroughTable(const Trap& trap);
    // Enters a handler: pushes the frame (sp, flags with ring, pc) on the
    // target stack and jumps. Returns false if the push faulted.
    bool enterHandler(uint8_t targetRing, uint32_t handler, uint32_t stack, uint32_t savedPc, uint32_t savedFlags);
    // Pops a trap frame (iret / sysret semantics). Returns false on a bad frame.
    bool returnFromTrap();
    // The two halves of a return, for a monitor that emulates one on a virtual
    // CPU. Reads the trap frame at the stack pointer as the running ring sees
    // memory; false if a read faulted (that fault, at faultPc, is raised).
    bool readTrapFrame(TrapFrame& frame, uint32_t faultPc);
    // Resumes where the frame says, in `ring`, with FLAGS `flags` (which of the
    // saved FLAGS a return restores is the caller's to say).
    void resumeFrom(const TrapFrame& frame, uint8_t ring, uint32_t flags);
    // Virtual time: the clock the timer counts (ring-3 cycles plus idle cycles),
    // so preemption lands at the same user instruction in every mode.
    // With several guests it is the running guest's own clock: time that
    // passed while others ran does not count.
    uint64_t virtualTime() const {
        return account.total(CycleCategory::GuestUser) + account.total(CycleCategory::Idle) - virtualTimeOffset_;
    }
    void setTimerPeriod(uint32_t period);
    bool timerPending() const { return timerPending_; }
    // For a monitor about to deliver a tick it kept pending for its guest: a
    // tick that has come due meanwhile merges with it, as a second tick
    // merges with a pending one on the CPU (missed ticks coalesce).
    void mergeDueTick();
    // Hardware assistance: a monitor injects an interrupt into the guest; it is
    // delivered through the guest's trap table as soon as the guest's IF allows.
    void injectInterrupt(uint8_t vector);
    // Recomputes when the run loop must next look up from the instructions.
    void recomputeDeadline();
    // Called when CPL, paging or the window changed (drops cached translations).
    void privilegeOrMappingChanged();

    // --- memory as the running code sees it --------------------------------
    // Virtual accesses at the given ring; on failure they raise the fault and return false.
    bool readVirtual32(uint32_t address, uint32_t& value, uint32_t faultPc);
    bool writeVirtual32(uint32_t address, uint32_t value, uint32_t faultPc);
    // Translates without side effects (for debuggers and monitors); false if unmapped.
    // `physical` is a host-physical address (window base included).
    bool peekTranslate(uint32_t address, uint32_t& physical) const;
    // Reads bytes from a virtual address through the current translation, or
    // from a guest-physical address inside the window, without side effects
    // (no TLB fill, no cycles, no events): for debuggers. Returns how many
    // bytes were read before the first unmapped one.
    size_t peekVirtual(uint32_t address, std::span<uint8_t> out) const;
    size_t peekGuestPhysical(uint32_t address, std::span<uint8_t> out) const;
    // Decodes the instruction at a virtual pc as the CPU would, without side
    // effects. False if it is not mapped; an invalid encoding gives op Invalid.
    bool fetchInstruction(uint32_t pc, Decoded& out) const;
    // Guest-physical word access inside the window; false if outside or misaligned.
    bool readPhysical32(uint32_t address, uint32_t& value) { return readGuestPhysical32(address, value); }
    bool writePhysical32(uint32_t address, uint32_t value);
    // Ends the run as a clean power-off (stop reason "halted").
    void powerOff(std::string message);
    // What hlt does with interrupts enabled: idle until the next timer tick
    // (or stop if nothing can wake the CPU). The pc must already be past the hlt.
    void waitForInterrupt(uint32_t hltPc);
    void flushTlb();
    void flushTlbEntry(uint32_t address);
    // Drops every cached translation the current tables made through the
    // page-table entry at guest-physical `entry` (a directory entry or a
    // table's): what changing that one entry can make stale, and no more.
    void flushTlbEntriesThrough(uint32_t entry);
    // What lptb does to the CPU: the page-table base register is `value` and
    // the MMU walks those tables from now on (the TLB is flushed).
    void loadPageTableBase(uint32_t value);
    // A page's Watched flag was set: cached translations must stop writing to
    // it directly. Not architectural (no TLB entry is dropped, nothing is charged).
    void pageWatchChanged(uint32_t frame) { dropFastWrite(frame); }

    // Completes an instruction the embedder emulated (after a callout or a VM
    // exit): charges its base cycles, counts it, and moves the pc on.
    void retireInstruction(const Decoded& d, uint32_t nextPc);

    // Charges cycles to a category (monitors, devices).
    void charge(CycleCategory c, uint64_t n) { account.charge(c, n); }
    void emit(CpuEventKind kind, int8_t ringBefore, int8_t ringAfter, uint8_t vector, uint32_t pc, const Receipt& receipt,
              uint32_t detail = 0, uint32_t extra = 0, uint32_t cost = 0);

    const CpuStats& stats() const { return stats_; }

private:
    // The receipts of what the CPU itself handles (cpu_receipts.cpp).
    Receipt returnReceipt(int8_t ringBefore, uint32_t Costs::*cost) const;
    Receipt directDeviceReceipt() const;
    Receipt silentReceipt(uint8_t opcode) const;
    Receipt walkReceipt() const;

    struct TlbEntry {
        uint32_t tag = kNoTag;  // virtual page number, or kNoTag
        uint32_t perm = 0;
        uint8_t* host = nullptr;
        uint32_t frame = 0;     // host physical frame
    };
    static constexpr uint32_t kNoTag = 0xFFFFFFFFu;
    static constexpr uint32_t kTlbSize = 64;
    static constexpr uint32_t kPermUser = 1, kPermWrite = 2, kPermFastWrite = 4;
    enum class Access : uint8_t { Read, Write, Fetch };

    template <bool SingleStep, bool Translated, bool Breakpoints>
    StopReason loop(uint64_t budgetEnd, uint64_t stopAt);
    bool stopsAtBreakpoint(uint32_t pc);
    StopReason dispatch(uint64_t budgetEnd, uint64_t stopAt, bool singleStep);
    bool exitIfSelected(VmExitReason reason, uint32_t pc, const Decoded* d, uint32_t qualification = 0);
    bool handleDeadline();
    bool refillFetch(uint32_t pc);
    Decoded* decodeAt(uint32_t pc, Decoded* slot);
    bool fetchSpanning(uint32_t pc, Decoded& out);

    // MMU
    TlbEntry* translate(uint32_t address, Access access, uint32_t faultPc);
    bool loadSlow(uint32_t address, uint32_t size, uint32_t& value, uint32_t faultPc);
    bool storeSlow(uint32_t address, uint32_t size, uint32_t value, uint32_t faultPc);
    bool readGuestPhysical32(uint32_t address, uint32_t& value);
    void raiseFault(isa::Vector v, uint32_t faultPc, uint32_t address = 0);
    void raisePageFault(uint32_t address, uint32_t cause, uint32_t faultPc);
    void updateAccessMasks();
    void dropFastWrite(uint32_t frame);

    // instructions with more than a line of behaviour
    bool calloutTaken(const Decoded& d, uint32_t pc);
    bool interruptExits() const { return state.nonRoot && vmControls.exits(VmExitReason::ExternalInterrupt); }
    void executePrivileged(const Decoded& d, uint32_t pc);
    // iret: at ring 0, or above it when config.outwardIret allows.
    void executeIret(const Decoded& d, uint32_t pc);
    void executeSensitive(const Decoded& d, uint32_t pc);
    void executeTrapping(const Decoded& d, uint32_t pc);
    void executeHlt(const Decoded& d, uint32_t pc);
    void takeInterruptIfPending();
    void updateTimer();

    PhysicalMemory& memory_;
    const Costs& costs_;
    CpuHooks* hooks_ = nullptr;
    CpuStats stats_;

    std::array<TlbEntry, kTlbSize> tlb_{};
    uint32_t loadNeed_ = 0, storeNeed_ = kPermFastWrite;
    uint32_t windowBase_ = 0, windowLimit_ = 0;
    uint32_t walkRefs_ = 2;
    bool softwareMachine_ = false;
    bool shadowFilling_ = false;

    // fetch cache: the decoded page of the current code page
    uint32_t fetchBase_ = kNoTag;
    DecodedPage* fetchPage_ = nullptr;
    uint32_t fetchFrame_ = 0;

    // time
    uint64_t deadline_ = 0;
    uint64_t budgetEnd_ = 0;
    uint64_t stopAt_ = UINT64_MAX;
    uint64_t nextTick_ = 0;  // virtual time of the next timer interrupt
    uint64_t virtualTimeOffset_ = 0;  // ring-3 and idle cycles of other guests
    bool timerPending_ = false;
    uint16_t injected_ = 0;  // vector + 1 of an injected interrupt, 0 if none
    bool stopRequested_ = false;
    bool inDelivery_ = false;  // a fault while entering a handler is fatal
    int translateRing_ = -1;
    int calloutRing_ = -1;
    bool restyle_ = false;     // translation turned on or off: the loop must be re-chosen
    bool runningTranslated_ = false;
    uint32_t blockExpectedPc_ = ~0u;  // translated execution: where the current block goes on
    bool blockLastDirect_ = false;
    StopReason stopReason_ = StopReason::Running;
    std::string stopMessage_;

    std::vector<uint32_t> breakpoints_;  // sorted, no duplicates
    uint64_t breakpointFilter_ = 0;      // bit (pc >> 2) & 63 of every breakpoint: most pcs are ruled out at once
    uint32_t skipBreakpointAt_ = ~0u;    // the breakpoint the next look executes instead of stopping at
};

}  // namespace ringsim
