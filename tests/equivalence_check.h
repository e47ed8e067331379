// The equivalence property on one random guest (DESIGN.md §4): run it
// natively and in every correct mode, and compare what the guest sees —
// console output, stop reason, stop pc, final registers, a digest of its
// memory. On a divergence, shrink the guest (drop chunks while the same
// divergence persists) so a failure shows a short program.
//
// Rules the comparison states (each is true of real monitors of the kind):
//  - trap-and-emulate runs only on a strict CPU (--strict: every sensitive
//    instruction is privileged) and is compared with native on that same
//    strict CPU: Popek and Goldberg's VMM is equivalent to the machine it
//    runs on. On an ordinary CPU it differs by design (tests/test_monitors.cpp).
//  - the paravirtual mode runs the paravirtual kernel build: only its console
//    and stop are compared with native's (a different kernel has other memory
//    and registers). Its first line says ring 1 (consoleExpectedIn); a guest
//    that reads the kernel log, which starts with that line, is compared by
//    its stop only (RandomGuest::readsKernelLog).
//  - a container's console is its own stream, native's without the kernel's
//    lines; its final registers and memory are the host kernel's, with its
//    namespace bookkeeping: only the console and stop are compared. Its
//    kernel log names a container's processes by both pids, so the user
//    programs read only the log's first lines (the same in every mode).
//  - a guest that reads the clock (the real cycle counter) is compared by
//    console and stop only (RandomGuest::readsClock).
//  - the Red Pill (stt and pushf in rings 2 and 3 under binary translation)
//    is kept out by the generator (random_guest.cpp).
//  - the generator reads the clock ports only to throw the value away, and
//    uses only ports every VM is given: under a monitor an unassigned port
//    is an isolation violation (a general-protection fault in the guest)
//    where bare hardware reads all ones — isolation, by design
//    (tests/test_isolation_property.cpp). The console's stream and the
//    container port are left to the container tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "machine/guest.h"
#include "random_guest.h"

namespace ringsim::test {

struct EquivalenceMode {
    std::string label;   // e.g. "hw-assist/shadow"
    std::string mode;
    std::string paging = "auto";
    bool strict = false;
};

// The correct modes a guest of this family is checked in (on this preset).
std::vector<EquivalenceMode> equivalenceModes(GuestFamily family, const std::string& preset);

struct Divergence {
    std::string mode;   // the label of the mode that differed
    std::string aspect; // console, stop, pc, registers, memory, or "does not assemble"
    std::string detail; // native's against the mode's
};

// The preset a seed runs on: every fourth seed the 2006 CPU (no nested paging), else modern.
std::string presetForSeed(uint64_t seed);

// The first divergence of the guest (with chunks left out per `keep`) in
// `modes`, or none. Assembly errors in the generated source are reported as
// a divergence of mode "assembler".
std::optional<Divergence> checkGuest(const RandomGuest& guest, const std::vector<EquivalenceMode>& modes,
                                     const std::string& preset, const std::vector<bool>& keep = {});

// How the guest ends natively, and its console: for looking at guests.
std::string nativeOutcome(const RandomGuest& guest, const std::string& preset);

// The smallest `keep` found (delta debugging over groups, then single
// chunks) for which `mode` still diverges in the same aspect.
std::vector<bool> minimise(const RandomGuest& guest, const EquivalenceMode& mode, const std::string& preset,
                           const Divergence& divergence);

// Seeds from the environment: RINGSIM_SEEDS (per test case) and
// RINGSIM_SEED_START (the first seed of the first case).
uint64_t seedsPerCase(uint64_t fallback);
uint64_t firstSeed();

// Runs `count` seeds of a family from `first`; returns a report of every
// divergence (seed, mode, what differed, the minimised program), or "".
std::string runSeeds(GuestFamily family, uint64_t first, uint64_t count);

}  // namespace ringsim::test
