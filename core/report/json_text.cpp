#include "report/json_text.h"

namespace ringsim {

std::string bytesAsJsonText(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x80) {
            out += c;
        } else {  // U+0080..U+00FF in UTF-8: two bytes
            out += static_cast<char>(0xC0 | (b >> 6));
            out += static_cast<char>(0x80 | (b & 0x3F));
        }
    }
    return out;
}

std::string dumpJson(const nlohmann::json& j, int indent) {
    return j.dump(indent, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace ringsim
