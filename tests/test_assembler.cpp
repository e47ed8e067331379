// The assembler: encodings of every format, labels, expressions, every
// directive, .include, macros, conditional assembly, error messages with
// exact positions, limits, and a token-soup fuzz.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <initializer_list>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cpu-model/assembler.h"
#include "cpu-model/isa.h"

using namespace ringsim;
using namespace ringsim::assembler;

namespace {

std::vector<uint8_t> le(std::initializer_list<uint32_t> words) {
    std::vector<uint8_t> out;
    for (uint32_t w : words)
        for (int i = 0; i < 4; ++i) out.push_back(uint8_t(w >> (8 * i)));
    return out;
}

Program program(const std::string& source, const Options& options = {}) {
    auto result = assembleText(source, "t.s", options);
    INFO(result.errorText());
    REQUIRE(result.ok());
    return *result.program;
}

std::vector<uint8_t> bytes(const std::string& source, const Options& options = {}) {
    return program(source, options).image;
}

std::vector<std::string> errors(const std::string& source, const Options& options = {}) {
    auto result = assembleText(source, "t.s", options);
    CHECK_FALSE(result.ok());
    std::vector<std::string> out;
    for (const auto& d : result.errors) out.push_back(d.str());
    return out;
}

std::string firstError(const std::string& source, const Options& options = {}) {
    auto all = errors(source, options);
    REQUIRE_FALSE(all.empty());
    return all.front();
}

// Options whose readFile serves these texts and nothing else.
Options withFiles(std::map<std::string, std::string> files) {
    Options options;
    options.readFile = [files = std::move(files)](const std::string& path) -> std::optional<std::string> {
        auto it = files.find(path);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    return options;
}

uint32_t word(const std::vector<uint8_t>& image, size_t offset) {
    return uint32_t(image.at(offset)) | uint32_t(image.at(offset + 1)) << 8 | uint32_t(image.at(offset + 2)) << 16 |
           uint32_t(image.at(offset + 3)) << 24;
}

}  // namespace

// ---- encodings ---------------------------------------------------------------

TEST_CASE("every format assembles to the documented encoding", "[asm][encoding]") {
    CHECK(bytes("nop") == le({0x00000000}));
    CHECK(bytes("ret") == le({0x24000000}));
    CHECK(bytes("push r1") == le({0x1C100000}));
    CHECK(bytes("jmpr sp") == le({0x21F00000}));
    CHECK(bytes("mov r1, r2") == le({0x01120000}));
    CHECK(bytes("cmp r14, r0") == le({0x15E00000}));
    CHECK(bytes("add r1, r2, r3") == le({0x03123000}));
    CHECK(bytes("sub r15, r10, r5") == le({0x04FA5000}));
    CHECK(bytes("li r1, 42") == le({0x02100000, 42}));
    CHECK(bytes("cmpi r3, -1") == le({0x16300000, 0xFFFFFFFF}));
    CHECK(bytes("addi r1, r2, -4") == le({0x0E120000, 0xFFFFFFFC}));
    CHECK(bytes("shli r7, r8, 12") == le({0x12780000, 12}));
    CHECK(bytes("jmp 0x1000") == le({0x20000000, 0x1000}));
    CHECK(bytes("hcall 3") == le({0x58000000, 3}));
    CHECK(bytes("ld r1, [r2 + 8]") == le({0x18120000, 8}));
    CHECK(bytes("ld r1, [sp]") == le({0x181F0000, 0}));
    CHECK(bytes("ldb r4, [r5 - 4]") == le({0x1A450000, 0xFFFFFFFC}));
    CHECK(bytes("st [r2 + 8], r1") == le({0x19120000, 8}));  // data register in a, base in b, as for ld
    CHECK(bytes("stb [sp - 1], r9") == le({0x1B9F0000, 0xFFFFFFFF}));
    CHECK(bytes("in r1, 0x10") == le({0x43100000, 0x10}));
    CHECK(bytes("out 0x10, r1") == le({0x44100000, 0x10}));
    CHECK(bytes("rdcr r1, fault") == le({0x4B130000}));
    CHECK(bytes("rdcr r2, ttb") == le({0x4B200000}));
    CHECK(bytes("rdcr r2, timer") == le({0x4B250000}));
}

TEST_CASE("mnemonics, registers and control registers are case-insensitive", "[asm][encoding]") {
    CHECK(bytes("ADD R1, r2, SP") == bytes("add r1, r2, r15"));
    CHECK(bytes("Rdcr r1, FAULT") == bytes("rdcr r1, fault"));
    CHECK(bytes("LD r1, [SP + 4]") == bytes("ld r1, [r15 + 4]"));
}

TEST_CASE("every instruction in the table assembles with its format's operands", "[asm][encoding]") {
    for (const auto& info : isa::instructionTable()) {
        std::string operands;
        switch (info.format) {
        case isa::Format::None: break;
        case isa::Format::R: operands = "r3"; break;
        case isa::Format::RR: operands = "r3, r4"; break;
        case isa::Format::RRR: operands = "r3, r4, r5"; break;
        case isa::Format::RI: operands = "r3, 77"; break;
        case isa::Format::RRI: operands = "r3, r4, 77"; break;
        case isa::Format::Target: operands = "77"; break;
        case isa::Format::Imm: operands = "77"; break;
        case isa::Format::Load: operands = "r3, [r4 + 77]"; break;
        case isa::Format::Store: operands = "[r4 + 77], r3"; break;
        case isa::Format::PortIn: operands = "r3, 77"; break;
        case isa::Format::PortOut: operands = "77, r3"; break;
        case isa::Format::Cr: operands = "r3, cause"; break;
        }
        const std::string line = fmt::format("{} {}", info.mnemonic, operands);
        INFO(line);
        const auto image = bytes(line);
        REQUIRE(image.size() == isa::lengthOf(info.format));
        const uint32_t first = word(image, 0);
        CHECK((first >> 24) == uint32_t(info.opcode));
        CHECK((first & 0xFFF) == 0);
        const int used = isa::registerFieldsUsed(info.format);
        CHECK(((first >> 20) & 15) == (used >= 1 ? 3u : 0u));
        if (info.format == isa::Format::Cr) CHECK(((first >> 16) & 15) == uint32_t(isa::ControlRegister::FaultCause));
        else CHECK(((first >> 16) & 15) == (used >= 2 ? 4u : 0u));
        CHECK(((first >> 12) & 15) == (used >= 3 ? 5u : 0u));
        if (isa::hasImmediateWord(info.format)) CHECK(word(image, 4) == 77);
    }
}

// ---- labels and expressions ---------------------------------------------------

TEST_CASE("labels work forwards and backwards", "[asm][labels]") {
    const auto p = program(R"(
start:  jmp     ahead          ; forward
back:   nop
ahead:  jmp     back           ; backward
        call    start
twice: again:   beq again
)");
    CHECK(p.labels.at("start") == 0);
    CHECK(p.labels.at("back") == 8);
    CHECK(p.labels.at("ahead") == 12);
    CHECK(p.labels.at("twice") == 28);
    CHECK(p.labels.at("again") == 28);
    CHECK(p.image == le({0x20000000, 12, 0x00000000, 0x20000000, 8, 0x22000000, 0, 0x25000000, 28}));
}

TEST_CASE("labels are case-sensitive and may start with a dot or contain $", "[asm][labels]") {
    const auto p = program("Loop: nop\nloop: nop\n.Lx: nop\n.x$1: nop\n_a.b: jmp .x$1\n");
    CHECK(p.labels.at("Loop") == 0);
    CHECK(p.labels.at("loop") == 4);
    CHECK(p.labels.at(".Lx") == 8);
    CHECK(p.labels.at(".x$1") == 12);
    CHECK(word(p.image, 20) == 12);
}

TEST_CASE("expressions follow C precedence with 64-bit arithmetic", "[asm][expr]") {
    const std::vector<std::pair<std::string, int64_t>> cases = {
        {"1 + 2 * 3", 7},
        {"(1 + 2) * 3", 9},
        {"10 - 4 - 3", 3},
        {"100 / 10 / 5", 2},
        {"-7 / 2", -3},
        {"-7 % 3", -1},
        {"1 << 4 + 1", 32},
        {"0x100 >> 4", 16},
        {"-16 >> 2", -4},
        {"6 & 3 | 8", 10},
        {"6 ^ 3", 5},
        {"1 | 2 ^ 3 & 4", 3},
        {"~0", -1},
        {"!0 + !5", 1},
        {"- -3", 3},
        {"+5", 5},
        {"3 < 4", 1},
        {"4 <= 3", 0},
        {"5 > 4 == 1", 1},
        {"2 >= 2", 1},
        {"2 != 3", 1},
        {"1 == 2 || 3 == 3", 1},
        {"1 && 0", 0},
        {"0 || 0", 0},
        {"0 && (1 / 0)", 0},  // the right side is not evaluated
        {"1 || (1 / 0)", 1},
        {"0b1011", 11},
        {"0XfF", 255},
        {"'a'", 97},
        {"'\\n' + '\\t' + '\\0' + '\\\\' + '\\''", 10 + 9 + 0 + 92 + 39},
        {"'#'", 35},  // not a comment inside a character literal
        {"0x7fffffff + 1", 0x80000000LL},
        {"(1 << 40) >> 38", 4},  // wider than 32 bits in between
        {"0x7fffffffffffffff + 1 < 0", 1},  // wraps, no undefined behaviour
    };
    for (const auto& [text, value] : cases) {
        INFO(text);
        const auto p = program(".equ X, " + text);
        CHECK(p.constants.at("X") == value);
    }
}

TEST_CASE("values must fit in 32 bits, signed or unsigned", "[asm][expr]") {
    CHECK(bytes(".word 0xFFFFFFFF, -2147483648") == le({0xFFFFFFFF, 0x80000000}));
    CHECK(bytes("li r1, -1") == le({0x02100000, 0xFFFFFFFF}));
    CHECK(firstError(".word 0x100000000") == "t.s:1:7: error: value 4294967296 does not fit in 32 bits");
    CHECK(firstError("li r1, -2147483649") == "t.s:1:8: error: value -2147483649 does not fit in 32 bits");
    // Constants themselves may be wider; only their uses must fit.
    CHECK(program(".equ BIG, 1 << 40\n.word BIG >> 20").image == le({1u << 20}));
}

TEST_CASE("`.` is the address of the current statement", "[asm][expr]") {
    const auto p = program(R"(
        .org 0x100
        nop
here:   .word ., . + 4
        jmp .
        .equ AT, .
)");
    CHECK(word(p.image, 4) == 0x104);
    CHECK(word(p.image, 8) == 0x108);  // `.` is where the directive starts
    CHECK(word(p.image, 16) == 0x10C);
    CHECK(p.constants.at("AT") == 0x114);
}

TEST_CASE("forward references to labels and .equ constants resolve", "[asm][expr]") {
    const auto p = program(R"(
        li      r1, SIZE
        li      r2, end
        .equ    SIZE, end - start
start:  .space  12
end:
)");
    CHECK(word(p.image, 4) == 12);
    CHECK(word(p.image, 12) == 28);
    CHECK(p.constants.at("SIZE") == 12);
}

// ---- directives -----------------------------------------------------------------

TEST_CASE(".org sets the origin first, then moves forward filling with zeros", "[asm][directives]") {
    auto p = program(".org 0x1000\n_start: nop\n.org 0x1008\n.word 7\n");
    CHECK(p.origin == 0x1000);
    CHECK(p.entry == 0x1000);
    CHECK(p.image == le({0, 0, 7}));
    p = program("nop\n.org 8\nnop\n");
    CHECK(p.origin == 0);
    CHECK(p.image == le({0, 0, 0}));
    p = program(".org 0x2000\n.org 0x2004\nret\n");
    CHECK(p.origin == 0x2000);
    CHECK(p.image == le({0, 0x24000000}));
    CHECK(firstError(".org 0x100\nnop\n.org 0x10") ==
          "t.s:3:6: error: .org 0x10 would move backwards (the location counter is already at 0x104)");
    CHECK(firstError(".org -1") == "t.s:1:6: error: .org needs an address from 0 to 0xffffffff, got -1");
}

TEST_CASE(".word, .byte, .ascii, .asciz", "[asm][directives]") {
    CHECK(bytes(".word 1, 0x12345678") == le({1, 0x12345678}));
    CHECK(bytes(".byte 1, 255, -128, 'A'") == std::vector<uint8_t>{1, 255, 128, 65});
    CHECK(bytes(".ascii \"ab\"") == std::vector<uint8_t>{'a', 'b'});
    CHECK(bytes(".asciz \"ab\"") == std::vector<uint8_t>{'a', 'b', 0});
    CHECK(bytes(".ascii \"a\", \"b\"") == std::vector<uint8_t>{'a', 'b'});
    CHECK(bytes(".asciz \"a\", \"b\"") == std::vector<uint8_t>{'a', 0, 'b', 0});
    CHECK(bytes(R"(.ascii "\n\t\0\\\"\x41\x7f;#")") ==
          std::vector<uint8_t>{'\n', '\t', 0, '\\', '"', 0x41, 0x7f, ';', '#'});
    CHECK(bytes(".ascii \"\"").empty());
    CHECK(bytes("\xEF\xBB\xBF.byte 1\r\n.byte 2\r\n") == std::vector<uint8_t>{1, 2});  // BOM and CRLF
    CHECK(firstError(".byte 300") == "t.s:1:7: error: value 300 does not fit in a byte");
    CHECK(firstError(".byte 1, -129") == "t.s:1:10: error: value -129 does not fit in a byte");
    CHECK(firstError(".word 1 2") == "t.s:1:9: error: expected ',' between values, got '2'");
    CHECK(firstError(".ascii 5") == "t.s:1:8: error: .ascii expects a string in double quotes");
    CHECK(firstError(".ascii \"a\\x4\"") == "t.s:1:10: error: '\\x' must be followed by two hex digits");
}

TEST_CASE(".space and .align", "[asm][directives]") {
    CHECK(bytes(".space 3") == std::vector<uint8_t>{0, 0, 0});
    CHECK(bytes(".space 2, 0xAA") == std::vector<uint8_t>{0xAA, 0xAA});
    CHECK(bytes(".space 2, FILL\n.equ FILL, 7") == std::vector<uint8_t>{7, 7});
    CHECK(bytes(".space 0").empty());
    CHECK(bytes(".byte 1\n.align 4\n.byte 2") == std::vector<uint8_t>{1, 0, 0, 0, 2});
    CHECK(bytes(".byte 1\n.align 1\n.byte 2") == std::vector<uint8_t>{1, 2});
    CHECK(bytes(".word 1\n.align 4\n.byte 2") == std::vector<uint8_t>{1, 0, 0, 0, 2});
    auto p = program(".org 0x1004\nnop\n.align 16\nx: nop");
    CHECK(p.labels.at("x") == 0x1010);
    CHECK(firstError(".align 3") == "t.s:1:8: error: .align needs a power of two, got 3");
    CHECK(firstError(".align 0") == "t.s:1:8: error: .align needs a power of two, got 0");
    CHECK(firstError(".space -1") == "t.s:1:8: error: .space needs a size of 0 or more, got -1");
    CHECK(firstError(".space 1, 256") == "t.s:1:11: error: value 256 does not fit in a byte");
    CHECK(firstError(".space 1, 2, 3") == "t.s:1:14: error: .space expects a size and an optional fill byte");
}

TEST_CASE(".equ, .set and NAME = value", "[asm][directives]") {
    const auto p = program(R"(
        .set    N, 1
        li      r1, N
        .set    N, N + 1
        li      r2, N
N = 10
        li      r3, N
        .equ    K, N * 2
)");
    CHECK(word(p.image, 4) == 1);
    CHECK(word(p.image, 12) == 2);
    CHECK(word(p.image, 20) == 10);
    CHECK(p.constants.at("N") == 10);
    CHECK(p.constants.at("K") == 20);
    CHECK(firstError(".equ A, 1\n.equ A, 2") == "t.s:2:6: error: constant 'A' defined twice (first at t.s:1)");
    CHECK(firstError(".equ A, 1\n.set A, 2") ==
          "t.s:2:6: error: 'A' is already defined as constant 'A' (.equ at t.s:1) and cannot be changed");
    CHECK(firstError("x: nop\nx = 2") ==
          "t.s:2:1: error: 'x' is already defined as label 'x' (at t.s:1) and cannot be changed");
    CHECK(firstError(".equ r3, 1") == "t.s:1:6: error: 'r3' is a register name and cannot be used as a constant");
    CHECK(firstError(".equ A 1") == "t.s:1:8: error: expected ',' after 'A'");
    CHECK(firstError(".equ A, 1\nA: nop") == "t.s:2:1: error: label 'A' clashes with constant 'A' (.equ at t.s:1)");
}

TEST_CASE(".error reports at its line, only when assembled", "[asm][directives]") {
    CHECK(errors("nop\n  .error \"not supported\"\n") ==
          std::vector<std::string>{"t.s:2:3: error: not supported"});
    CHECK(program(".if 0\n.error \"never\"\n.endif\nnop").image.size() == 4);
}

// ---- .include ---------------------------------------------------------------------

TEST_CASE(".include reads relative to the including file, then the include folders", "[asm][include]") {
    Options options = withFiles({
        {"src/main.s", ".include \"defs.inc\"\n.include \"common.inc\"\nli r1, A + B\n"},
        {"src/defs.inc", ".equ A, 1\n.include \"sub/more.inc\"\n"},
        {"src/sub/more.inc", ".equ C, 3\n"},
        {"lib/common.inc", ".equ B, 2\n"},
    });
    options.includeDirs = {"lib"};
    auto result = assembleFile("src/main.s", options);
    INFO(result.errorText());
    REQUIRE(result.ok());
    CHECK(result.program->image == le({0x02100000, 3}));
    CHECK(result.program->constants.at("C") == 3);
    CHECK(result.program->files ==
          std::vector<std::string>{"src/main.s", "src/defs.inc", "src/sub/more.inc", "lib/common.inc"});
}

TEST_CASE(".include errors: missing file, cycles, depth, and positions inside included files", "[asm][include]") {
    Options options = withFiles({
        {"a.s", "nop\n.include \"b.s\"\n"},
        {"b.s", "\n  .include \"a.s\"\n"},
        {"bad.inc", "nop\n  bogus r1\n"},
    });
    CHECK(firstError(".include \"nope.inc\"", options) ==
          "t.s:1:10: error: cannot open include file 'nope.inc' (tried nope.inc)");
    auto cycle = assembleFile("a.s", options);
    REQUIRE(cycle.errors.size() == 1);
    CHECK(cycle.errors[0].str() == "b.s:2:12: error: 'a.s' includes itself (a.s -> b.s -> a.s)");
    CHECK(firstError("nop\n.include \"bad.inc\"\n", options) == "bad.inc:2:3: error: unknown mnemonic 'bogus'");

    // A chain 20 files deep stops at 16 nested includes.
    std::map<std::string, std::string> chain;
    for (int i = 0; i < 20; ++i) chain[fmt::format("f{}.s", i)] = fmt::format(".include \"f{}.s\"\n", i + 1);
    chain["f20.s"] = "nop\n";
    auto deep = assembleFile("f0.s", withFiles(chain));
    REQUIRE(deep.errors.size() == 1);
    CHECK(deep.errors[0].str() == "f16.s:1:10: error: includes nested too deeply (more than 16 levels)");
    CHECK(firstError(".include nope") == "t.s:1:10: error: .include expects a file name in double quotes");
}

TEST_CASE("files on disk: includes next to the file and through includeDirs", "[asm][include]") {
    Options options;
    options.includeDirs = {std::string(RINGSIM_TEST_FIXTURES) + "/asm/shared"};
    auto result = assembleFile(std::string(RINGSIM_TEST_FIXTURES) + "/asm/main.s", options);
    INFO(result.errorText());
    REQUIRE(result.ok());
    const auto& p = *result.program;
    CHECK(p.files.size() == 4);
    CHECK(p.constants.at("ANSWER") == 42);
    CHECK(p.constants.at("EXTRA") == 43);
    CHECK(p.image == le({0x02100000, 42, 0x02200000, 43, 0x02000000, 'k', 0x44000000, 0x10, 0x40000000}));

    auto cycle = assembleFile(std::string(RINGSIM_TEST_FIXTURES) + "/asm/cycle_a.s");
    REQUIRE(cycle.errors.size() == 1);
    CHECK_THAT(cycle.errors[0].message, Catch::Contains("cycle_a.s' includes itself"));
}

TEST_CASE("a missing main file is one diagnostic without a line", "[asm][include]") {
    auto result = assembleFile("/no/such/dir/missing.s");
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].line == 0);
    CHECK(result.errorText() == "/no/such/dir/missing.s: error: cannot open file");
}

TEST_CASE("the bundled guests assemble", "[asm][include]") {
    auto bench = assembleFile(std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/bench.s");
    INFO(bench.errorText());
    CHECK(bench.ok());
    auto calls = assembleText(".include \"hypercalls.inc\"\nhcall HC_READ_FAULT\n", "t.s", [] {
        Options o;
        o.includeDirs = {std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/include"};
        return o;
    }());
    INFO(calls.errorText());
    REQUIRE(calls.ok());
    CHECK(calls.program->image == le({0x58000000, 16}));
}

// ---- macros -------------------------------------------------------------------------

TEST_CASE("macros substitute parameters, \\@ and \\()", "[asm][macro]") {
    const auto p = program(R"(
        .macro  LOADW reg, addr
        ld      \reg, \addr
        .endm
        .macro  COUNT_DOWN reg, n
        li      \reg, \n
.Lloop\@:
        addi    \reg, \reg, -1
        cmpi    \reg, 0
        bne     .Lloop\@
        .endm
        .macro  NAMED base
\base\()_end:
        .endm
        LOADW   r1, [r2 + 4]
        COUNT_DOWN r3, 2
        COUNT_DOWN r4, (1 + 2)
        NAMED   block
)");
    CHECK(word(p.image, 0) == 0x18120000);
    CHECK(word(p.image, 4) == 4);
    // \@ counts expansions of any macro: LOADW was expansion 0.
    CHECK(p.labels.at(".Lloop1") == 16);
    CHECK(p.labels.at(".Lloop2") == 48);
    CHECK(word(p.image, 36) == 16);  // each expansion branches to its own loop
    CHECK(word(p.image, 68) == 48);
    CHECK(word(p.image, 44) == 3);
    CHECK(p.labels.at("block_end") == 72);
}

TEST_CASE("macro arguments: commas inside brackets and quotes, strings, empty list", "[asm][macro]") {
    CHECK(bytes(".macro STR text\n.ascii \\text\n.endm\nSTR \"a,b\"") == std::vector<uint8_t>{'a', ',', 'b'});
    CHECK(bytes(".macro TWO a, b\n.byte \\a, \\b\n.endm\nTWO ',', (1 + 2) - 1") == std::vector<uint8_t>{',', 2});
    CHECK(bytes(".macro NONE\nnop\n.endm\nNONE ; a comment") == le({0}));
    // `(1, 2)` is one argument (so no count error), which then is a bad expression.
    CHECK(firstError(".macro ONE x\n.word \\x\n.endm\nONE (1, 2)") ==
          "t.s:2:7: error: expected ')', got ',' (in expansion of macro 'ONE' at t.s:4)");
}

TEST_CASE("macros can invoke macros and define labels on the invocation line", "[asm][macro]") {
    const auto p = program(R"(
        .macro  INNER v
        .word   \v
        .endm
        .macro  OUTER v
        INNER   \v + 1
        INNER   \v + 2
        .endm
here:   OUTER   10
)");
    CHECK(p.image == le({11, 12}));
    CHECK(p.labels.at("here") == 0);
}

TEST_CASE("macro errors", "[asm][macro]") {
    CHECK(firstError(".macro M a, b\n.endm\n  M 1") == "t.s:3:3: error: macro 'M' expects 2 arguments (a, b), got 1");
    CHECK(firstError(".macro M\n.endm\nM 1") == "t.s:3:1: error: macro 'M' expects no arguments, got 1");
    CHECK(firstError(".macro M\nnop\n") == "t.s:1:1: error: macro 'M' is not closed (missing .endm)");
    CHECK(firstError("  .endm") == "t.s:1:3: error: .endm without .macro");
    CHECK(firstError(".macro add\n.endm") == "t.s:1:8: error: macro name 'add' clashes with the instruction 'add'");
    CHECK(firstError(".macro M\n.endm\n.macro M\n.endm") == "t.s:3:8: error: macro 'M' defined twice (first at t.s:1)");
    CHECK(firstError(".macro M a, a\n.endm") == "t.s:1:13: error: parameter 'a' appears twice");
    // An error inside the body is reported where the body line is, naming the expansion.
    CHECK(errors(".macro M reg\n  li \\reg, 1\n.endm\nnop\n  M 5\n") ==
          std::vector<std::string>{"t.s:2:6: error: expected a register, got '5' (in expansion of macro 'M' at t.s:5)"});
    // Unbounded recursion stops at the depth limit, with one error.
    auto rec = errors(".macro R\nR\n.endm\nR\n");
    REQUIRE(rec.size() == 1);
    CHECK_THAT(rec[0], Catch::StartsWith("t.s:2:1: error: macro expansion nested too deeply (more than 64 levels)"));
    CHECK_THAT(rec[0], Catch::EndsWith("and 61 outer expansions)"));
    // A bad .macro line still swallows its body instead of assembling it.
    CHECK(errors(".macro 5\nbogus\n.endm\n") == std::vector<std::string>{"t.s:1:8: error: .macro expects a name"});
}

// ---- conditional assembly ---------------------------------------------------------

TEST_CASE("conditional assembly: one source, native and paravirtual", "[asm][cond]") {
    const std::string source = R"(
        .ifndef PARAVIRT
        .equ    PARAVIRT, 0
        .endif
        .if PARAVIRT
        hcall   3               ; ask the monitor to enable interrupts
        .else
        sti
        .endif
)";
    Options para, native;
    para.defines = {{"PARAVIRT", 1}};
    native.defines = {{"PARAVIRT", 0}};
    CHECK(bytes(source, para) == le({0x58000000, 3}));
    CHECK(bytes(source, native) == le({0x42000000}));
    CHECK(bytes(source) == le({0x42000000}));
    CHECK(program(source, para).constants.at("PARAVIRT") == 1);
}

TEST_CASE(".if / .elif / .else chains, nesting, .ifdef on labels seen so far", "[asm][cond]") {
    const std::string chain = R"(
        .if MODE == 1
        .byte 1
        .elif MODE == 2
        .byte 2
        .elif MODE == 2
        .byte 22
        .else
        .byte 3
        .endif
)";
    for (int mode = 1; mode <= 3; ++mode) {
        Options o;
        o.defines = {{"MODE", mode}};
        CHECK(bytes(chain, o) == std::vector<uint8_t>{uint8_t(mode)});
    }
    CHECK(bytes(".if 1\n.if 0\n.byte 1\n.else\n.byte 2\n.endif\n.else\n.if 1\n.byte 3\n.endif\n.endif") ==
          std::vector<uint8_t>{2});
    // Inside an inactive branch nothing is looked at, not even bad syntax.
    CHECK(bytes(".if 0\n  @@@ garbage ( \"\n.endif\n.if 1\n.byte 9\n.elif 1 +\n@@@\n.else\n.endif") ==
          std::vector<uint8_t>{9});
    CHECK(bytes("early:\n.ifdef early\n.byte 1\n.endif\n.ifdef late\n.byte 2\n.endif\nlate:") ==
          std::vector<uint8_t>{1});
    CHECK(bytes(".ifndef NOPE\n.byte 1\n.endif") == std::vector<uint8_t>{1});
}

TEST_CASE("conditional assembly errors", "[asm][cond]") {
    CHECK(firstError("nop\n  .if 1\nnop") == "t.s:2:3: error: '.if' is not closed (missing .endif)");
    CHECK(firstError(".ifdef X") == "t.s:1:1: error: '.ifdef' is not closed (missing .endif)");
    CHECK(firstError(".endif") == "t.s:1:1: error: .endif without .if");
    CHECK(firstError(".else") == "t.s:1:1: error: .else without .if");
    CHECK(firstError(".elif 1") == "t.s:1:1: error: .elif without .if");
    CHECK(firstError(".if 1\n.else\n.else\n.endif") == "t.s:3:1: error: second .else for the same .if");
    CHECK(firstError(".if 0\n.else\n.elif 1\n.endif") == "t.s:3:1: error: .elif after .else");
    CHECK(firstError(".if FOO\n.endif") == "t.s:1:5: error: undefined symbol 'FOO'");
    CHECK(firstError(".if later\n.endif\nlater:") ==
          "t.s:1:5: error: 'later' has no value yet at this point ('.if' needs values defined before it)");
    CHECK(firstError(".ifdef\n.endif") == "t.s:1:7: error: .ifdef expects a symbol name");
    CHECK(errors(".if 0\n  .ifdef X\n") ==
          std::vector<std::string>{"t.s:1:1: error: '.if' is not closed (missing .endif)",
                                   "t.s:2:3: error: '.ifdef' is not closed (missing .endif)"});
    // A failed condition takes neither branch (no cascade of errors).
    CHECK(errors(".if 1 / 0\n.byte 1\n.else\n.error \"else\"\n.endif") ==
          std::vector<std::string>{"t.s:1:7: error: division by zero"});
    // An .if left open inside an included file is reported there.
    auto o = withFiles({{"inc.s", ".if 1\n"}});
    CHECK(firstError(".include \"inc.s\"\n.endif", o) == "inc.s:1:1: error: '.if' is not closed (missing .endif)");
}

// ---- error messages -----------------------------------------------------------------

TEST_CASE("error messages name file, line and column of the offending token", "[asm][errors]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"  mvo r1, r2", "t.s:1:3: error: unknown mnemonic 'mvo'"},
        {"add r1, r2", "t.s:1:1: error: 'add' expects 3 operands (ra, rb, rc), got 2"},
        {"push", "t.s:1:1: error: 'push' expects 1 operand (ra), got 0"},
        {"nop r1", "t.s:1:5: error: 'nop' expects no operands, got 1"},
        {"ld r1, r2", "t.s:1:8: error: expected a memory operand like [rb + offset], got 'r2'"},
        {"mov r1, 5", "t.s:1:9: error: expected a register, got '5'"},
        {"mov r1, r16", "t.s:1:9: error: expected a register, got 'r16'"},
        {"push r1 r2", "t.s:1:9: error: unexpected 'r2' after register 'r1'"},
        {"li r1, r2", "t.s:1:8: error: expected a value, got register 'r2'"},
        {"li r1, 5 6", "t.s:1:10: error: unexpected '6' after the expression"},
        {"li r1,", "t.s:1:7: error: missing operand after ','"},
        {"add r1, , r2", "t.s:1:9: error: missing operand before ','"},
        {"loop: nop\nloop: nop", "t.s:2:1: error: label 'loop' defined twice (first at t.s:1)"},
        {"r1: nop", "t.s:1:1: error: 'r1' is a register name and cannot be used as a label"},
        {"ld r1, [r2 + 4", "t.s:1:15: error: missing ']'"},
        {"ld r1, [r2 4]", "t.s:1:12: error: expected '+', '-' or ']' after the base register, got '4'"},
        {"st [8], r1", "t.s:1:5: error: expected a register, got '8'"},
        {"st [r1] + 4, r2", "t.s:1:9: error: unexpected '+' after ']'"},
        {"rdcr r1, cr9", "t.s:1:10: error: unknown control register 'cr9' (expected ttb, ptb, ksp, fault, cause, timer)"},
        {"jmp nowhere", "t.s:1:5: error: undefined symbol 'nowhere'"},
        {".word 4 / 0", "t.s:1:9: error: division by zero"},
        {".word 4 % 0", "t.s:1:9: error: remainder by zero"},
        {".word 1 << 64", "t.s:1:9: error: shift count 64 is out of range (0..63)"},
        {"li r1, (1 + 2", "t.s:1:14: error: missing ')'"},
        {"li r1, 1 +", "t.s:1:11: error: expected an expression"},
        {"li r1, )", "t.s:1:8: error: expected an expression, got ')'"},
        {"li r1, \"x\"", "t.s:1:8: error: expected a value, got string \"x\""},
        {".wrod 1", "t.s:1:1: error: unknown directive '.wrod'"},
        {"5: nop", "t.s:1:1: error: expected a label, an instruction or a directive, got '5'"},
        {".ascii \"abc", "t.s:1:8: error: unterminated string"},
        {".ascii \"a\\q\"", "t.s:1:10: error: unknown escape sequence '\\q'"},
        {"li r1, 'ab'", "t.s:1:8: error: character literal holds more than one character"},
        {"li r1, 'a", "t.s:1:8: error: unterminated character literal"},
        {"li r1, ''", "t.s:1:8: error: empty character literal"},
        {"nop @", "t.s:1:5: error: unexpected character '@'"},
        {"nop \\x", "t.s:1:5: error: unexpected '\\' (a macro parameter outside a macro, or not a parameter of it)"},
        {"li r1, 12ab", "t.s:1:8: error: invalid number '12ab'"},
        {"li r1, 0x", "t.s:1:8: error: invalid number '0x'"},
        {"li r1, 99999999999999999999", "t.s:1:8: error: number '99999999999999999999' is too large"},
        {". = 4", "t.s:1:1: error: '.' is the current address and cannot be defined as a constant"},
        {"\t\tjmp x\n", "t.s:1:7: error: undefined symbol 'x'"},  // a tab is one column
    };
    for (const auto& [source, expected] : cases) {
        INFO(source);
        CHECK(firstError(source) == expected);
    }
}

TEST_CASE("every error of a file is reported, in source order", "[asm][errors]") {
    const auto all = errors(R"(start:
        mvo     r1, r2
        add     r1, r2
        jmp     missing
start:  nop
        .byte   256
        li      r1, 1
        rdcr    r2, cr9
        .if 1
)");
    CHECK(all == std::vector<std::string>{
                     "t.s:2:9: error: unknown mnemonic 'mvo'",
                     "t.s:3:9: error: 'add' expects 3 operands (ra, rb, rc), got 2",
                     "t.s:4:17: error: undefined symbol 'missing'",
                     "t.s:5:1: error: label 'start' defined twice (first at t.s:1)",
                     "t.s:6:17: error: value 256 does not fit in a byte",
                     "t.s:8:21: error: unknown control register 'cr9' (expected ttb, ptb, ksp, fault, cause, timer)",
                     "t.s:9:9: error: '.if' is not closed (missing .endif)",
                 });
}

TEST_CASE("Diagnostic::str and Result::errorText", "[asm][errors]") {
    Diagnostic d{"k.s", 12, 5, "boom"};
    CHECK(d.str() == "k.s:12:5: error: boom");
    d.line = 0;
    CHECK(d.str() == "k.s: error: boom");
    auto r = assembleText("a\nb\n", "x.s");
    CHECK(r.errorText() == "x.s:1:1: error: unknown mnemonic 'a'\nx.s:2:1: error: unknown mnemonic 'b'");
    Options bad;
    bad.defines = {{"r1", 1}};
    CHECK(assembleText("nop", "x.s", bad).errorText() == "x.s: error: invalid define name 'r1'");
}

// ---- the Program ---------------------------------------------------------------------

TEST_CASE("program: entry, labels, constants, line map, files", "[asm][program]") {
    Options o = withFiles({{"inc.s", "inc_label:\n  .word 5\n"}});
    o.defines = {{"D", 4}};
    auto result = assembleText(R"(        .org 0x100
data:   .space 8
_start: li r1, D
        .include "inc.s"
        .align 16
        .equ E, 9
)", "m.s", o);
    INFO(result.errorText());
    REQUIRE(result.ok());
    const Program& p = *result.program;
    CHECK(p.origin == 0x100);
    CHECK(p.entry == 0x108);
    CHECK(p.labels == std::map<std::string, uint32_t>{{"data", 0x100}, {"_start", 0x108}, {"inc_label", 0x110}});
    CHECK(p.constants == std::map<std::string, int64_t>{{"D", 4}, {"E", 9}});
    CHECK(p.files == std::vector<std::string>{"m.s", "inc.s"});
    REQUIRE(p.lineMap.size() == 4);
    CHECK(p.lineMap[0].first == 0x100);
    CHECK(p.lineMap[1].first == 0x108);
    CHECK(p.lineMap[2].first == 0x110);
    CHECK(p.lineMap[2].second.file == "inc.s");
    CHECK(p.lineMap[2].second.line == 2);
    CHECK(p.lineMap[3].first == 0x114);  // the .align padding
    CHECK(std::is_sorted(p.lineMap.begin(), p.lineMap.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; }));
    CHECK(p.locationOf(0x104)->line == 2);  // inside the .space
    CHECK(p.locationOf(0x10C)->line == 3);  // the immediate of li
    CHECK_FALSE(p.locationOf(0xFF));
    CHECK_FALSE(p.locationOf(0x120));
    CHECK(p.labelAt(0x108) == "_start");
    CHECK_FALSE(p.labelAt(0x10C));
    CHECK(program("nop").entry == 0);
}

TEST_CASE("labelAt picks the first name in name order", "[asm][program]") {
    const auto p = program("zeta: alpha: nop");
    CHECK(p.labelAt(0) == "alpha");
}

// ---- limits: never crash, never hang ------------------------------------------------

TEST_CASE("limits: image size, address space, nesting", "[asm][limits]") {
    CHECK_THAT(firstError(".space 0x4000001"), Catch::EndsWith("error: the program would be larger than 64 MiB"));
    CHECK_THAT(firstError(".space 0x7fffffffffffffff"),
               Catch::Contains("the program would pass the end of the 32-bit address space"));
    CHECK(program(".space 0x4000000").image.size() == 64u << 20);
    CHECK_THAT(firstError("nop\n.org 0xF0000000\nnop"), Catch::Contains("larger than 64 MiB"));
    CHECK(program(".org 0xF0000000\nnop").origin == 0xF0000000);  // far away is fine as the origin
    CHECK_THAT(firstError(".org 0xFFFFFFFC\nli r1, 1"),
               Catch::StartsWith("t.s:2:1: error: the program would pass the end of the 32-bit address space"));
    CHECK(program(".org 0xFFFFFFFC\nnop").image.size() == 4);
    CHECK_THAT(firstError(".org 0xFFFFFFFC\nnop\nend:"), Catch::Contains("past the end of the 32-bit address space"));

    const std::string deep(100000, '(');
    CHECK_THAT(firstError("li r1, " + deep + "1"), Catch::Contains("expression nested too deeply (more than 200 levels)"));
    CHECK_THAT(firstError("li r1, " + std::string(100000, '-') + "1"), Catch::Contains("nested too deeply"));
    std::string chain = "1";
    for (int i = 0; i < 10000; ++i) chain += " + 1";
    CHECK_THAT(firstError(".word " + chain), Catch::Contains("nested too deeply"));
    CHECK(program(".word " + std::string(150, '(') + "7" + std::string(150, ')')).image == le({7}));
}

TEST_CASE("limits: after 1000 errors the assembler stops", "[asm][limits]") {
    std::string source;
    for (int i = 0; i < 1500; ++i) source += "bogus\n";
    const auto all = errors(source);
    REQUIRE(all.size() == 1001);
    CHECK(all[999] == "t.s:1000:1: error: unknown mnemonic 'bogus'");
    CHECK(all.back() == "t.s:1001:1: error: too many errors (more than 1000); stopping here");
}

TEST_CASE("limits: runaway recursion is abandoned at the depth limit", "[asm][limits]") {
    // Two recursive calls per level: without abandoning the expansion this would
    // report the depth error 2^64 times.
    auto all = errors(".macro R\nR\nR\n.endm\nR\nnop\nbogus\n");
    REQUIRE(all.size() == 2);
    CHECK_THAT(all[0], Catch::StartsWith("t.s:2:1: error: macro expansion nested too deeply"));
    CHECK(all[1] == "t.s:7:1: error: unknown mnemonic 'bogus'");  // assembly goes on after it
}

TEST_CASE("limits: macro bombs and long files end with an error, not a hang", "[asm][limits]") {
    // Each level expands the next twice: 2^60 lines if nothing stopped it.
    std::string bomb;
    for (int i = 0; i < 60; ++i) bomb += fmt::format(".macro M{}\nM{}\nM{}\n.endm\n", i, i + 1, i + 1);
    bomb += ".macro M60\nnop\n.endm\nM0\n";
    auto all = errors(bomb);
    REQUIRE_FALSE(all.empty());
    // Whichever limit it reaches first: the lines read, or the text expanded.
    CHECK_THAT(all.back(), Catch::Contains("too many lines to assemble") ||
                               Catch::Contains("macro expansions too large"));
}

// ---- fuzz ------------------------------------------------------------------------------

TEST_CASE("token soup never crashes the assembler", "[asm][fuzz]") {
    static const char* const kPieces[] = {
        "nop", "add", "li", "ld", "st", "jmp", "rdcr", "out", "in", "hcall", "mov", "addi", "push", "r1", "r15",
        "sp", "R3", "fault", "ttb", "x", "loop", "_start", ".L1", ".", "$", "0", "1", "-1", "0x7fffffff",
        "0xffffffffff", "0b101", "'a'", "'\\n'", "'", "\"str\"", "\"", "\"a\\x41\"", ",", ",", ":", ":", "[", "]",
        "(", ")", "+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "~", "!", "==", "!=", "<", ">", "&&", "||",
        "=", ";", "#", "\\", "\\@", "\\a", ".org", ".word", ".byte", ".ascii", ".asciz", ".space", ".align", ".equ",
        ".set", ".include", ".macro", ".endm", ".if", ".elif", ".else", ".endif", ".ifdef", ".ifndef", ".error",
        "M", "a", "b", "\"inc.s\"", "1000", "4096", "0x4000000", "0xffffffff",
    };
    constexpr size_t kCount = sizeof(kPieces) / sizeof(kPieces[0]);
    Options options = withFiles({{"inc.s", ".macro M a\n .word \\a\n.endm\nnop\n"}, {"self.s", ".include \"self.s\""}});
    std::mt19937 rng(20261124);
    int succeeded = 0;
    for (int n = 0; n < 2000; ++n) {
        std::string source;
        const int lines = int(rng() % 12) + 1;
        for (int l = 0; l < lines; ++l) {
            const int tokens = int(rng() % 7);
            for (int t = 0; t < tokens; ++t) {
                source += kPieces[rng() % kCount];
                source += (rng() % 4 == 0) ? "" : " ";
            }
            source += '\n';
        }
        INFO(source);
        const auto result = assembleText(source, "fuzz.s", options);
        if (result.ok()) {
            ++succeeded;
            CHECK(result.program->image.size() <= (64u << 20));
        } else {
            for (const auto& d : result.errors) {
                CHECK_FALSE(d.message.empty());
                CHECK(d.line >= 1);
                CHECK(d.column >= 1);
            }
        }
    }
    CHECK(succeeded > 0);  // some soups are valid programs
}

TEST_CASE("random bytes never crash the assembler", "[asm][fuzz]") {
    std::mt19937 rng(7);
    for (int n = 0; n < 300; ++n) {
        std::string source(rng() % 400, '\0');
        for (auto& c : source) c = char(rng() % 256);
        const auto result = assembleText(source, "bytes.s", withFiles({}));
        if (!result.ok()) CHECK_FALSE(result.errors.empty());
    }
}
