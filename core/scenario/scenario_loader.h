// The loader's walk over the YAML: each value with its dotted key and its
// line, the keys of a map checked (Fields), and the Loader, whose fail() makes
// every problem an InputError "file:line: key: problem", because a lecturer
// fixing a file needs to know where to look. The Loader reads each section in
// a file of its own; this header is their table of contents.
// Internal to core/scenario.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "machine/guest.h"
#include "scenario/scenario.h"

namespace ringsim::scenario_detail {

namespace fs = std::filesystem;

// A scenario's or a deck's whole text; InputError "path: cannot read" if it cannot be read.
std::string readInputFile(const std::string& path);

// A value in the file with where it is: its dotted key and its line.
struct Value {
    YAML::Node node;
    std::string key;
    int line = 0;
};

// Where a scenario named in a deck or a sweep grid is: beside that file
// first, then among the bundled scenarios (by file name, with or without
// .yaml); empty if nowhere.
std::string findScenarioFile(const std::string& given, const fs::path& folder);

// A null value's mark points past it (at the next token), so the key's line is used instead.
int lineOf(const YAML::Node& n, int fallback);
// "nothing", "a map", "a list" or "the text '...'": what was given instead.
std::string kindOf(const YAML::Node& n);
// A key as part of a dotted path: as written if it is short and printable,
// else quoted and cut, so a message stays one readable line.
std::string join(const std::string& parent, std::string_view name);

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
    explicit Loader(std::string file);

    // scenario_loader.cpp: where problems go, and typed values.
    [[noreturn]] void fail(int line, std::string_view key, const std::string& problem) const;
    [[noreturn]] void fail(const Value& v, const std::string& problem) const { fail(v.line, v.key, problem); }
    std::string text(const Value& v, bool allowEmpty = false) const;
    bool flag(const Value& v) const;
    uint64_t whole(const Value& v, uint64_t min, uint64_t max) const;
    int64_t signedWhole(const Value& v, int64_t min, int64_t max) const;
    std::vector<Value> list(const Value& v) const;
    // A mode name: one of the mode table's.
    Mode mode(const Value& v) const;
    std::string preset(const Value& v) const;
    // A source file: resolved against the scenario's folder; it must be a
    // readable, non-empty regular file (so /dev and /proc paths are refused
    // before anything tries to read them whole).
    std::string sourceFile(const Value& v) const;

    const std::string& file() const { return file_; }
    // The folder relative names in the file are resolved against (absolute).
    const fs::path& folder() const { return folder_; }
    // A deck's or a grid's text as one YAML node: a syntax error fails with
    // its line, and a file holding nothing fails with `ifEmpty`.
    YAML::Node document(const std::string& text, std::string_view ifEmpty) const;

    // scenario.cpp: the top-level map, section by section.
    Scenario scenario(const YAML::Node& root);

private:
    std::string scalar(const Value& v, std::string_view what) const;

    // scenario_machine.cpp
    void machine(const Value& v, Scenario& s, int& pagingLine, int& nicLine) const;
    // scenario_guests.cpp
    // The values of guests' keys that are checked again once the modes are known.
    struct GuestKeys {
        Value self;
        std::optional<Value> count, weights;
    };
    GuestKeys guests(const Value& v, Scenario& s) const;
    // scenario_modes.cpp
    void modes(const std::optional<Value>& v, Scenario& s) const;
    std::vector<Mode> modeList(const Value& v, const Scenario& s, std::string_view what) const;
    // scenario_expectations.cpp
    void expectations(const Value& v, Scenario& s) const;
    void console(const Value& v, Expectation& e) const;
    void counter(const Value& v, Expectation& e) const;
    void diverges(const Value& body, const Scenario& s, const Expectation& e, std::vector<Expectation>& out) const;
    // scenario_tour.cpp
    void tour(const Value& v, Scenario& s) const;
    void stop(const Value& v, const Scenario& s, const Tour& tour, TourStop& stop) const;
    void say(const Value& v, TourStop& stop) const;
    // scenario_crosschecks.cpp: checks across sections, against the assembled
    // guest and the machines the runs will build.
    void checkGuestsAgainstModes(const Scenario& s, const GuestKeys& keys) const;
    void checkLabel(const Value& v, const Scenario& s, const Tour& tour, const std::string& label) const;
    void checkRuns(const Scenario& s, int machineLine) const;
    // A NIC needs one guest and a kernel with its driver (not the paravirtual build).
    void checkNic(const Scenario& s, int nicLine) const;

    std::string file_;
    fs::path folder_;
    // The builds label stops were looked up in: unmodified, paravirtual.
    mutable std::optional<GuestImages> builds_[2];
};

}  // namespace ringsim::scenario_detail
