// DMA from the block device lands in memory behind the CPU's back: a monitor
// that translated code there must hear of it as of a store, or it would go on
// running the old translation of code that is no longer there.
#include <catch2/catch.hpp>
#include <string>

#include "cpu-model/assembler.h"
#include "run/run.h"

using namespace ringsim;

namespace {

// A kernel alone: it runs `patch` (prints A), saves `newcode` to sector 0,
// reads sector 0 back by DMA over `patch`, and runs `patch` again (prints B).
const char* kSelfPatchingKernel = R"(
        .org    0
_start: li      r9, stack_top
        mov     sp, r9
        call    patch
        li      r1, 0
        out     0x30, r1            ; sector 0
        li      r1, newcode
        out     0x31, r1
        li      r1, 2
        out     0x32, r1            ; memory -> disk
        li      r1, patch
        out     0x31, r1
        li      r1, 1
        out     0x32, r1            ; disk -> memory, over the translated block
        call    patch
        cli
        hlt
        .align  4
newcode:
        li      r1, 'B'
        out     0x10, r1
        ret
        .space  512
patch:
        li      r1, 'A'
        out     0x10, r1
        ret
        .space  512
        .space  1024
stack_top:
)";

GuestImages selfPatchingGuest() {
    auto result = assembler::assembleText(kSelfPatchingKernel, "self_patching.s");
    REQUIRE(result.ok());
    GuestImages guest;
    guest.kernel = std::move(*result.program);
    return guest;
}

}  // namespace

TEST_CASE("DMA over translated code invalidates the translation, and the new code runs", "[dma][translation]") {
    const GuestImages guest = selfPatchingGuest();
    RunOptions native;
    native.mode = Mode::Native;
    const RunResult reference = runGuest(guest, native);
    REQUIRE(reference.succeeded());
    CHECK(reference.console == "AB");
    for (Mode mode : {Mode::BinaryTranslation, Mode::Emulation}) {
        INFO(modeName(mode));
        RunOptions options;
        options.mode = mode;
        const RunResult r = runGuest(guest, options);
        REQUIRE(r.succeeded());
        CHECK(r.console == "AB");
        CHECK(r.events[size_t(EventKind::TranslationInvalidate)] >= 1);
        CHECK(r.monitor.invalidations >= 1);
    }
}
