// Loading a scenario file: YAML in, a checked Scenario out. Every problem is
// an InputError "file:line: key: problem", because a lecturer fixing a file
// needs to know where to look; nothing in the input may crash the loader
// (fuzz/scenario_fuzz.cpp feeds it random bytes). This file takes the text to
// one YAML document and reads its top-level map section by section; the
// Loader (scenario_loader.h) names the file that reads each section.
#include "scenario/scenario.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "machine/errors.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_words.h"

namespace ringsim {

namespace scenario_detail {

// The top-level map: the sections in the order later ones depend on (the
// modes on the machine, the expectations and the tour on the modes).
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
    int machineLine = 1, pagingLine = 0, nicLine = 0;
    if (auto x = f.get("machine")) {
        machineLine = f.keyLine("machine");
        machine(*x, s, pagingLine, nicLine);
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
    if (!s.machine.nic.empty()) checkNic(s, nicLine);
    if (auto x = f.get("expect")) expectations(*x, s);
    if (auto x = f.get("tour")) tour(*x, s);
    if (auto x = f.get("predict")) s.predict = flag(*x);
    checkRuns(s, pagingLine ? pagingLine : machineLine);
    return s;
}

}  // namespace scenario_detail

namespace {

namespace fs = std::filesystem;
using scenario_detail::Loader;
using scenario_detail::quote;

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

Scenario loadScenario(const std::string& path) { return parseScenario(scenario_detail::readInputFile(path), path); }

}  // namespace ringsim
