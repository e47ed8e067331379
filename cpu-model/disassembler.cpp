#include "disassembler.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <vector>

#include "asm_lexer.h"

namespace ringsim::disassembler {
namespace {

using assembler::detail::isNameChar;
using assembler::detail::isNameStart;
using assembler::detail::isValidName;
using assembler::detail::registerNumber;
using assembler::detail::toLower;

uint32_t le32(std::span<const uint8_t> bytes, size_t at) {
    return uint32_t(bytes[at]) | uint32_t(bytes[at + 1]) << 8 | uint32_t(bytes[at + 2]) << 16 |
           uint32_t(bytes[at + 3]) << 24;
}

std::string reg(int n) { return n == isa::kStackPointer ? std::string("sp") : fmt::format("r{}", n); }

// Small values in decimal (signed), others in hex.
std::string immediate(uint32_t v) {
    const int32_t s = int32_t(v);
    if (s >= -4096 && s <= 4096) return fmt::format("{}", s);
    return fmt::format("0x{:x}", v);
}

std::string memory(int base, uint32_t offset) {
    const int32_t s = int32_t(offset);
    if (s == 0) return fmt::format("[{}]", reg(base));
    if (s > 0 && s <= 4096) return fmt::format("[{} + {}]", reg(base), s);
    if (s < 0 && s >= -4096) return fmt::format("[{} - {}]", reg(base), -int64_t(s));
    return fmt::format("[{} + 0x{:x}]", reg(base), offset);
}

// A name the assembler accepts as a label and reads back as that label.
bool usableLabel(const std::string& name) {
    return isValidName(name) && name != "." && !registerNumber(name);
}

// Makes a namer's name usable as a label: invalid characters become `_`,
// names that start with a digit or read as a register, mnemonic or directive
// get a `_` in front. Empty stays empty (no label).
std::string sanitize(const std::string& name) {
    if (name.empty()) return {};
    std::string s;
    for (char c : name) s += isNameChar(c) ? c : '_';
    const std::string lower = toLower(s);
    if (!isNameStart(s[0]) || s == "." || registerNumber(s) || isa::infoForMnemonic(lower) ||
        assembler::detail::isDirectiveName(lower))
        s = "_" + s;
    return s;
}

std::string byteLine(std::span<const uint8_t> bytes) {
    std::string text = ".byte ";
    for (size_t i = 0; i < bytes.size(); ++i) text += fmt::format("{}0x{:02x}", i ? ", " : "", bytes[i]);
    return text;
}

}  // namespace

Line disassembleOne(std::span<const uint8_t> bytes, uint32_t address, const SymbolNamer& namer) {
    Line line;
    line.address = address;
    if (bytes.size() < 4) {
        line.length = uint32_t(bytes.size());
        line.text = bytes.empty() ? std::string() : byteLine(bytes);
        return line;
    }
    const uint32_t word = le32(bytes, 0);
    line.length = 4;
    line.text = fmt::format(".word 0x{:08x}", word);
    const isa::InstructionInfo* info = isa::validEncoding(word);
    if (!info) return line;
    isa::Fields f;
    f.a = uint8_t((word >> 20) & 15);
    f.b = uint8_t((word >> 16) & 15);
    f.c = uint8_t((word >> 12) & 15);
    const isa::Format format = info->format;
    if (isa::hasImmediateWord(format)) {
        if (bytes.size() < 8) return line;  // the immediate is missing
        f.imm = le32(bytes, 4);
    }
    line.length = isa::lengthOf(format);
    line.info = info;
    line.fields = f;

    const std::string_view m = info->mnemonic;
    using F = isa::Format;
    switch (format) {
    case F::None: line.text = std::string(m); break;
    case F::R: line.text = fmt::format("{} {}", m, reg(f.a)); break;
    case F::RR: line.text = fmt::format("{} {}, {}", m, reg(f.a), reg(f.b)); break;
    case F::RRR: line.text = fmt::format("{} {}, {}, {}", m, reg(f.a), reg(f.b), reg(f.c)); break;
    case F::RI: line.text = fmt::format("{} {}, {}", m, reg(f.a), immediate(f.imm)); break;
    case F::RRI: line.text = fmt::format("{} {}, {}, {}", m, reg(f.a), reg(f.b), immediate(f.imm)); break;
    case F::Target: {
        std::optional<std::string> name;
        if (namer) name = namer(f.imm);
        if (name && usableLabel(*name)) line.text = fmt::format("{} {}", m, *name);
        else line.text = fmt::format("{} 0x{:x}", m, f.imm);
        break;
    }
    case F::Imm: line.text = fmt::format("{} {}", m, immediate(f.imm)); break;
    case F::Load: line.text = fmt::format("{} {}, {}", m, reg(f.a), memory(f.b, f.imm)); break;
    case F::Store: line.text = fmt::format("{} {}, {}", m, memory(f.b, f.imm), reg(f.a)); break;
    case F::PortIn: line.text = fmt::format("{} {}, 0x{:x}", m, reg(f.a), f.imm); break;
    case F::PortOut: line.text = fmt::format("{} 0x{:x}, {}", m, f.imm, reg(f.a)); break;
    case F::Cr:
        line.text = fmt::format("{} {}, {}", m, reg(f.a), isa::controlRegisterName(isa::ControlRegister(f.b)));
        break;
    }
    return line;
}

std::string disassembleImage(std::span<const uint8_t> image, uint32_t origin, const SymbolNamer& namer) {
    // Lay out the lines first: labels can only go where a line starts (or at the end).
    struct Piece {
        size_t offset;
        size_t length;
    };
    std::vector<Piece> pieces;
    for (size_t off = 0; off < image.size();) {
        const size_t left = image.size() - off;
        const size_t length = left < 4 ? left : disassembleOne(image.subspan(off), 0).length;
        pieces.push_back({off, length});
        off += length;
    }

    std::map<uint32_t, std::string> names;
    if (namer) {
        std::set<std::string> used;
        auto consider = [&](size_t offset) {
            const uint32_t address = uint32_t(origin + offset);
            auto name = namer(address);
            if (!name) return;
            std::string s = sanitize(*name);
            if (s.empty() || used.count(s)) return;
            used.insert(s);
            names[address] = std::move(s);
        };
        for (const auto& p : pieces) consider(p.offset);
        consider(image.size());
    }
    const SymbolNamer known = [&](uint32_t address) -> std::optional<std::string> {
        auto it = names.find(address);
        if (it == names.end()) return std::nullopt;
        return it->second;
    };

    std::string out = fmt::format(".org 0x{:x}\n", origin);
    auto label = [&](size_t offset) {
        auto it = names.find(uint32_t(origin + offset));
        if (it != names.end()) out += it->second + ":\n";
    };
    for (const auto& p : pieces) {
        label(p.offset);
        const auto bytes = image.subspan(p.offset, p.length);
        const std::string text = p.length < 4 ? byteLine(bytes)
                                              : disassembleOne(bytes, uint32_t(origin + p.offset), known).text;
        out += "        " + text + "\n";
    }
    label(image.size());
    return out;
}

}  // namespace ringsim::disassembler
