// Random guests for the equivalence property (DESIGN.md §4): programs that
// are correct on bare hardware, written as assembly text so that a failure
// can be shown, shrunk and rerun by hand. Every guest is a pure function of
// its seed (its own PRNG: no <random> distributions, whose output differs
// between standard libraries).
//
// Two families:
//  - bare metal: the guest is one kernel image with no programs. It moves
//    through groups of instructions, each in one ring (0..3, rings 1 and 2
//    entered by iret like ring 3), mixing every instruction class, traps
//    with handlers, the timer, port I/O, paging changes, self-modifying
//    stores and DMA into code. Handlers and the groups log what they saw in
//    memory; at the end ring 0 prints the log on the console.
//  - user programs: 1-3 programs on the bundled kernel
//    (scenarios/guests/kernel.s) using every system call.
//
// A guest is a list of parts (the kernel, or the programs), each a list of
// chunks. The minimiser drops chunks (whole groups first, then items) while
// a divergence persists; a dropped chunk leaves a valid program.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ringsim::test {

// splitmix64: tiny, fully specified, the same on every platform.
class SplitMix {
public:
    explicit SplitMix(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint32_t below(uint32_t n) { return uint32_t(next() % n); }  // n > 0
    uint32_t range(uint32_t lo, uint32_t hi) { return lo + below(hi - lo + 1); }
    bool chance(uint32_t percent) { return below(100) < percent; }
    uint32_t word() { return uint32_t(next() >> 16); }

private:
    uint64_t state_;
};

struct Chunk {
    std::string text;
    int group = -1;          // chunks of one group go together; -1: not in a group
    bool removable = true;   // the frame of a program (prelude, handlers, data) stays
};

enum class GuestFamily { BareMetal, UserPrograms };

struct RandomGuest {
    GuestFamily family = GuestFamily::BareMetal;
    uint64_t seed = 0;
    // Bare metal: parts[0] is the kernel. User programs: one part per program.
    std::vector<std::vector<Chunk>> parts;
    uint32_t timerPeriod = 0;  // user programs: the kernel's TIMER_PERIOD
    // The program calls `clock`, which returns the real cycle counter: it
    // differs between modes by design (docs/guests.md §6). Such a guest never
    // prints it, but the value may stay in the kernel's memory or registers,
    // so only its console and stop are compared.
    bool readsClock = false;
    // A program reads the kernel log, whose first line the paravirtual
    // kernel words differently (it says ring 1): what it prints of the log
    // differs, and with it the time its ring-3 code takes, so under
    // paravirt such a guest is compared by its stop only.
    bool readsKernelLog = false;

    // The source of part `i`; `keep` (one flag per chunk of every part, in
    // order) leaves chunks out; empty keeps everything.
    std::string source(size_t i, const std::vector<bool>& keep = {}) const;
    size_t chunkCount() const;
    // Every part's source, each headed by its name: for failure reports.
    std::string listing(const std::vector<bool>& keep = {}) const;
};

RandomGuest generateBareMetal(uint64_t seed);
RandomGuest generateUserPrograms(uint64_t seed);

}  // namespace ringsim::test
