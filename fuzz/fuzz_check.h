// What every fuzz target here shares: the way a finding is reported. A
// finding is a property the target asserts (a round trip, isolation, a
// budget) that does not hold; it prints what failed and aborts, so
// libFuzzer saves the input as a crash, like a sanitizer report.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace ringsim::fuzz {

[[noreturn]] inline void finding(const char* what, const char* detail = "") {
    std::fprintf(stderr, "\nFINDING: %s%s%s\n", what, *detail ? ": " : "", detail);
    std::fflush(stderr);
    std::abort();
}

inline void check(bool ok, const char* what, const char* detail = "") {
    if (!ok) finding(what, detail);
}

}  // namespace ringsim::fuzz
