// Numbers as a scenario file writes them (scenario_numbers.h).
#include "scenario/scenario_numbers.h"

#include <charconv>
#include <cmath>
#include <string>

namespace ringsim::scenario_detail {

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
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace ringsim::scenario_detail
