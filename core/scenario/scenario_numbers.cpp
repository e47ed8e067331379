// Numbers as a scenario file writes them (scenario_numbers.h).
#include "scenario/scenario_numbers.h"

#include <charconv>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

namespace ringsim::scenario_detail {

namespace {
// A decimal number, all of `s` and nothing else: std::from_chars's double.
// The web edition's libc++ (Emscripten 3.1.6) has no from_chars for double,
// so there strtod reads it, refusing what from_chars refuses and strtod
// would take (leading space or '+', hexadecimal).
std::optional<double> decimal(std::string_view s) {
    double v = 0;
#ifdef __EMSCRIPTEN__
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])) || s[0] == '+' ||
        s.find_first_of("xX") != std::string_view::npos)
        return std::nullopt;
    const std::string text(s);
    char* end = nullptr;
    errno = 0;
    v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE) return std::nullopt;
#else
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
#endif
    return v;
}
}  // namespace

Whole parseWhole(std::string_view s) {
    Whole w;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        w.negative = s[0] == '-';
        s.remove_prefix(1);
    }
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
    }
    std::string digits;
    for (size_t i = 0; i < s.size(); ++i) {
        // '_' groups digits (2_000_000), only between two of them.
        if (s[i] == '_' && i > 0 && i + 1 < s.size() && s[i - 1] != '_') continue;
        digits += s[i];
    }
    if (digits.empty()) return w;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), w.value, base);
    if (end != digits.data() + digits.size()) return w;
    if (ec == std::errc::result_out_of_range) w.tooLarge = true;
    else if (ec != std::errc()) return w;
    w.ok = true;
    return w;
}

std::optional<double> parseNumber(std::string_view s) {
    const Whole w = parseWhole(s);
    if (w.ok && !w.tooLarge) return w.negative ? -double(w.value) : double(w.value);
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    const std::optional<double> v = decimal(s);
    if (!v || !std::isfinite(*v)) return std::nullopt;
    return v;
}

}  // namespace ringsim::scenario_detail
