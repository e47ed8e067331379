#include "asm_lexer.h"

#include <fmt/format.h>

namespace ringsim::assembler::detail {
namespace {

int digitValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

// Parses the text of a numeric literal: decimal, 0x hex or 0b binary.
bool parseNumber(std::string_view text, int64_t& value, std::string& message) {
    int base = 10;
    std::string_view digits = text;
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        digits = text.substr(2);
    } else if (text.size() >= 2 && text[0] == '0' && (text[1] == 'b' || text[1] == 'B')) {
        base = 2;
        digits = text.substr(2);
    }
    if (digits.empty()) {
        message = fmt::format("invalid number '{}'", text);
        return false;
    }
    uint64_t v = 0;
    for (char c : digits) {
        const int d = digitValue(c);
        if (d >= base) {
            message = fmt::format("invalid number '{}'", text);
            return false;
        }
        if (v > (uint64_t(INT64_MAX) - uint64_t(d)) / uint64_t(base)) {
            message = fmt::format("number '{}' is too large", text);
            return false;
        }
        v = v * uint64_t(base) + uint64_t(d);
    }
    value = int64_t(v);
    return true;
}

constexpr std::string_view kTwoCharPuncts[] = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||"};
constexpr std::string_view kOneCharPuncts = ",:[]()+-*/%<>!~&|^=";

constexpr std::string_view kDirectives[] = {
    ".org",   ".word", ".byte", ".ascii", ".asciz", ".space", ".align", ".equ",    ".set",   ".include",
    ".macro", ".endm", ".if",   ".elif",  ".else",  ".endif", ".ifdef", ".ifndef", ".error",
};

}  // namespace

bool isDirectiveName(std::string_view lower) {
    for (auto d : kDirectives)
        if (d == lower) return true;
    return false;
}

bool isValidName(std::string_view name) {
    if (name.empty() || !isNameStart(name[0])) return false;
    for (char c : name)
        if (!isNameChar(c)) return false;
    return true;
}

std::string toLower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

std::optional<int> registerNumber(std::string_view name) {
    if (name.size() < 2 || name.size() > 3) return std::nullopt;
    const std::string n = toLower(name);
    if (n == "sp") return 15;
    if (n[0] != 'r') return std::nullopt;
    if (n.size() == 2 && n[1] >= '0' && n[1] <= '9') return n[1] - '0';
    if (n.size() == 3 && n[1] == '1' && n[2] >= '0' && n[2] <= '5') return 10 + (n[2] - '0');
    return std::nullopt;
}

std::string describeByte(unsigned char c) {
    if (c >= 0x21 && c < 0x7f) return fmt::format("'{}'", char(c));
    return fmt::format("0x{:02x}", unsigned(c));
}

bool decodeEscape(std::string_view s, size_t& i, char& out, std::string& message) {
    // s[i] is the backslash.
    if (i + 1 >= s.size()) {
        message = "unfinished escape sequence";
        return false;
    }
    const char e = s[i + 1];
    switch (e) {
    case 'n': out = '\n'; break;
    case 't': out = '\t'; break;
    case 'r': out = '\r'; break;
    case '0': out = '\0'; break;
    case '\\': out = '\\'; break;
    case '\'': out = '\''; break;
    case '"': out = '"'; break;
    case 'x': {
        if (i + 3 >= s.size() || digitValue(s[i + 2]) >= 16 || digitValue(s[i + 3]) >= 16) {
            message = "'\\x' must be followed by two hex digits";
            return false;
        }
        out = char(digitValue(s[i + 2]) * 16 + digitValue(s[i + 3]));
        i += 4;
        return true;
    }
    default:
        message = fmt::format("unknown escape sequence '\\{}'", e >= 0x21 && e < 0x7f ? std::string(1, e)
                                                                                      : describeByte(uint8_t(e)));
        return false;
    }
    i += 2;
    return true;
}

bool lexLine(std::string_view line, std::vector<Token>& out, LexError& error) {
    size_t i = 0;
    const size_t n = line.size();
    auto fail = [&](size_t at, std::string message) {
        error.offset = at;
        error.message = std::move(message);
        return false;
    };
    while (i < n) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
            continue;
        }
        if (c == ';' || c == '#') break;  // comment to the end of the line
        Token t;
        t.offset = i;
        if (isNameStart(c)) {
            size_t j = i + 1;
            while (j < n && isNameChar(line[j])) ++j;
            t.kind = TokenKind::Name;
            t.text = std::string(line.substr(i, j - i));
            i = j;
        } else if (c >= '0' && c <= '9') {
            size_t j = i + 1;
            while (j < n && (isNameChar(line[j]) && line[j] != '.' && line[j] != '$')) ++j;
            t.kind = TokenKind::Number;
            t.text = std::string(line.substr(i, j - i));
            std::string message;
            if (!parseNumber(t.text, t.value, message)) return fail(i, message);
            i = j;
        } else if (c == '\'') {
            size_t j = i + 1;
            char value = 0;
            if (j >= n) return fail(i, "unterminated character literal");
            if (line[j] == '\'') return fail(i, "empty character literal");
            if (line[j] == '\\') {
                std::string message;
                if (!decodeEscape(line, j, value, message)) return fail(j, message);
            } else {
                value = line[j];
                ++j;
            }
            if (j >= n) return fail(i, "unterminated character literal");
            if (line[j] != '\'') {
                // Either more than one character or a missing quote.
                size_t k = j;
                while (k < n && line[k] != '\'') ++k;
                if (k >= n) return fail(i, "unterminated character literal");
                return fail(i, "character literal holds more than one character");
            }
            ++j;
            t.kind = TokenKind::Number;
            t.text = std::string(line.substr(i, j - i));
            t.value = uint8_t(value);
            i = j;
        } else if (c == '"') {
            size_t j = i + 1;
            std::string bytes;
            bool closed = false;
            while (j < n) {
                if (line[j] == '"') {
                    closed = true;
                    ++j;
                    break;
                }
                if (line[j] == '\\') {
                    char value = 0;
                    std::string message;
                    if (!decodeEscape(line, j, value, message)) return fail(j, message);
                    bytes += value;
                } else {
                    bytes += line[j];
                    ++j;
                }
            }
            if (!closed) return fail(i, "unterminated string");
            t.kind = TokenKind::String;
            t.text = std::string(line.substr(i, j - i));
            t.bytes = std::move(bytes);
            i = j;
        } else {
            t.kind = TokenKind::Punct;
            bool found = false;
            if (i + 1 < n) {
                const std::string_view two = line.substr(i, 2);
                for (auto p : kTwoCharPuncts)
                    if (p == two) {
                        t.text = std::string(p);
                        found = true;
                        break;
                    }
            }
            if (!found && kOneCharPuncts.find(c) != std::string_view::npos) {
                t.text = std::string(1, c);
                found = true;
            }
            if (!found) {
                if (c == '\\')
                    return fail(i, "unexpected '\\' (a macro parameter outside a macro, or not a parameter of it)");
                return fail(i, fmt::format("unexpected character {}", describeByte(uint8_t(c))));
            }
            i += t.text.size();
        }
        t.end = i;
        out.push_back(std::move(t));
    }
    return true;
}

}  // namespace ringsim::assembler::detail
