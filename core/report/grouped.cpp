#include "grouped.h"

namespace ringsim {

std::string grouped(int64_t n, bool sign) {
    // The magnitude as unsigned, so the most negative number has one too.
    const uint64_t magnitude = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);
    const std::string digits = std::to_string(magnitude);
    // Built a character at a time: g++ 12 warns falsely (-Wrestrict) about string inserts here.
    std::string out;
    if (n < 0 || sign) out += n < 0 ? '-' : '+';
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace ringsim
