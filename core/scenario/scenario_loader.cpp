// The loader's walk over the YAML (scenario_loader.h): where a value is,
// what it is, and its typed reading, each failing with file, line and key.
#include "scenario/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "machine/errors.h"
#include "scenario/scenario_images.h"
#include "scenario/scenario_numbers.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

std::string readInputFile(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw InputError(fmt::format("{}: cannot read: it is a folder", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read", path));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("{}: cannot read", path));
    return text.str();
}

std::string findScenarioFile(const std::string& given, const fs::path& folder) {
    std::error_code ec;
    std::vector<fs::path> candidates;
    const fs::path p(given);
    candidates.push_back(p.is_absolute() ? p : folder / p);
    if (p.is_relative()) candidates.push_back(fs::path(bundledScenarioFolder()) / p);
    if (p.extension() != ".yaml" && p.extension() != ".yml")
        for (size_t i = 0, n = candidates.size(); i < n; ++i) candidates.push_back(fs::path(candidates[i]) += ".yaml");
    for (const auto& c : candidates)
        if (fs::is_regular_file(c, ec)) return c.lexically_normal().string();
    return {};
}

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

std::string join(const std::string& parent, std::string_view name) {
    const bool plain = name.size() <= 60 && std::all_of(name.begin(), name.end(), [](char c) {
                           return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
                       });
    const std::string shown = plain ? std::string(name) : quote(name);
    return parent.empty() ? shown : parent + "." + shown;
}

Loader::Loader(std::string file) : file_(std::move(file)) {
    std::error_code ec;
    fs::path folder = fs::path(file_).parent_path();
    folder_ = fs::absolute(folder.empty() ? fs::path(".") : folder, ec);
    if (ec) folder_ = folder;
}

void Loader::fail(int line, std::string_view key, const std::string& problem) const {
    std::string message = file_;
    if (line > 0) message += fmt::format(":{}", line);
    message += ": ";
    if (!key.empty()) message += std::string(key) + ": ";
    throw InputError(message + problem);
}

YAML::Node Loader::document(const std::string& text, std::string_view ifEmpty) const {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        fail(e.mark.is_null() ? 0 : e.mark.line + 1, "", "YAML syntax error: " + e.msg);
    }
    if (!root.IsDefined() || root.IsNull()) fail(1, "", std::string(ifEmpty));
    return root;
}

std::string Loader::text(const Value& v, bool allowEmpty) const {
    if (!v.node.IsDefined() || v.node.IsNull()) {
        if (allowEmpty) return {};
        fail(v, "is empty; a text is needed");
    }
    if (!v.node.IsScalar()) fail(v, "expects a text, not " + kindOf(v.node));
    std::string s = v.node.Scalar();
    if (s.empty() && !allowEmpty) fail(v, "is empty; a text is needed");
    return s;
}

bool Loader::flag(const Value& v) const {
    const std::string s = lower(scalar(v, "true or false"));
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail(v, fmt::format("expects true or false, not {}", quote(v.node.Scalar())));
}

uint64_t Loader::whole(const Value& v, uint64_t min, uint64_t max) const {
    const std::string s = scalar(v, "a whole number");
    const Whole w = parseWhole(s);
    if (!w.ok) fail(v, fmt::format("expects a whole number, not {}", quote(s)));
    if ((w.negative && w.value != 0) || w.tooLarge || w.value < min || w.value > max)
        fail(v, fmt::format("must be from {} to {}, not {}", min, max, quote(s)));
    return w.value;
}

int64_t Loader::signedWhole(const Value& v, int64_t min, int64_t max) const {
    // Callers' bounds lie well inside int64_t, so the checks below cannot overflow.
    const std::string s = scalar(v, "a whole number");
    const Whole w = parseWhole(s);
    if (!w.ok) fail(v, fmt::format("expects a whole number, not {}", quote(s)));
    const bool fits = !w.tooLarge && (w.negative ? w.value <= uint64_t(-min) : w.value <= uint64_t(max));
    if (!fits) fail(v, fmt::format("must be from {} to {}, not {}", min, max, quote(s)));
    return w.negative ? -int64_t(w.value) : int64_t(w.value);
}

std::vector<Value> Loader::list(const Value& v) const {
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

Mode Loader::mode(const Value& v) const {
    const std::string name = text(v);
    const auto m = modeFromName(name);
    if (!m) fail(v, fmt::format("unknown mode {}{}", quote(name), hint(name, modeNames())));
    return *m;
}

std::string Loader::preset(const Value& v) const {
    const std::string name = text(v);
    if (!presetNamed(name)) fail(v, fmt::format("unknown preset {}{}", quote(name), hint(name, presetNames())));
    return name;
}

std::string Loader::sourceFile(const Value& v) const {
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

std::string Loader::scalar(const Value& v, std::string_view what) const {
    if (!v.node.IsDefined() || v.node.IsNull()) fail(v, fmt::format("is empty; {} is needed", what));
    if (!v.node.IsScalar()) fail(v, fmt::format("expects {}, not {}", what, kindOf(v.node)));
    return v.node.Scalar();
}

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

}  // namespace ringsim::scenario_detail
