// The disassembler: the text of each format, invalid encodings, and the round
// trip disassemble -> assemble -> the same bytes, over every instruction and
// over random images.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cpu-model/assembler.h"
#include "cpu-model/disassembler.h"
#include "cpu-model/isa.h"

using namespace ringsim;
using disassembler::disassembleImage;
using disassembler::disassembleOne;

namespace {

void putWord(std::vector<uint8_t>& out, uint32_t w) {
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(w >> (8 * i)));
}

std::vector<uint8_t> le(std::initializer_list<uint32_t> words) {
    std::vector<uint8_t> out;
    for (uint32_t w : words) putWord(out, w);
    return out;
}

std::string text(std::initializer_list<uint32_t> words, const disassembler::SymbolNamer& namer = {}) {
    const auto bytes = le(words);
    return disassembleOne(bytes, 0x1000, namer).text;
}

// Assembles `source` and requires success.
assembler::Program reassemble(const std::string& source) {
    auto result = assembler::assembleText(source, "disasm.s");
    INFO(source);
    INFO(result.errorText());
    REQUIRE(result.ok());
    return *result.program;
}

// disassemble -> assemble must give back the same bytes at the same origin.
void checkRoundTrip(const std::vector<uint8_t>& image, uint32_t origin, const disassembler::SymbolNamer& namer = {}) {
    const std::string source = disassembleImage(image, origin, namer);
    const auto p = reassemble(source);
    INFO(source);
    CHECK(p.origin == origin);
    CHECK(p.image == image);
}

uint32_t encode(const isa::InstructionInfo& info, uint8_t a, uint8_t b, uint8_t c) {
    return isa::encodeFirstWord(info.opcode, isa::Fields{a, b, c, 0});
}

// A valid encoding of `info` with random operands; appends it to `out`.
void randomInstruction(const isa::InstructionInfo& info, std::mt19937& rng, std::vector<uint8_t>& out) {
    static const uint32_t kImmediates[] = {0, 1, 4, 4095, 4096, 4097, uint32_t(-1), uint32_t(-4), uint32_t(-4096),
                                           uint32_t(-4097), 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x10, 0x1000};
    const int used = isa::registerFieldsUsed(info.format);
    const uint8_t a = used >= 1 ? uint8_t(rng() % 16) : 0;
    uint8_t b = used >= 2 ? uint8_t(rng() % 16) : 0;
    const uint8_t c = used >= 3 ? uint8_t(rng() % 16) : 0;
    if (info.format == isa::Format::Cr) b = uint8_t(rng() % isa::kControlRegisterCount);
    putWord(out, encode(info, a, b, c));
    if (isa::hasImmediateWord(info.format))
        putWord(out, rng() % 2 ? kImmediates[rng() % std::size(kImmediates)] : uint32_t(rng()));
}

}  // namespace

TEST_CASE("disassembly text of every format", "[disasm]") {
    CHECK(text({0x00000000}) == "nop");
    CHECK(text({0x24000000}) == "ret");
    CHECK(text({0x1C100000}) == "push r1");
    CHECK(text({0x1CF00000}) == "push sp");
    CHECK(text({0x01120000}) == "mov r1, r2");
    CHECK(text({0x03123000}) == "add r1, r2, r3");
    CHECK(text({0x03EF0000}) == "add r14, sp, r0");
    CHECK(text({0x02100000, 42}) == "li r1, 42");
    CHECK(text({0x02100000, 0xFFFFFFFF}) == "li r1, -1");
    CHECK(text({0x02100000, 4096}) == "li r1, 4096");
    CHECK(text({0x02100000, 4097}) == "li r1, 0x1001");
    CHECK(text({0x02100000, uint32_t(-4096)}) == "li r1, -4096");
    CHECK(text({0x02100000, uint32_t(-4097)}) == "li r1, 0xffffefff");
    CHECK(text({0x0E120000, 0xFFFFFFF4}) == "addi r1, r2, -12");
    CHECK(text({0x20000000, 0x1000}) == "jmp 0x1000");
    CHECK(text({0x58000000, 3}) == "hcall 3");
    CHECK(text({0x18120000, 8}) == "ld r1, [r2 + 8]");
    CHECK(text({0x18120000, 0}) == "ld r1, [r2]");
    CHECK(text({0x181F0000, 0xFFFFFFFC}) == "ld r1, [sp - 4]");
    CHECK(text({0x1A120000, 0x12345}) == "ldb r1, [r2 + 0x12345]");
    CHECK(text({0x19120000, 8}) == "st [r2 + 8], r1");
    CHECK(text({0x1B9F0000, 0xFFFFFFFF}) == "stb [sp - 1], r9");
    CHECK(text({0x43100000, 0x10}) == "in r1, 0x10");
    CHECK(text({0x44100000, 0x35}) == "out 0x35, r1");
    CHECK(text({0x4B130000}) == "rdcr r1, fault");
    CHECK(text({0x4B250000}) == "rdcr r2, timer");
}

TEST_CASE("disassembleOne reports length, info and fields", "[disasm]") {
    const auto bytes = le({0x19120000, 8});
    const auto line = disassembleOne(bytes, 0x40);
    CHECK(line.address == 0x40);
    CHECK(line.length == 8);
    REQUIRE(line.info != nullptr);
    CHECK(line.info->opcode == isa::Opcode::St);
    CHECK(line.fields.a == 1);
    CHECK(line.fields.b == 2);
    CHECK(line.fields.imm == 8);
    const auto short4 = le({0x03123000});
    CHECK(disassembleOne(short4, 0).length == 4);
}

TEST_CASE("targets print as labels from the namer when they are usable", "[disasm]") {
    auto namer = [](uint32_t a) -> std::optional<std::string> {
        if (a == 0x2000) return "loop";
        if (a == 0x3000) return "not a label";
        if (a == 0x4000) return "r5";
        return std::nullopt;
    };
    CHECK(text({0x20000000, 0x2000}, namer) == "jmp loop");
    CHECK(text({0x22000000, 0x3000}, namer) == "call 0x3000");
    CHECK(text({0x25000000, 0x4000}, namer) == "beq 0x4000");
    CHECK(text({0x26000000, 0x5000}, namer) == "bne 0x5000");
    CHECK(text({0x02100000, 0x2000}, namer) == "li r1, 0x2000");  // only Target operands are named
}

TEST_CASE("invalid encodings print as .word", "[disasm]") {
    auto invalid = [](std::vector<uint8_t> bytes) {
        const auto line = disassembleOne(bytes, 0);
        CHECK(line.info == nullptr);
        CHECK(line.length == 4);
        return line.text;
    };
    CHECK(invalid(le({0x17000000})) == ".word 0x17000000");   // no such opcode
    CHECK(invalid(le({0xFF000000})) == ".word 0xff000000");
    CHECK(invalid(le({0x03123001})) == ".word 0x03123001");   // reserved bits set
    CHECK(invalid(le({0x00100000})) == ".word 0x00100000");   // nop with a register
    CHECK(invalid(le({0x1C110000})) == ".word 0x1c110000");   // push uses a only
    CHECK(invalid(le({0x01121000})) == ".word 0x01121000");   // mov uses a and b only
    CHECK(invalid(le({0x4B160000})) == ".word 0x4b160000");   // control register 6 does not exist
    CHECK(invalid(le({0x4B131000})) == ".word 0x4b131000");   // rdcr with c set
    CHECK(invalid(le({0x02100000})) == ".word 0x02100000");   // li without its immediate
    CHECK(invalid({0x00, 0x00, 0x10, 0x02, 0x05}) == ".word 0x02100000");
    const std::vector<uint8_t> two = {0x12, 0xAB};
    const auto line = disassembleOne(two, 0);
    CHECK(line.info == nullptr);
    CHECK(line.length == 2);
    CHECK(line.text == ".byte 0x12, 0xab");
}

TEST_CASE("disassembleImage: .org, labels, and tails shorter than an instruction", "[disasm]") {
    std::vector<uint8_t> image = le({0x20000000, 0x108, 0x24000000, 0x02100000});  // jmp; ret; li cut short
    image.push_back(0x07);
    image.push_back(0x00);
    auto namer = [](uint32_t a) -> std::optional<std::string> {
        if (a == 0x100) return "start";
        if (a == 0x108) return "back";
        if (a == 0x112) return "end";
        return std::nullopt;
    };
    const std::string source = disassembleImage(image, 0x100, namer);
    CHECK(source ==
          ".org 0x100\n"
          "start:\n"
          "        jmp back\n"
          "back:\n"
          "        ret\n"
          "        .word 0x02100000\n"
          "        .byte 0x07, 0x00\n"
          "end:\n");
    checkRoundTrip(image, 0x100, namer);
    CHECK(disassembleImage({}, 0x40) == ".org 0x40\n");
    checkRoundTrip({}, 0x40);
}

TEST_CASE("namer names are sanitised, de-duplicated, and used only where a line starts", "[disasm]") {
    std::vector<uint8_t> image;
    for (uint32_t i = 0; i < 8; ++i) {
        putWord(image, 0x20000000);  // jmp to the next-but-one instruction's middle or start
        putWord(image, i % 2 ? 0x1000 + 8 * (i + 1) : 0x1000 + 8 * i + 4);
    }
    const std::map<uint32_t, std::string> names = {
        {0x1000, "1st"}, {0x1004, "middle"}, {0x1008, "add"}, {0x1010, "r3"},  {0x1018, "a b"},
        {0x1020, "."},   {0x1028, "dup"},    {0x1030, "dup"}, {0x1038, ".word"}, {0x1040, ""},
    };
    auto namer = [&](uint32_t a) -> std::optional<std::string> {
        auto it = names.find(a);
        if (it == names.end()) return std::nullopt;
        return it->second;
    };
    const std::string source = disassembleImage(image, 0x1000, namer);
    INFO(source);
    CHECK_THAT(source, Catch::Contains("\n_1st:\n"));
    CHECK_THAT(source, Catch::Contains("\n_add:\n"));
    CHECK_THAT(source, Catch::Contains("\n_r3:\n"));
    CHECK_THAT(source, Catch::Contains("\na_b:\n"));
    CHECK_THAT(source, Catch::Contains("\n_.:\n"));
    CHECK_THAT(source, Catch::Contains("\n_.word:\n"));
    CHECK_THAT(source, !Catch::Contains("middle"));   // inside an instruction: no label there
    CHECK_THAT(source, Catch::Contains("jmp 0x1004"));
    CHECK_THAT(source, Catch::Contains("jmp _r3"));
    const auto p = reassemble(source);
    CHECK(p.image == image);
    CHECK(p.labels.at("dup") == 0x1028);  // the second `dup` is dropped
    CHECK(p.labels.size() == 7);
}

TEST_CASE("round trip: every instruction with varied operands", "[disasm][roundtrip]") {
    std::mt19937 rng(42);
    for (const auto& info : isa::instructionTable()) {
        INFO(info.mnemonic);
        for (int n = 0; n < 40; ++n) {
            std::vector<uint8_t> one;
            randomInstruction(info, rng, one);
            const auto line = disassembleOne(one, 0);
            REQUIRE(line.info == &info);
            CHECK(line.length == one.size());
            // The single line assembles back on its own...
            CHECK(reassemble(line.text).image == one);
        }
        // ...and a whole image of them, with targets named by a namer.
        std::vector<uint8_t> image;
        for (int n = 0; n < 20; ++n) randomInstruction(info, rng, image);
        auto namer = [](uint32_t a) -> std::optional<std::string> { return fmt::format("L{:x}", a); };
        checkRoundTrip(image, 0x8000, namer);
        checkRoundTrip(image, 0);
    }
}

TEST_CASE("round trip: random images", "[disasm][roundtrip]") {
    std::mt19937 rng(1234);
    const auto table = isa::instructionTable();
    for (int n = 0; n < 200; ++n) {
        std::vector<uint8_t> image;
        const int words = int(rng() % 64);
        for (int w = 0; w < words; ++w) {
            switch (rng() % 3) {
            case 0: putWord(image, uint32_t(rng())); break;                  // almost always invalid
            case 1: putWord(image, uint32_t(rng()) & 0xFFFFF000u); break;    // plausible, often invalid fields
            default: randomInstruction(table[rng() % table.size()], rng, image); break;
            }
        }
        for (uint32_t tail = rng() % 4; tail > 0; --tail) image.push_back(uint8_t(rng()));
        const uint32_t origin = (rng() % 2) ? uint32_t(rng() % 0x100000) : (uint32_t(rng()) & 0x0FFFF000u);
        INFO("image " << n);
        checkRoundTrip(image, origin);
        checkRoundTrip(image, origin, [](uint32_t a) -> std::optional<std::string> {
            return a % 3 == 0 ? std::optional<std::string>(fmt::format("a{}", a)) : std::nullopt;
        });
    }
}

TEST_CASE("round trip: an assembled program with its own labels", "[disasm][roundtrip]") {
    const auto p = reassemble(R"(
        .org    0x2000
_start: li      sp, stack
        call    work
        cli
        hlt
work:   ld      r1, [r2 + 8]
        st      [sp - 4], r1
        bne     work
        ret
msg:    .asciz  "odd length"
        .align  4
table:  .word   work, msg, 0x12345678
        .byte   1, 2, 3
        .space  5
stack:
)");
    const auto namer = [&](uint32_t a) { return p.labelAt(a); };
    const std::string source = disassembleImage(p.image, p.origin, namer);
    INFO(source);
    CHECK_THAT(source, Catch::Contains("call work"));
    CHECK_THAT(source, Catch::Contains("bne work"));
    const auto again = reassemble(source);
    CHECK(again.image == p.image);
    CHECK(again.origin == p.origin);
    CHECK(again.labels.at("work") == p.labels.at("work"));
}
