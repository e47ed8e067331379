// Assembler, step 1: splitting one source line into tokens. Knows nothing of
// instructions or directives; comments are dropped here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringsim::assembler::detail {

enum class TokenKind : uint8_t {
    Name,    // labels, mnemonics, registers, directives, symbols: [A-Za-z_.$][A-Za-z0-9_.$]*
    Number,  // decimal, 0x hex, 0b binary, or a character literal; `value` holds it
    String,  // "..."; `bytes` holds the decoded contents
    Punct,   // operators and separators; `text` holds it
};

struct Token {
    TokenKind kind = TokenKind::Punct;
    std::string text;    // exactly as written
    int64_t value = 0;   // Number
    std::string bytes;   // String, escapes decoded
    size_t offset = 0;   // first byte in the line
    size_t end = 0;      // one past the last byte
    int column = 1;      // 1-based column in the file the text came from (set by the caller)

    bool is(std::string_view punct) const { return kind == TokenKind::Punct && text == punct; }
};

struct LexError {
    size_t offset = 0;
    std::string message;
};

// Tokenises `line` (without its newline). On failure returns false with `error`
// set to the first problem; `out` then holds the tokens before it.
bool lexLine(std::string_view line, std::vector<Token>& out, LexError& error);

constexpr bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '$';
}
constexpr bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }
bool isValidName(std::string_view name);

std::string toLower(std::string_view s);

// True for the directive names the assembler knows (lower-case, with the dot).
bool isDirectiveName(std::string_view lower);

// r0..r15 or sp, any case -> the register number.
std::optional<int> registerNumber(std::string_view name);

// A printable rendering of one byte for messages: 'x' or 0x1f.
std::string describeByte(unsigned char c);

// Decodes the escape sequence starting at s[i] == '\\'; advances i past it.
// Returns false (with a message) for an unknown or malformed escape.
bool decodeEscape(std::string_view s, size_t& i, char& out, std::string& message);

}  // namespace ringsim::assembler::detail
