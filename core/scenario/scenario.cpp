// libstdc++ 12's <regex> trips a false -Wmaybe-uninitialized in the
// std::function inside its automaton (sanitizer builds); it is about the
// standard headers, which this file includes before its own code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// Loading a scenario file: YAML in, a checked Scenario out. Every problem is
// an InputError "file:line: key: problem", because a lecturer fixing a file
// needs to know where to look; nothing in the input may crash the loader
// (fuzz/scenario_fuzz.cpp feeds it random bytes).
#include "scenario/scenario.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cpu-model/costs.h"
#include "cpu-model/isa.h"
#include "cpu-model/vmx.h"
#include "machine/errors.h"
#include "machine/events.h"
#include "machine/hypercalls.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/vm_host.h"

namespace ringsim {

namespace {

namespace fs = std::filesystem;

// Limits of the format (docs/scenarios.md lists them).
constexpr uint32_t kMaxVms = 256;
constexpr uint32_t kMaxContainers = 31;
constexpr uint32_t kMaxInstances = 256;
constexpr uint64_t kMaxCycleBudget = uint64_t(1) << 50;  // as the CLI's --max-cycles
constexpr uint64_t kMaxSlice = uint64_t(1) << 40;
constexpr uint64_t kMaxNth = 1'000'000'000;
constexpr size_t kMinStops = 1, kMaxStops = 20;
constexpr size_t kMaxSayLength = 600;  // about four sentences
constexpr size_t kMaxRegexLength = 500;

const std::vector<std::string> kPlaceholders = {"cycle",  "ring_before", "ring_after", "kind", "pc",  "detail",
                                                "reason", "cost",        "vector",     "vm",   "mode"};

// ---------------------------------------------------------------- words

// User text inside a message: quoted, on one line, and short, so a huge or
// binary value cannot swamp the message.
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

std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
    return out;
}

std::vector<std::string> namesOf(const std::vector<Mode>& modes) {
    std::vector<std::string> out;
    for (Mode m : modes) out.emplace_back(modeName(m));
    return out;
}

std::string joined(const std::vector<Mode>& modes, std::string_view separator = ", ") {
    return joined(namesOf(modes), separator);
}

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

// " (did you mean 'x'?)", or the known names when none is close.
std::string hint(std::string_view given, const std::vector<std::string>& known, bool listIfNone = true) {
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

// ---------------------------------------------------------------- numbers

struct Whole {
    bool ok = false;        // digits (0x.. hex, '_' between digits allowed)
    bool negative = false;  // it had a leading '-'
    bool tooLarge = false;  // more than 64 bits
    uint64_t value = 0;
};

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

// ---------------------------------------------------------------- regexes

// libstdc++'s std::regex compiles and matches recursively and copies a
// counted repetition once per count: a deeply nested or hugely repeated
// pattern would exhaust the stack or the memory. Console patterns are short,
// so such patterns are refused before they are compiled. Returns why, or "".
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

// ---------------------------------------------------------------- the walker

// A value in the file with where it is: its dotted key and its line.
struct Value {
    YAML::Node node;
    std::string key;
    int line = 0;
};

// A null value's mark points past it (at the next token), so the key's line is used instead.
int lineOf(const YAML::Node& n, int fallback) {
    if (!n.IsDefined() || n.IsNull()) return fallback;
    const YAML::Mark m = n.Mark();
    return m.is_null() ? fallback : m.line + 1;
}

std::string kindOf(const YAML::Node& n) {
    if (!n.IsDefined() || n.IsNull()) return "nothing";
    if (n.IsMap()) return "a map";
    if (n.IsSequence()) return "a list";
    return "the text " + quote(n.Scalar());
}

// A key as part of a dotted path: as written if it is short and printable,
// else quoted and cut, so a message stays one readable line.
std::string join(const std::string& parent, std::string_view name) {
    const bool plain = name.size() <= 60 && std::all_of(name.begin(), name.end(), [](char c) {
                           return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
                       });
    const std::string shown = plain ? std::string(name) : quote(name);
    return parent.empty() ? shown : parent + "." + shown;
}

class Loader;

// The entries of one map, after checking its keys: each is a text, none is
// given twice, and each is one the format knows (else "did you mean").
class Fields {
public:
    Fields(const Loader& loader, const Value& map, const std::vector<std::string>& known);
    std::optional<Value> get(std::string_view name) const {
        for (const auto& [n, v] : entries_)
            if (n == name) return v;
        return std::nullopt;
    }
    bool has(std::string_view name) const { return get(name).has_value(); }
    Value require(std::string_view name, std::string_view what = {}) const;
    const Value& self() const { return self_; }
    const std::vector<std::pair<std::string, Value>>& entries() const { return entries_; }
    int keyLine(std::string_view name) const {
        for (size_t i = 0; i < entries_.size(); ++i)
            if (entries_[i].first == name) return keyLines_[i];
        return self_.line;
    }

private:
    const Loader& loader_;
    Value self_;
    std::vector<std::pair<std::string, Value>> entries_;
    std::vector<int> keyLines_;
};

class Loader {
public:
    explicit Loader(std::string file) : file_(std::move(file)) {
        std::error_code ec;
        fs::path folder = fs::path(file_).parent_path();
        folder_ = fs::absolute(folder.empty() ? fs::path(".") : folder, ec);
        if (ec) folder_ = folder;
    }

    [[noreturn]] void fail(int line, std::string_view key, const std::string& problem) const {
        std::string message = file_;
        if (line > 0) message += fmt::format(":{}", line);
        message += ": ";
        if (!key.empty()) message += std::string(key) + ": ";
        throw InputError(message + problem);
    }
    [[noreturn]] void fail(const Value& v, const std::string& problem) const { fail(v.line, v.key, problem); }

    Scenario scenario(const YAML::Node& root);

    // Typed values.
    std::string text(const Value& v, bool allowEmpty = false) const {
        if (!v.node.IsDefined() || v.node.IsNull()) {
            if (allowEmpty) return {};
            fail(v, "is empty; a text is needed");
        }
        if (!v.node.IsScalar()) fail(v, "expects a text, not " + kindOf(v.node));
        std::string s = v.node.Scalar();
        if (s.empty() && !allowEmpty) fail(v, "is empty; a text is needed");
        return s;
    }
    bool flag(const Value& v) const {
        const std::string s = lower(scalar(v, "true or false"));
        if (s == "true" || s == "yes" || s == "on") return true;
        if (s == "false" || s == "no" || s == "off") return false;
        fail(v, fmt::format("expects true or false, not {}", quote(v.node.Scalar())));
    }
    uint64_t whole(const Value& v, uint64_t min, uint64_t max) const {
        const std::string s = scalar(v, "a whole number");
        const Whole w = parseWhole(s);
        if (!w.ok) fail(v, fmt::format("expects a whole number, not {}", quote(s)));
        if ((w.negative && w.value != 0) || w.tooLarge || w.value < min || w.value > max)
            fail(v, fmt::format("must be from {} to {}, not {}", min, max, quote(s)));
        return w.value;
    }
    int64_t signedWhole(const Value& v, int64_t min, int64_t max) const {
        // Callers' bounds lie well inside int64_t, so the checks below cannot overflow.
        const std::string s = scalar(v, "a whole number");
        const Whole w = parseWhole(s);
        if (!w.ok) fail(v, fmt::format("expects a whole number, not {}", quote(s)));
        const bool fits = !w.tooLarge && (w.negative ? w.value <= uint64_t(-min) : w.value <= uint64_t(max));
        if (!fits) fail(v, fmt::format("must be from {} to {}, not {}", min, max, quote(s)));
        return w.negative ? -int64_t(w.value) : int64_t(w.value);
    }
    std::vector<Value> list(const Value& v) const {
        if (!v.node.IsSequence())
            fail(v, fmt::format("expects a list ([a, b], or lines starting with '- '), not {}", kindOf(v.node)));
        std::vector<Value> items;
        size_t i = 0;
        for (const auto& item : v.node) {
            ++i;
            items.push_back({item, fmt::format("{}[{}]", v.key, i), lineOf(item, v.line)});
        }
        return items;
    }
    // A mode name: one of the mode table's.
    Mode mode(const Value& v) const {
        const std::string name = text(v);
        const auto m = modeFromName(name);
        if (!m) fail(v, fmt::format("unknown mode {}{}", quote(name), hint(name, modeNames())));
        return *m;
    }
    std::string preset(const Value& v) const {
        const std::string name = text(v);
        if (!presetNamed(name)) fail(v, fmt::format("unknown preset {}{}", quote(name), hint(name, presetNames())));
        return name;
    }
    // A source file: resolved against the scenario's folder; it must be a
    // readable, non-empty regular file (so /dev and /proc paths are refused
    // before anything tries to read them whole).
    std::string sourceFile(const Value& v) const {
        const std::string given = text(v);
        if (given.find('\0') != std::string::npos) fail(v, "a file name cannot contain a NUL character");
        fs::path p(given);
        if (p.is_relative()) p = folder_ / p;
        p = p.lexically_normal();
        // A path too long to be real is cut in the message.
        const std::string shown = p.string().size() <= 300 ? p.string() : quote(p.string());
        std::error_code ec;
        const auto status = fs::status(p, ec);
        if (ec || !fs::exists(status)) fail(v, fmt::format("file not found: {}", shown));
        if (!fs::is_regular_file(status)) fail(v, fmt::format("not a file: {}", shown));
        // Assembled as a source, a scenario would only give "unknown mnemonic": say what it is.
        if (const auto ext = p.extension(); ext == ".yaml" || ext == ".yml")
            fail(v, fmt::format("{} is a scenario file, not an assembly source (.s)", shown));
        const auto size = fs::file_size(p, ec);
        if (ec) fail(v, fmt::format("cannot read {}", shown));
        if (size == 0) fail(v, fmt::format("the file is empty: {}", shown));
        std::ifstream in(p);
        if (!in) fail(v, fmt::format("cannot read {}", shown));
        return p.string();
    }

    const std::string& file() const { return file_; }

private:
    std::string scalar(const Value& v, std::string_view what) const {
        if (!v.node.IsDefined() || v.node.IsNull()) fail(v, fmt::format("is empty; {} is needed", what));
        if (!v.node.IsScalar()) fail(v, fmt::format("expects {}, not {}", what, kindOf(v.node)));
        return v.node.Scalar();
    }

    void machine(const Value& v, Scenario& s, int& pagingLine) const;
    // The values of guests' keys that are checked again once the modes are known.
    struct GuestKeys {
        Value self;
        std::optional<Value> count, weights;
    };
    GuestKeys guests(const Value& v, Scenario& s) const;
    void modes(const std::optional<Value>& v, Scenario& s) const;
    void checkGuestsAgainstModes(const Scenario& s, const GuestKeys& keys) const;
    void diverges(const Value& body, const Scenario& s, const Expectation& e, std::vector<Expectation>& out) const;
    void expectations(const Value& v, Scenario& s) const;
    void console(const Value& v, Expectation& e) const;
    void counter(const Value& v, Expectation& e) const;
    std::vector<Mode> modeList(const Value& v, const Scenario& s, std::string_view what) const;
    void tour(const Value& v, Scenario& s) const;
    void stop(const Value& v, const Scenario& s, const Tour& tour, TourStop& stop) const;
    void checkLabel(const Value& v, const Scenario& s, const Tour& tour, const std::string& label) const;
    void say(const Value& v, TourStop& stop) const;
    void checkRuns(const Scenario& s, int machineLine) const;

    std::string file_;
    fs::path folder_;
    // The builds label stops were looked up in: unmodified, paravirtual.
    mutable std::optional<GuestImages> builds_[2];
};

Fields::Fields(const Loader& loader, const Value& map, const std::vector<std::string>& known)
    : loader_(loader), self_(map) {
    if (!map.node.IsMap())
        loader.fail(map, fmt::format("expects a map (lines of key: value), not {}", kindOf(map.node)));
    for (auto it = map.node.begin(); it != map.node.end(); ++it) {
        const YAML::Node k = it->first;  // a copy: `first` lives in the iterator's temporary
        const int line = lineOf(k, map.line);
        if (!k.IsScalar())
            loader.fail(line, map.key, fmt::format("a key must be a plain name, not {}", kindOf(k)));
        const std::string name = k.Scalar();
        const std::string path = join(map.key, name);
        for (size_t i = 0; i < entries_.size(); ++i)
            if (entries_[i].first == name)
                loader.fail(line, path, fmt::format("given twice (first on line {})", keyLines_[i]));
        if (std::find(known.begin(), known.end(), name) == known.end())
            loader.fail(line, path, fmt::format("unknown key {}{}", quote(name), hint(name, known)));
        entries_.push_back({name, Value{it->second, path, lineOf(it->second, line)}});
        keyLines_.push_back(line);
    }
}

Value Fields::require(std::string_view name, std::string_view what) const {
    if (auto v = get(name)) return *v;
    loader_.fail(self_.line, join(self_.key, name),
                 fmt::format("missing{}{}", what.empty() ? "" : ": ", what.empty() ? "" : std::string(what)));
}

// ---------------------------------------------------------------- machine

uint32_t parseMemory(const Loader& L, const Value& v) {
    if (!v.node.IsDefined() || v.node.IsNull() || !v.node.IsScalar())
        L.fail(v, fmt::format("expects a size (bytes, or \"<n> KiB\", \"<n> MiB\"), not {}", kindOf(v.node)));
    const std::string s = v.node.Scalar();
    uint64_t bytes = 0;
    const Whole plain = parseWhole(s);
    if (plain.ok && !plain.negative && !plain.tooLarge) {
        bytes = plain.value;
    } else {
        // "<n> KiB|MiB|GiB", the space optional.
        size_t i = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        size_t j = i;
        while (j < s.size() && s[j] == ' ') ++j;
        const std::string unit = s.substr(j);
        const Whole n = parseWhole(std::string_view(s).substr(0, i));
        const uint64_t scale = unit == "KiB" ? 1u << 10 : unit == "MiB" ? 1u << 20 : unit == "GiB" ? 1u << 30 : 0;
        if (!n.ok || n.tooLarge || !scale)
            L.fail(v, fmt::format("expects a size in bytes, or \"<n> KiB\" / \"<n> MiB\" / \"<n> GiB\", not {}",
                                  quote(s)));
        // Anything past 4 GiB is refused below; stop there so the product cannot overflow.
        bytes = n.value > (uint64_t(1) << 32) ? uint64_t(1) << 32 : n.value * scale;
    }
    if (bytes > 0xFFFF'F000u) L.fail(v, fmt::format("{} is more than the machine can address (4 GiB)", quote(s)));
    if (bytes < isa::kPageSize * 4 || bytes % isa::kPageSize)
        L.fail(v, fmt::format("{} must be a multiple of 4096 bytes and at least 16 KiB", quote(s)));
    return uint32_t(bytes);
}

void Loader::machine(const Value& v, Scenario& s, int& pagingLine) const {
    const Fields f(*this, v, {"memory", "strict", "hardware_assist", "paging", "preset", "costs", "max_cycles"});
    ScenarioMachine& m = s.machine;
    if (auto x = f.get("memory")) m.memoryBytes = parseMemory(*this, *x);
    if (auto x = f.get("strict")) m.strict = flag(*x);
    if (auto x = f.get("hardware_assist")) m.hardwareAssist = flag(*x);
    if (auto x = f.get("preset")) m.preset = preset(*x);
    if (auto x = f.get("max_cycles")) m.maxCycles = whole(*x, 1, kMaxCycleBudget);
    if (auto x = f.get("paging")) {
        pagingLine = x->line;
        const std::string p = text(*x);
        const std::vector<std::string> known = {"auto", "nested", "shadow"};
        if (std::find(known.begin(), known.end(), p) == known.end())
            fail(*x, fmt::format("unknown paging {}{}", quote(p), hint(p, known)));
        m.paging = p;
        const Preset* preset = presetNamed(m.preset);
        if (p == "nested" && !m.hardwareAssist)
            fail(*x, "nested paging needs hardware assistance, but hardware_assist is false");
        if (p == "nested" && preset && !preset->nestedPaging)
            fail(*x, fmt::format("the '{}' preset's CPU cannot walk nested page tables; use auto or shadow, or "
                                 "the modern preset",
                                 m.preset));
    }
    if (auto x = f.get("costs")) {
        const Fields costs(*this, *x, costNames());
        Costs scratch = presetNamed(m.preset)->costs;
        for (const auto& [name, value] : costs.entries()) {
            const uint64_t cycles = whole(value, 0, 100'000'000);
            if (auto error = applyCostOverride(scratch, name, std::to_string(cycles))) fail(value, *error);
            m.costOverrides.push_back(fmt::format("{}={}", name, cycles));
        }
    }
}

// ---------------------------------------------------------------- guests

Loader::GuestKeys Loader::guests(const Value& v, Scenario& s) const {
    const Fields f(*this, v,
                   {"kernel", "programs", "defines", "vms", "containers", "instances", "weights", "slice",
                    "per_instance", "paravirtual_kernel"});
    ScenarioGuests& g = s.guests;
    GuestKeys keys{v, {}, f.get("weights")};
    g.kernel = sourceFile(f.require("kernel", "the guest kernel's source file, e.g. kernel: guests/kernel.s"));
    if (auto x = f.get("programs")) {
        const auto items = list(*x);
        if (items.size() > bootinfo::kMaxPrograms)
            fail(*x, fmt::format("{} programs; the kernel starts at most {}", items.size(), bootinfo::kMaxPrograms));
        for (const auto& item : items) g.programs.push_back(sourceFile(item));
    }
    if (auto x = f.get("defines")) {
        if (!x->node.IsMap())
            fail(*x, fmt::format("expects a map of NAME: value (e.g. {{TIMER_PERIOD: 100000}}), not {}",
                                 kindOf(x->node)));
        std::vector<std::string> names;
        for (const auto& item : x->node) names.push_back(item.first.IsScalar() ? item.first.Scalar() : "");
        const Fields defines(*this, *x, names);
        for (const auto& [name, value] : defines.entries()) {
            const bool identifier =
                !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                std::all_of(name.begin(), name.end(),
                            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
            if (!identifier)
                fail(defines.keyLine(name), value.key,
                     "a define's name is letters, digits and '_', starting with a letter or '_'");
            if (name == "PARAVIRT")
                fail(defines.keyLine(name), value.key,
                     "PARAVIRT is set by the paravirt mode itself; list paravirt among the modes instead");
            g.defines[name] = signedWhole(value, INT32_MIN, int64_t(UINT32_MAX));
        }
    }
    int given = 0;
    for (const char* key : {"vms", "containers", "instances"}) {
        auto x = f.get(key);
        if (!x) continue;
        if (++given > 1) fail(*x, "give only one of vms, containers and instances");
        keys.count = x;
        const std::string_view k = key;
        if (k == "vms") {
            g.countedAs = ScenarioGuests::Count::Vms;
            g.instances = uint32_t(whole(*x, 1, kMaxVms));
        } else if (k == "containers") {
            g.countedAs = ScenarioGuests::Count::Containers;
            g.instances = uint32_t(whole(*x, 1, kMaxContainers));
        } else {
            g.instances = uint32_t(whole(*x, 1, kMaxInstances));
        }
    }
    if (auto x = f.get("weights")) {
        // cgroup v2 weights for containers, Xen's for VMs; `instances` serves both.
        const uint64_t maxWeight =
            g.countedAs == ScenarioGuests::Count::Vms ? kMaxVmWeight : uint64_t(kMaxContainerWeight);
        for (const auto& item : list(*x)) g.weights.push_back(uint32_t(whole(item, 1, maxWeight)));
        if (g.weights.size() != g.instances)
            fail(*x, fmt::format("{} weights for {} instance{}: give one weight per instance", g.weights.size(),
                                 g.instances, g.instances == 1 ? "" : "s"));
    }
    if (auto x = f.get("slice")) g.sliceCycles = whole(*x, 1, kMaxSlice);
    if (auto x = f.get("paravirtual_kernel")) g.paravirtualKernel = flag(*x);
    if (auto x = f.get("per_instance")) {
        // Each instance's own programs, named as in `programs`: different tenants, different work.
        const auto instances = list(*x);
        if (instances.size() != g.instances)
            fail(*x, fmt::format("{} program lists for {} instance{}: give one list per instance", instances.size(),
                                 g.instances, g.instances == 1 ? "" : "s"));
        for (const auto& instance : instances) {
            std::vector<uint32_t> chosen;
            for (const auto& item : list(instance)) {
                const std::string path = sourceFile(item);
                const auto it = std::find(g.programs.begin(), g.programs.end(), path);
                if (it == g.programs.end())
                    fail(item, "each program of an instance must be one of guests.programs");
                chosen.push_back(uint32_t(it - g.programs.begin()));
            }
            g.programsPerInstance.push_back(std::move(chosen));
        }
    }
    return keys;
}

// ---------------------------------------------------------------- modes

void Loader::modes(const std::optional<Value>& v, Scenario& s) const {
    auto runnable = [&](const ModeInfo& m) { return !m.needsHardwareAssist || s.machine.hardwareAssist; };
    if (!v || (v->node.IsScalar() && v->node.Scalar() == "all")) {
        // "all": every mode this machine can run.
        for (const auto& m : modeTable())
            if (runnable(m)) s.modes.push_back(m.mode);
        return;
    }
    std::vector<Value> items;
    if (v->node.IsScalar()) items.push_back(*v);
    else items = list(*v);
    if (items.empty()) fail(*v, "lists no mode; leave modes out (or write modes: all) for every mode");
    for (const auto& item : items) {
        if (item.node.IsScalar() && item.node.Scalar() == "all")
            fail(item, "'all' stands alone: write modes: all");
        const Mode m = mode(item);
        if (std::find(s.modes.begin(), s.modes.end(), m) != s.modes.end()) fail(item, fmt::format("{} is listed twice", m));
        if (!runnable(modeInfo(m)))
            fail(item, fmt::format("{} needs a CPU with hardware assistance, but machine.hardware_assist is false", m));
        s.modes.push_back(m);
    }
}

void Loader::checkGuestsAgainstModes(const Scenario& s, const GuestKeys& keys) const {
    const ScenarioGuests& g = s.guests;
    const Value& at = keys.count ? *keys.count : keys.self;
    bool vmMode = false, containerMode = false, oneKernel = false;
    for (const auto& m : s.modes) {
        const ModeInfo& info = modeInfo(m);
        vmMode |= info.virtualMachine;
        containerMode |= info.containers;
        oneKernel |= !info.virtualMachine;
    }
    if (g.countedAs == ScenarioGuests::Count::Vms && !vmMode)
        fail(at, fmt::format("VMs need a mode that runs them, but the modes are {}", joined(s.modes)));
    if (g.countedAs == ScenarioGuests::Count::Containers && !containerMode)
        fail(at, fmt::format("containers need the container mode, but the modes are {}", joined(s.modes)));
    if (keys.weights && !vmMode && !containerMode)
        fail(*keys.weights, fmt::format("weights share the CPU among VMs or containers, but the modes are {}",
                                        joined(s.modes)));
    // Natively and in containers every instance's programs are processes of one kernel.
    const size_t programs = g.programs.size() * g.instances;
    if (oneKernel && (g.instances > 1 || containerMode) && programs > bootinfo::kMaxPrograms)
        fail(at, fmt::format("{} instances of {} programs make {} processes on one kernel in native or container "
                             "mode; the kernel starts at most {}",
                             g.instances, g.programs.size(), programs, bootinfo::kMaxPrograms));
    if (vmMode) {
        try {
            machineBytesForVms(g.instances, s.machine.memoryBytes);
        } catch (const InputError& e) {
            fail(at, e.what());
        }
    }
}

std::vector<Mode> Loader::modeList(const Value& v, const Scenario& s, std::string_view what) const {
    std::vector<Value> items;
    if (v.node.IsScalar()) items.push_back(v);
    else items = list(v);
    if (items.empty()) fail(v, "lists no mode");
    std::vector<Mode> out;
    for (const auto& item : items) {
        const Mode m = mode(item);
        if (std::find(s.modes.begin(), s.modes.end(), m) == s.modes.end())
            fail(item, fmt::format("{} is not among the scenario's modes ({}), so {} never runs in it", m,
                                   joined(s.modes), what));
        if (std::find(out.begin(), out.end(), m) != out.end()) fail(item, fmt::format("{} is listed twice", m));
        out.push_back(m);
    }
    return out;
}

// ---------------------------------------------------------------- expectations

void Loader::console(const Value& v, Expectation& e) const {
    e.kind = Expectation::Kind::Console;
    if (v.node.IsScalar()) {
        // console: "text" is short for contains.
        e.match = Expectation::Match::Contains;
        e.text = text(v);
        return;
    }
    const Fields f(*this, v, {"exact", "contains", "matches"});
    if (f.entries().size() != 1)
        fail(v, "give exactly one of exact:, contains: and matches: (a regular expression)");
    const auto& [how, value] = f.entries().front();
    if (how == "exact") {
        e.match = Expectation::Match::Exact;
        e.text = text(value, true);
    } else if (how == "contains") {
        e.match = Expectation::Match::Contains;
        e.text = text(value);
    } else {
        e.match = Expectation::Match::Regex;
        e.text = text(value);
        if (auto why = regexTooComplex(e.text); !why.empty()) fail(value, "the pattern " + why);
        try {
            std::regex check(e.text, std::regex::ECMAScript);
        } catch (const std::regex_error& error) {
            fail(value, fmt::format("not a valid regular expression (ECMAScript): {}", error.what()));
        }
    }
}

void Loader::counter(const Value& v, Expectation& e) const {
    e.kind = Expectation::Kind::Counter;
    const std::string s = text(v);
    const size_t op = s.find_first_of("<>=!");
    if (op == std::string::npos)
        fail(v, fmt::format("expects \"<counter> <op> <number>\" with op one of < <= > >= == !=, not {}", quote(s)));
    // The whole run of operator characters, so "=>" is named as written.
    const size_t opEnd = std::min(s.find_first_not_of("<>=!", op), s.size());
    auto trim = [](std::string t) {
        const auto b = t.find_first_not_of(" \t");
        if (b == std::string::npos) return std::string();
        return t.substr(b, t.find_last_not_of(" \t") - b + 1);
    };
    e.counter = trim(s.substr(0, op));
    e.op = s.substr(op, opEnd - op);
    const std::string number = trim(s.substr(opEnd));
    static const std::set<std::string> ops = {"<", "<=", ">", ">=", "==", "!="};
    if (!ops.count(e.op))
        fail(v, fmt::format("unknown comparison {} (use one of < <= > >= == !=)", quote(e.op)));
    if (e.counter.empty()) fail(v, fmt::format("names no counter before {}", e.op));
    const auto& known = knownCounters();
    if (std::find(known.begin(), known.end(), e.counter) == known.end()) {
        std::string h = hint(e.counter, known, false);
        if (h.empty()) {
            // Name the counters of the group, or the groups.
            const std::string group = e.counter.substr(0, e.counter.find('.'));
            std::vector<std::string> inGroup, groups;
            for (const auto& k : known) {
                const std::string g = k.substr(0, k.find('.'));
                if (g == group) inGroup.push_back(k);
                if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
            }
            h = inGroup.empty() ? fmt::format(" (known groups: {}; docs/scenarios.md lists every counter)", joined(groups))
                                : fmt::format(" (known: {})", joined(inGroup));
        }
        fail(v, fmt::format("unknown counter {}{}", quote(e.counter), h));
    }
    const auto value = parseNumber(number);
    if (!value) fail(v, fmt::format("expects a number after {}, not {}", e.op, quote(number)));
    e.value = *value;
}

void Loader::expectations(const Value& v, Scenario& s) const {
    const std::vector<std::string> kinds = {"console", "diverges_from_native", "counter", "order"};
    for (const auto& item : list(v)) {
        const Fields f(*this, item, {"console", "diverges_from_native", "counter", "order", "modes", "preset", "guest"});
        std::vector<std::string> given;
        for (const auto& k : kinds)
            if (f.has(k)) given.push_back(k);
        if (given.size() != 1)
            fail(item, given.empty() ? "an expectation needs one of console:, diverges_from_native:, counter:, order:"
                                     : fmt::format("one expectation per item: {} are given together", joined(given)));
        const std::string kind = given.front();
        Expectation e;
        e.where = {file_, item.line, item.key};
        if (auto x = f.get("modes")) {
            if (kind == "diverges_from_native" || kind == "order")
                fail(*x, fmt::format("{} names its modes itself", kind));
            e.modes = modeList(*x, s, "the expectation");
        }
        if (auto x = f.get("preset")) {
            e.preset = preset(*x);
            if (s.machine.paging == "nested" && !presetNamed(e.preset)->nestedPaging)
                fail(*x, fmt::format("machine.paging is nested, which the '{}' preset's CPU cannot do", e.preset));
        }
        if (auto x = f.get("guest"); x && kind != "console")
            fail(*x, "guest: applies to console expectations only");
        const Value body = *f.get(kind);
        if (kind == "console") {
            console(body, e);
            if (auto x = f.get("guest")) {
                e.guest = text(*x);
                // Guests are named as the runs name them: vm0.., container1..
                const std::vector<Mode>& modes = e.modes.empty() ? s.modes : e.modes;
                const bool vm = e.guest.starts_with("vm");
                const std::string number = e.guest.substr(vm ? 2 : std::min<size_t>(e.guest.size(), 9));
                const Whole n = parseWhole(number);
                const bool digits = !number.empty() && std::all_of(number.begin(), number.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c));
                });
                // Written as the runs write them: "vm1", never "vm01".
                const bool named = digits && n.ok && !n.tooLarge && std::to_string(n.value) == number &&
                                   (vm || e.guest.starts_with("container"));
                if (!named)
                    fail(*x, fmt::format("a guest is vm0, vm1, ... (VMs) or container1, container2, ... "
                                         "(containers), not {}",
                                         quote(e.guest)));
                if (vm ? n.value >= s.guests.instances : (n.value < 1 || n.value > s.guests.instances))
                    fail(*x, fmt::format("there is no {}: the guests are {}", e.guest,
                                         vm ? fmt::format("vm0 to vm{}", s.guests.instances - 1)
                                            : fmt::format("container1 to container{}", s.guests.instances)));
                for (const auto& m : modes)
                    if (vm ? !modeInfo(m).virtualMachine : !modeInfo(m).containers)
                        fail(*x, fmt::format("{} exists only in {}, but the expectation applies to {}{}", e.guest,
                                             vm ? "VM modes" : "container mode", m,
                                             e.modes.empty() ? " (give modes: to narrow it)" : ""));
            }
            s.expectations.push_back(e);
        } else if (kind == "counter") {
            counter(body, e);
            s.expectations.push_back(e);
        } else if (kind == "order") {
            e.kind = Expectation::Kind::Order;
            e.order = modeList(body, s, "the order");
            if (e.order.size() < 2) fail(body, "an order needs at least two modes");
            s.expectations.push_back(e);
        } else {
            diverges(body, s, e, s.expectations);
        }
    }
}

// diverges_from_native: {mode: true|false, ...}: one expectation per mode,
// each pointing at its own line.
void Loader::diverges(const Value& body, const Scenario& s, const Expectation& e, std::vector<Expectation>& out) const {
    if (body.node.IsMap())
        for (auto it = body.node.begin(); it != body.node.end(); ++it) {
            // A real mode the scenario does not run gets a better word than "unknown key".
            if (!it->first.IsScalar()) continue;
            const std::string name = it->first.Scalar();
            const auto m = modeFromName(name);
            if (m && std::find(s.modes.begin(), s.modes.end(), *m) == s.modes.end())
                fail(lineOf(it->first, body.line), join(body.key, name),
                     fmt::format("{} is not among the scenario's modes ({})", name, joined(s.modes)));
        }
    const Fields modes(*this, body, namesOf(s.modes));
    if (modes.entries().empty()) fail(body, "names no mode (e.g. {trap-emulate: true})");
    for (const auto& [m, value] : modes.entries()) {
        Expectation d = e;
        d.kind = Expectation::Kind::Diverges;
        d.modes = {parseMode(m)};
        d.diverges = flag(value);
        if (d.modes.front() == Mode::Native && d.diverges) fail(value, "native never diverges from itself");
        d.where = {file_, value.line, value.key};
        out.push_back(d);
    }
}

// ---------------------------------------------------------------- tour

// Which modes can produce an event, where only some can. Checked so that a
// tour cannot wait for something its modes never do.
struct ModeNeed {
    std::string_view what;   // "hypercalls"
    std::string_view where;  // "paravirt mode"
    bool (*possible)(const ModeInfo&);
};
constexpr ModeNeed kParavirtOnly{"hypercalls", "the paravirt mode",
                                 [](const ModeInfo& m) { return m.needsParavirtKernel; }};
constexpr ModeNeed kHwAssistOnly{"VM exits, entries and root mode (ring -1)", "the hw-assist mode",
                                 [](const ModeInfo& m) { return m.needsHardwareAssist; }};
// The binary translator and the emulator are the two modes built on core/translator.h.
constexpr ModeNeed kTranslatorOnly{"translations", "binary-translation and emulation",
                                   [](const ModeInfo& m) { return m.translates; }};

constexpr ModeNeed kHaltRecorded{"halt events", "modes where the guest's hlt is an event, not hw-assist (a VM exit) "
                                  "nor paravirt (the halt hypercall)",
                                 [](const ModeInfo& m) { return m.recordsHalt; }};

void requireModes(const Loader& L, const Value& at, const Tour& tour, const ModeNeed& need) {
    for (const auto& m : tour.modes)
        if (!need.possible(modeInfo(m)))
            L.fail(at, fmt::format("{} happen only in {}, but the tour is also for {}, where this stop would never "
                                   "be reached; drop {} from tour.modes",
                                   need.what, need.where, m, m));
}

void Loader::checkLabel(const Value& v, const Scenario& s, const Tour& tour, const std::string& label) const {
    const size_t colon = label.find(':');
    const std::string program = colon == std::string::npos ? "" : label.substr(0, colon);
    const std::string name = colon == std::string::npos ? label : label.substr(colon + 1);
    if (name.empty() || (colon != std::string::npos && program.empty()))
        fail(v, "expects a label, or \"program.s:label\" for one in a user program");
    // The unmodified build serves every mode but paravirt, which assembles with PARAVIRT=1.
    bool need[2] = {false, false};
    for (const auto& m : tour.modes) need[modeInfo(m).needsParavirtKernel ? 1 : 0] = true;
    for (int build = 0; build < 2; ++build) {
        if (!need[build]) continue;
        if (!builds_[build]) {
            GuestSources sources{s.guests.kernel, s.guests.programs, s.guests.defines, s.guests.includeDirs};
            if (build) sources.defines["PARAVIRT"] = 1;
            try {
                builds_[build] = assembleGuest(sources);
            } catch (const InputError& e) {
                fail(v, fmt::format("cannot look the label up: the guest{} does not assemble:\n{}",
                                    build ? " (paravirtual build, PARAVIRT=1)" : "", e.what()));
            }
        }
        const GuestImages& images = *builds_[build];
        const assembler::Program* where = &images.kernel;
        std::string inFile = fs::path(s.guests.kernel).filename().string();
        if (!program.empty()) {
            where = nullptr;
            for (size_t i = 0; i < images.programs.size() && !where; ++i)
                if (images.programNames[i] == program) where = &images.programs[i];
            if (!where)
                fail(v, fmt::format("no program {} among guests.programs{}", quote(program),
                                    hint(program, images.programNames)));
            inFile = program;
        }
        if (!where->labels.count(name)) {
            std::vector<std::string> labels;
            for (const auto& [l, address] : where->labels) labels.push_back(l);
            fail(v, fmt::format("no label {} in {}{}{}", quote(name), inFile,
                                build ? " as assembled for paravirt (PARAVIRT=1)" : "", hint(name, labels, false)));
        }
    }
}

void Loader::say(const Value& v, TourStop& stop) const {
    stop.say = text(v);
    // A folded block (say: >) ends in a newline the reader does not want.
    stop.say.erase(stop.say.find_last_not_of(" \t\n") + 1);
    if (stop.say.empty()) fail(v, "is empty; one to four sentences are needed");
    if (stop.say.size() > kMaxSayLength)
        fail(v, fmt::format("is {} characters long; keep it to one to four sentences (at most {} characters)",
                            stop.say.size(), kMaxSayLength));
    for (size_t i = 0; i < stop.say.size(); ++i) {
        if (stop.say[i] == '}') fail(v, "a '}' without its '{': braces hold placeholders such as {cycle}");
        if (stop.say[i] != '{') continue;
        const size_t close = stop.say.find_first_of("{}", i + 1);
        if (close == std::string::npos || stop.say[close] != '}')
            fail(v, "a '{' without its '}': braces hold placeholders such as {cycle}");
        const std::string name = stop.say.substr(i + 1, close - i - 1);
        if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) == kPlaceholders.end())
            fail(v, fmt::format("unknown placeholder {{{}}}{}", name, hint(name, kPlaceholders)));
        i = close;
    }
}

void Loader::stop(const Value& v, const Scenario& s, const Tour& tour, TourStop& stop) const {
    const Fields f(*this, v, {"when", "say"});
    stop.where = {file_, v.line, v.key};
    const Value when = f.require("when", "the condition for this stop, e.g. when: {event: syscall}");
    say(f.require("say", "the explanation shown at this stop"), stop);
    const std::vector<std::string> kinds = {"event", "exit_reason", "hypercall", "label", "ring_change", "cycle"};
    std::vector<std::string> known = kinds;
    known.push_back("nth");
    const Fields w(*this, when, known);
    std::vector<std::string> given;
    for (const auto& k : kinds)
        if (w.has(k)) given.push_back(k);
    if (given.size() != 1)
        fail(when, given.empty() ? fmt::format("needs one of {}", joined(kinds))
                                 : fmt::format("one condition per stop: {} are given together", joined(given)));
    StopCondition& c = stop.when;
    const Value x = *w.get(given.front());
    if (auto n = w.get("nth")) {
        if (given.front() == "cycle") fail(*n, "nth does not apply to a cycle stop");
        c.nth = whole(*n, 1, kMaxNth);
    }
    const std::string& kind = given.front();
    if (kind == "event") {
        c.kind = StopCondition::Kind::Event;
        c.eventKind = text(x);
        const auto k = eventKindFromName(c.eventKind);
        if (!k) fail(x, fmt::format("unknown event kind {}{}", quote(c.eventKind), hint(c.eventKind, eventKindNames())));
        if (*k == EventKind::Hypercall) requireModes(*this, x, tour, kParavirtOnly);
        if (*k == EventKind::Halt) requireModes(*this, x, tour, kHaltRecorded);
        if (*k == EventKind::VmExit || *k == EventKind::VmEntry) requireModes(*this, x, tour, kHwAssistOnly);
        if (*k == EventKind::Translation || *k == EventKind::TranslationHit || *k == EventKind::TranslationInvalidate)
            requireModes(*this, x, tour, kTranslatorOnly);
    } else if (kind == "exit_reason") {
        c.kind = StopCondition::Kind::ExitReason;
        c.exitReason = text(x);
        const auto names = exitReasonNames();
        const auto it = std::find(names.begin(), names.end(), c.exitReason);
        if (it == names.end()) fail(x, fmt::format("unknown exit reason {}{}", quote(c.exitReason), hint(c.exitReason, names)));
        requireModes(*this, x, tour, kHwAssistOnly);
        const auto reason = VmExitReason(it - names.begin());
        // The hw-assist monitor's exit controls: its defaults, less the page-table
        // intercepts when the MMU walks nested tables (core/hw_assist.cpp).
        if (!VmControls::defaults().exits(reason))
            fail(x, fmt::format("the hw-assist monitor never exits for {}: its exit controls leave that to the guest",
                                c.exitReason));
        const Preset* preset = presetNamed(s.machine.preset);
        const bool nested =
            s.machine.paging == "nested" || (s.machine.paging == "auto" && preset && preset->nestedPaging);
        if (nested && (reason == VmExitReason::PageTableBaseLoad || reason == VmExitReason::GuestPageTableWrite))
            fail(x, fmt::format("with nested paging (machine.paging: {}, preset {}) there is no {} exit; set "
                                "machine.paging: shadow to see it",
                                s.machine.paging, s.machine.preset, c.exitReason));
    } else if (kind == "hypercall") {
        c.kind = StopCondition::Kind::Hypercall;
        const std::string h = text(x);
        const Whole n = parseWhole(h);
        const HypercallInfo* found = n.ok && !n.negative && !n.tooLarge && n.value <= UINT32_MAX
                                         ? hypercallByNumber(uint32_t(n.value))
                                         : hypercallByName(h);
        if (!found)
            fail(x, n.ok ? fmt::format("there is no hypercall number {} (0 to {})", quote(h), hypercallTable().size() - 1)
                         : fmt::format("unknown hypercall {}{}", quote(h), hint(h, hypercallNames())));
        c.number = uint32_t(found->number);
        requireModes(*this, x, tour, kParavirtOnly);
    } else if (kind == "label") {
        c.kind = StopCondition::Kind::Label;
        c.label = text(x);
        checkLabel(x, s, tour, c.label);
    } else if (kind == "ring_change") {
        c.kind = StopCondition::Kind::RingChange;
        const auto rings = list(x);
        if (rings.size() != 2) fail(x, "expects two rings, [from, to], e.g. [3, 0]");
        c.fromRing = int(signedWhole(rings[0], -1, 3));
        c.toRing = int(signedWhole(rings[1], -1, 3));
        if (c.fromRing == c.toRing) fail(x, "a ring change needs two different rings");
        if (c.fromRing == -1 || c.toRing == -1) requireModes(*this, x, tour, kHwAssistOnly);
    } else {
        c.kind = StopCondition::Kind::Cycle;
        c.cycle = whole(x, 1, s.machine.maxCycles);
    }
}

void Loader::tour(const Value& v, Scenario& s) const {
    const Fields f(*this, v, {"modes", "stops"});
    Tour t;
    if (auto x = f.get("modes")) t.modes = modeList(*x, s, "the tour");
    else t.modes = {s.defaultMode};
    const Value stops = f.require("stops", "the list of stops, each with when: and say:");
    const auto items = list(stops);
    if (items.size() < kMinStops || items.size() > kMaxStops)
        fail(stops, fmt::format("has {} stops; a tour has {} to {}", items.size(), kMinStops, kMaxStops));
    for (const auto& item : items) {
        TourStop st;
        stop(item, s, t, st);
        t.stops.push_back(std::move(st));
    }
    s.tour = std::move(t);
}

// ---------------------------------------------------------------- all of it

// The machine each run will build, checked now: whatever slipped past the
// checks above is still reported against the file instead of at run time.
void Loader::checkRuns(const Scenario& s, int machineLine) const {
    std::set<std::string> presetsUsed = {""};
    for (const auto& e : s.expectations) presetsUsed.insert(e.preset);
    for (const auto& preset : presetsUsed)
        for (const auto& m : s.modes) {
            try {
                machineConfigFor(s.optionsFor(m, preset));
            } catch (const InputError& e) {
                fail(machineLine, "machine", fmt::format("{}{}: {}", m, preset.empty() ? "" : " (" + preset + ")", e.what()));
            }
        }
}

Scenario Loader::scenario(const YAML::Node& root) {
    const Value top{root, "", 1};
    if (!root.IsMap())
        fail(lineOf(root, 1), "", fmt::format("the top level must be a map (title:, guests:, ...), not {}", kindOf(root)));
    const Fields f(*this, top, {"title", "summary", "machine", "guests", "modes", "default_mode", "expect", "tour",
                                   "predict"});
    Scenario s;
    s.path = file_;
    s.name = fs::path(file_).stem().string();
    const Value title = f.require("title", "a one-line title for the lesson");
    s.title = text(title);
    s.title.erase(s.title.find_last_not_of(" \t\n") + 1);
    if (s.title.empty()) fail(title, "is empty; a text is needed");
    // Titles head lists and windows; a newline in one is usually a quote left open.
    if (s.title.find('\n') != std::string::npos)
        fail(title, "must be one line (is a quote left open?)");
    if (auto x = f.get("summary")) {
        s.summary = text(*x, true);
        s.summary.erase(s.summary.find_last_not_of(" \t\n") + 1);
    }
    int machineLine = 1, pagingLine = 0;
    if (auto x = f.get("machine")) {
        machineLine = f.keyLine("machine");
        machine(*x, s, pagingLine);
    }
    const GuestKeys guestKeys = guests(f.require("guests", "the guest software, at least kernel:"), s);
    modes(f.get("modes"), s);
    if (s.modes.empty())
        fail(f.keyLine("modes"), "modes", "no mode can run on this machine");
    s.defaultMode = s.modes.front();
    if (auto x = f.get("default_mode")) {
        s.defaultMode = mode(*x);
        if (std::find(s.modes.begin(), s.modes.end(), s.defaultMode) == s.modes.end())
            fail(*x, fmt::format("{} is not among the scenario's modes ({})", s.defaultMode, joined(s.modes)));
    }
    checkGuestsAgainstModes(s, guestKeys);
    if (auto x = f.get("expect")) expectations(*x, s);
    if (auto x = f.get("tour")) tour(*x, s);
    if (auto x = f.get("predict")) s.predict = flag(*x);
    checkRuns(s, pagingLine ? pagingLine : machineLine);
    return s;
}

// Where each YAML document's first node is: enough to count documents and
// to notice a parser that no longer moves on.
struct DocumentStarts : YAML::EventHandler {
    std::vector<YAML::Mark> marks;
    std::vector<bool> empty;  // the document is only a null (its mark then points past it)
    bool seen = false;
    void note(const YAML::Mark& m, bool null = false) {
        if (!seen) {
            marks.push_back(m);
            empty.push_back(null);
        }
        seen = true;
    }
    // Called after each document: one without any node still counts.
    void endDocument() {
        if (!seen) note(YAML::Mark::null_mark(), true);
        seen = false;
    }
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t) override { note(m, true); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { note(m); }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(m);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        note(m);
    }
    void OnMapEnd() override {}
};

}  // namespace

// ---------------------------------------------------------------- the API

Scenario parseScenario(const std::string& text, const std::string& path) {
    Loader loader(path);
    auto syntaxError = [&](const YAML::Exception& e) {
        // yaml-cpp's guard against deep nesting says only "bad file": say what is wrong.
        if (const auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
            loader.fail(e.mark.is_null() ? 0 : e.mark.line + 1, "",
                        fmt::format("the YAML nests too deep ({} levels of lists or maps inside each other); a "
                                    "scenario needs a few",
                                    deep->depth()));
        loader.fail(e.mark.is_null() ? 0 : e.mark.line + 1, "", "YAML syntax error: " + e.msg);
    };
    // Count the documents first, without YAML::LoadAll: yaml-cpp 0.7's
    // LoadAll loops for ever, allocating, on a token no rule takes (a stray
    // ',' at the top level), because each document it reads there is an
    // empty one at the same place.
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        DocumentStarts starts;
        for (size_t n = 0; n < 3 && parser.HandleNextDocument(starts);) {
            starts.endDocument();
            n = starts.marks.size();
            const YAML::Mark& at = starts.marks.back();
            if (n >= 2 && !at.is_null() && at.pos == starts.marks[n - 2].pos) {
                const char c = at.pos >= 0 && size_t(at.pos) < text.size() ? text[size_t(at.pos)] : '?';
                loader.fail(at.line + 1, "", fmt::format("YAML syntax error: unexpected {}", quote(std::string(1, c))));
            }
        }
        if (starts.marks.size() >= 2) {
            // An empty second document has no mark: name the line of the last "---".
            int line = starts.empty[1] ? 0 : starts.marks[1].line + 1;
            if (line == 0) {
                std::istringstream lines(text);
                int n = 0;
                for (std::string l; std::getline(lines, l);)
                    if (++n, l.starts_with("---")) line = n;
            }
            loader.fail(line, "", "a second YAML document (after ---): a scenario file holds one");
        }
    } catch (const YAML::Exception& e) {
        syntaxError(e);
    }
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        syntaxError(e);
    }
    if (!root.IsDefined() || root.IsNull())
        loader.fail(1, "", "the file is empty; a scenario needs at least title: and guests: with kernel:");
    try {
        return loader.scenario(root);
    } catch (const YAML::Exception& e) {
        // Not expected from the checks above; kept so no YAML error escapes as a crash.
        loader.fail(e.mark.is_null() ? 0 : e.mark.line + 1, "", "YAML: " + e.msg);
    }
}

Scenario loadScenario(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw InputError(fmt::format("{}: cannot read: it is a folder", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read", path));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: cannot read", path));
    return parseScenario(text.str(), path);
}

const std::vector<std::string>& knownCounters() {
    // The same names as the JSON of a run (core/report.cpp), flattened with dots.
    static const std::vector<std::string> counters = [] {
        std::vector<std::string> c;
        c.push_back("cycles.total");
        for (size_t i = 0; i < kCycleCategoryCount; ++i) c.push_back(fmt::format("cycles.{}", categoryName(CycleCategory(i))));
        for (size_t i = 0; i < kEventKindCount; ++i) c.push_back(fmt::format("events.{}", eventKindName(EventKind(i))));
        c.push_back("vm_exits.total");
        for (size_t i = 0; i < kVmExitReasonCount; ++i)
            c.push_back(fmt::format("vm_exits.{}", vmExitReasonName(VmExitReason(i))));
        c.push_back("hypercalls.total");
        for (const auto& h : hypercallTable()) c.push_back(fmt::format("hypercalls.{}", h.name));
        for (const char* f : {"traps_into_monitor", "emulated", "reflected", "callouts", "shadow_updates"})
            c.push_back(fmt::format("monitor.{}", f));
        for (const char* f : {"blocks", "instructions", "cache_hits", "invalidations"})
            c.push_back(fmt::format("translations.{}", f));
        for (const char* f : {"misses", "flushes", "walk_references"}) c.push_back(fmt::format("tlb.{}", f));
        for (const char* f : {"port_accesses", "instructions", "footprint.pages", "footprint.startup_cycles",
                              "guest_switches", "overhead_percent"})
            c.emplace_back(f);
        return c;
    }();
    return counters;
}

std::string Expectation::describe() const {
    // One line whatever the text holds: newlines shown as \n, long texts cut.
    auto shown = [](const std::string& t) {
        std::string out;
        for (char c : t) {
            if (c == '\n') out += "\\n";
            else out += c;
        }
        if (out.size() > 80) out = out.substr(0, 77) + "...";
        return fmt::format("\"{}\"", out);
    };
    std::string prefix = modes.empty() ? std::string() : joined(modes);
    if (!preset.empty()) prefix += fmt::format("{}({})", prefix.empty() ? "" : " ", preset);
    if (!prefix.empty()) prefix += ": ";
    auto number = [](double v) {
        return v == std::floor(v) && std::fabs(v) < 1e15 ? fmt::format("{}", int64_t(v)) : fmt::format("{}", v);
    };
    switch (kind) {
    case Kind::Console: {
        const std::string who = guest.empty() ? "console" : guest + " console";
        const char* how = match == Match::Exact ? "is" : match == Match::Contains ? "contains" : "matches";
        return fmt::format("{}{} {} {}", prefix, who, how, match == Match::Regex ? fmt::format("/{}/", text) : shown(text));
    }
    case Kind::Diverges:
        return fmt::format("{}{} from native", prefix, diverges ? "diverges" : "does not diverge");
    case Kind::Counter: return fmt::format("{}{} {} {}", prefix, counter, op, number(value));
    case Kind::Order: return fmt::format("{}total cycles {}", prefix, joined(order, " < "));
    }
    return prefix;
}

RunOptions Scenario::optionsFor(Mode mode, const std::string& preset) const {
    const ModeInfo& info = modeInfo(mode);
    RunOptions o;
    o.mode = mode;
    o.preset = preset.empty() ? machine.preset : preset;
    o.costOverrides = machine.costOverrides;
    o.maxCycles = machine.maxCycles;
    o.memoryBytes = machine.memoryBytes;
    o.strict = machine.strict;
    o.hardwareAssist = machine.hardwareAssist;
    o.paging = machine.paging;
    o.instances = guests.instances;
    o.sliceCycles = guests.sliceCycles;
    // Weights belong to the kind of instance they were written for.
    const bool container = info.containers;
    const bool apply = guests.countedAs == ScenarioGuests::Count::Vms          ? info.virtualMachine
                       : guests.countedAs == ScenarioGuests::Count::Containers ? container
                                                                               : info.virtualMachine || container;
    if (apply) o.weights = guests.weights;
    o.programsPerInstance = guests.programsPerInstance;
    return o;
}

GuestSources Scenario::sourcesFor(Mode mode) const {
    GuestSources sources{guests.kernel, guests.programs, guests.defines, guests.includeDirs};
    if (guests.paravirtualKernel || modeInfo(mode).needsParavirtKernel) sources.defines["PARAVIRT"] = 1;
    return sources;
}

}  // namespace ringsim
