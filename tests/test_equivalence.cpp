// The equivalence property on random guests (DESIGN.md §4): every correct
// mode shows a guest that is correct natively exactly what native shows it —
// console, stop, stop pc, registers, memory. tests/random_guest.h makes the
// guests, tests/equivalence_check.h runs and compares them and states the
// rules that exclude what real monitors of the kind also show differently.
//
// The seeds are split over several test cases so that CTest runs them in
// parallel; case k of a family takes seeds first + k*N .. first + (k+1)*N - 1.
//   RINGSIM_SEEDS=N        seeds per test case (defaults below)
//   RINGSIM_SEED_START=S   the first seed (default 1)
// A failure prints the seed, the mode, what differed and the program shrunk
// to what still diverges.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "sanitized.h"
#include "cpu-model/isa.h"
#include "equivalence_check.h"

using namespace ringsim::test;

namespace {

void runCase(GuestFamily family, uint64_t index, uint64_t defaultSeeds) {
    const uint64_t n = seedsPerCase(defaultSeeds);
    const uint64_t first = firstSeed() + index * n;
    const std::string report = runSeeds(family, first, n);
    if (!report.empty()) std::cerr << report;  // unwrapped, so the program can be copied and rerun
    INFO(report);
    CHECK(report.empty());
}

using ringsim::testing::kSanitized;
// Under ASan+UBSan the simulator runs several times slower: fewer seeds keep the run short.
constexpr uint64_t kBareMetalSeeds = kSanitized ? 300 : 1500;
constexpr uint64_t kUserSeeds = kSanitized ? 60 : 400;

}  // namespace

TEST_CASE("equivalence: bare-metal guests part 1", "[equivalence][bare-metal]") { runCase(GuestFamily::BareMetal, 0, kBareMetalSeeds); }
TEST_CASE("equivalence: bare-metal guests part 2", "[equivalence][bare-metal]") { runCase(GuestFamily::BareMetal, 1, kBareMetalSeeds); }
TEST_CASE("equivalence: bare-metal guests part 3", "[equivalence][bare-metal]") { runCase(GuestFamily::BareMetal, 2, kBareMetalSeeds); }
TEST_CASE("equivalence: bare-metal guests part 4", "[equivalence][bare-metal]") { runCase(GuestFamily::BareMetal, 3, kBareMetalSeeds); }
TEST_CASE("equivalence: user programs on the kernel part 1", "[equivalence][user-programs]") { runCase(GuestFamily::UserPrograms, 0, kUserSeeds); }
TEST_CASE("equivalence: user programs on the kernel part 2", "[equivalence][user-programs]") { runCase(GuestFamily::UserPrograms, 1, kUserSeeds); }

TEST_CASE("random bare-metal guests use every instruction of the table", "[equivalence]") {
    std::set<std::string> words;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        std::istringstream text(generateBareMetal(seed).listing());
        for (std::string w; text >> w;) words.insert(w);
    }
    for (const auto& info : ringsim::isa::instructionTable()) {
        INFO(info.mnemonic);
        CHECK(words.count(std::string(info.mnemonic)) == 1);
    }
}

// Not run by default: prints the guest of RINGSIM_SEED_START (bare metal, or
// user programs with RINGSIM_FAMILY=user) and where each mode diverges, if anywhere.
TEST_CASE("equivalence: print one guest", "[.][equivalence-print]") {
    const char* family = std::getenv("RINGSIM_FAMILY");
    const bool user = family && std::string(family) == "user";
    const uint64_t seed = firstSeed();
    const RandomGuest guest = user ? generateUserPrograms(seed) : generateBareMetal(seed);
    const std::string preset = presetForSeed(seed);
    WARN(guest.listing());
    WARN("natively: " << nativeOutcome(guest, preset));
    for (const auto& mode : equivalenceModes(guest.family, preset)) {
        auto d = checkGuest(guest, {mode}, preset);
        WARN(mode.label << ": " << (d ? d->aspect + ": " + d->detail : std::string("same as native")));
    }
}
