// Words for the loader's messages (scenario_words.h).
#include "scenario/scenario_words.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "cpu-model/costs.h"
#include "cpu-model/isa.h"
#include "cpu-model/vmx.h"
#include "machine/events.h"
#include "machine/hypercalls.h"

namespace ringsim::scenario_detail {

std::string quote(std::string_view s) {
    std::string out = "'";
    size_t n = 0;
    for (char c : s) {
        if (++n > 60) {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (u < 0x20 || u == 0x7f) out += fmt::format("\\x{:02x}", u);
        else out += c;
    }
    return out + "'";
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
    return out;
}

std::vector<std::string> namesOf(const std::vector<Mode>& modes) {
    std::vector<std::string> out;
    for (Mode m : modes) out.emplace_back(modeName(m));
    return out;
}

std::string joined(const std::vector<Mode>& modes, std::string_view separator) {
    return joined(namesOf(modes), separator);
}

namespace {

// Optimal-string-alignment distance (a swap of neighbours counts as one edit:
// the commonest typo). Callers only pass short strings.
size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The known name closest to `given`: at most two edits away (ignoring case),
// or one it is the start of. Empty if none is.
std::string closest(std::string_view given, const std::vector<std::string>& known) {
    const std::string g = lower(given);
    std::string best;
    size_t bestDistance = 3;
    for (const auto& k : known) {
        const std::string kl = lower(k);
        size_t distance = 3;
        const size_t longer = std::max(g.size(), kl.size()), shorter = std::min(g.size(), kl.size());
        if (longer - shorter <= 2) distance = editDistance(g, kl);
        // A prefix ranks behind any close spelling.
        if (distance > 2 && g.size() >= 3 && kl.starts_with(g)) distance = 2;
        if (distance < bestDistance) {
            bestDistance = distance;
            best = k;
        }
    }
    return best;
}

}  // namespace

std::string hint(std::string_view given, const std::vector<std::string>& known, bool listIfNone) {
    const std::string c = closest(given, known);
    if (!c.empty()) return fmt::format(" (did you mean '{}'?)", c);
    if (listIfNone && !known.empty() && known.size() <= 40) return fmt::format(" (known: {})", joined(known));
    return {};
}

std::vector<std::string> modeNames() {
    std::vector<std::string> out;
    for (const auto& m : modeTable()) out.emplace_back(m.name);
    return out;
}

std::vector<std::string> presetNames() {
    std::vector<std::string> out;
    for (const auto& p : presets()) out.emplace_back(p.name);
    return out;
}

std::vector<std::string> costNames() {
    std::vector<std::string> out;
    for (const auto& e : costEntries()) out.emplace_back(e.name);
    for (const auto& i : isa::instructionTable()) out.push_back(fmt::format("insn.{}", i.mnemonic));
    return out;
}

std::vector<std::string> eventKindNames() {
    std::vector<std::string> out;
    for (size_t i = 0; i < kEventKindCount; ++i) out.emplace_back(eventKindName(EventKind(i)));
    return out;
}

std::vector<std::string> exitReasonNames() {
    std::vector<std::string> out;
    for (size_t i = 0; i < kVmExitReasonCount; ++i) out.emplace_back(vmExitReasonName(VmExitReason(i)));
    return out;
}

std::vector<std::string> hypercallNames() {
    std::vector<std::string> out;
    for (const auto& h : hypercallTable()) out.emplace_back(h.name);
    return out;
}

}  // namespace ringsim::scenario_detail
