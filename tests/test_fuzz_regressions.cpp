// Inputs the fuzz targets in fuzz/ found, each turned into a check that the
// fix holds (the input itself is in fuzz/corpus/<target>/ too).
#include <catch2/catch.hpp>

#include <string>

#include "cpu-model/assembler.h"

using namespace ringsim;

// assembler_fuzz: a macro whose argument holds another invocation of itself
// doubles its line at every level of nesting, so 64 levels never finished
// (timeout-macro-doubling.s). The text expansions produce is now bounded.
TEST_CASE("a macro that doubles its line at every level is stopped with an error", "[fuzz][asm]") {
    const std::string source =
        "        .macro  REC n\n"
        "        REC \\n REC \\n\n"
        "        .endm\n"
        "        REC x\n"
        "        nop\n";
    const auto result = assembler::assembleText(source, "doubling.s");
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.errorText(), Catch::Contains("macro expansions too large (more than 4 MiB of text) in 'REC'"));
}

TEST_CASE("macro expansion below the text limit still works", "[fuzz][asm]") {
    // 4 levels of 8 invocations: 4096 lines of `nop`, far below the limit.
    const std::string source =
        "        .macro  A\n        nop\n        nop\n        nop\n        nop\n        nop\n        nop\n        nop\n"
        "        nop\n        .endm\n"
        "        .macro  B\n        A\n        A\n        A\n        A\n        A\n        A\n        A\n        A\n"
        "        .endm\n"
        "        .macro  C\n        B\n        B\n        B\n        B\n        B\n        B\n        B\n        B\n"
        "        .endm\n"
        "        .macro  D\n        C\n        C\n        C\n        C\n        C\n        C\n        C\n        C\n"
        "        .endm\n"
        "        D\n";
    const auto result = assembler::assembleText(source, "many.s");
    INFO(result.errorText());
    REQUIRE(result.ok());
    CHECK(result.program->image.size() == 4096 * 4);
}
