#include "monitors/hypercall_log.h"

#include <cctype>

namespace ringsim {

namespace {

// The operands written as "rN = meaning" in `text`, each meaning running to
// the next operand (a comma before "rM =" belongs to neither).
std::vector<HypercallOperand> operandsIn(std::string_view text) {
    std::vector<HypercallOperand> out;
    auto operandAt = [&](size_t i) {
        return i + 5 <= text.size() && text[i] == 'r' && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
               text.substr(i + 2, 3) == " = " && (i == 0 || text[i - 1] == ' ');
    };
    for (size_t i = 0; i < text.size(); ++i) {
        if (!operandAt(i)) continue;
        if (!out.empty()) {
            // Close the previous meaning before this operand, without the ", " between them.
            std::string_view& prev = out.back().meaning;
            size_t end = size_t(text.data() + i - prev.data());
            while (end > 0 && (prev[end - 1] == ' ' || prev[end - 1] == ',')) --end;
            prev = prev.substr(0, end);
        }
        out.push_back({text[i + 1] - '0', text.substr(i + 5)});
    }
    return out;
}

}  // namespace

HypercallSignature hypercallSignature(const HypercallInfo& info) {
    const std::string_view text = info.arguments;
    const size_t arrow = text.find("->");
    HypercallSignature s;
    s.inputs = operandsIn(text.substr(0, arrow == std::string_view::npos ? text.size() : arrow));
    if (arrow != std::string_view::npos) s.outputs = operandsIn(text.substr(arrow + 2));
    for (auto& op : s.inputs)
        while (!op.meaning.empty() && op.meaning.back() == ' ') op.meaning.remove_suffix(1);
    return s;
}

}  // namespace ringsim
