// Which console patterns std::regex can take safely (scenario_regex.h).
#include "scenario/scenario_regex.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

#include "scenario/scenario_limits.h"

namespace ringsim::scenario_detail {

std::string regexTooComplex(std::string_view re) {
    if (re.size() > kMaxRegexLength) return fmt::format("is longer than {} characters", kMaxRegexLength);
    constexpr double kMaxStates = 20'000;
    std::vector<double> group{0};  // states in each open group
    double last = 0;               // states of the atom a quantifier would repeat
    for (size_t i = 0; i < re.size(); ++i) {
        const char c = re[i];
        if (c == '\\') {
            ++i;
            last = 1;
        } else if (c == '[') {
            size_t j = i + 1;
            if (j < re.size() && re[j] == '^') ++j;
            if (j < re.size() && re[j] == ']') ++j;
            while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
            i = j;
            last = 1;
        } else if (c == '(') {
            if (group.size() > 16) return "nests groups more than 16 deep";
            group.push_back(0);
            last = 0;
            continue;
        } else if (c == ')') {
            if (group.size() > 1) {
                last = group.back() + 1;
                group.pop_back();
                group.back() += last;
            }
            continue;
        } else if (c == '{') {
            // {n}, {n,} or {n,m}: the atom is copied max(n, m) times.
            size_t j = i + 1;
            uint64_t n = 0, m = 0;
            bool digits = false, comma = false;
            for (; j < re.size() && (std::isdigit(static_cast<unsigned char>(re[j])) || re[j] == ','); ++j) {
                if (re[j] == ',') {
                    if (comma) break;
                    comma = true;
                    continue;
                }
                digits = true;
                uint64_t& target = comma ? m : n;
                target = std::min<uint64_t>(target * 10 + uint64_t(re[j] - '0'), 1'000'000);
            }
            if (digits && j < re.size() && re[j] == '}') {
                const uint64_t count = std::max(n, m);
                if (count > 1000) return "repeats something more than 1000 times";
                group.back() += last * double(count);
                last *= double(std::max<uint64_t>(count, 1));
                if (group.back() > kMaxStates) return "is too complex (it expands to too many steps)";
                i = j;
                continue;
            }
            last = 1;
        } else if (c == '*' || c == '+' || c == '?' || c == '|' || c == '^' || c == '$') {
            last = last ? last : 1;
            group.back() += 1;
            continue;
        } else {
            last = 1;
        }
        group.back() += last;
        if (group.back() > kMaxStates) return "is too complex (it expands to too many steps)";
    }
    return {};
}

}  // namespace ringsim::scenario_detail
