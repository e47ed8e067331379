// libstdc++ 12's <regex> trips a false -Wmaybe-uninitialized in the
// std::function inside its automaton (sanitizer builds); it is about the
// standard headers, which this file includes before its own code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "report/check.h"

#include <algorithm>
#include <fmt/format.h>
#include <regex>

#include "machine/errors.h"
#include "report/matrix.h"

namespace ringsim {

namespace {

bool compareValues(double measured, const std::string& op, double value) {
    if (op == "<") return measured < value;
    if (op == "<=") return measured <= value;
    if (op == ">") return measured > value;
    if (op == ">=") return measured >= value;
    if (op == "==") return measured == value;
    if (op == "!=") return measured != value;
    throw InputError(fmt::format("unknown comparison '{}'", op));
}

std::string number(double v) {
    return v == double(int64_t(v)) ? fmt::format("{}", int64_t(v)) : fmt::format("{:.2f}", v);
}

const std::string& consoleOf(const MatrixCell& cell, const std::string& guest) {
    if (!guest.empty())
        for (const auto& g : cell.result->guests)
            if (g.name == guest) return g.console;
    return cell.result->console;
}

}  // namespace

std::vector<CheckLine> checkScenario(const Scenario& scenario, unsigned jobs) {
    // Every preset any expectation names, and the scenario's own.
    MatrixRequest request;
    request.jobs = jobs;
    request.presets = {scenario.machine.preset};
    for (const auto& e : scenario.expectations)
        if (!e.preset.empty() && std::find(request.presets.begin(), request.presets.end(), e.preset) == request.presets.end())
            request.presets.push_back(e.preset);
    std::vector<Mode> modes = scenario.modes;
    for (const auto& e : scenario.expectations)
        for (const auto& m : e.modes)
            if (std::find(modes.begin(), modes.end(), m) == modes.end()) modes.push_back(m);
    request.modes = modes;
    const std::vector<Scenario> one = {scenario};
    const auto cells = runMatrix(one, request);
    auto cellFor = [&](Mode mode, const std::string& preset) -> const MatrixCell* {
        for (const auto& c : cells)
            if (c.mode == mode && c.preset == preset) return &c;
        return nullptr;
    };

    std::vector<CheckLine> lines;
    for (const auto& e : scenario.expectations) {
        const std::string preset = e.preset.empty() ? scenario.machine.preset : e.preset;
        if (e.kind == Expectation::Kind::Order) {
            CheckLine line{&e, std::nullopt, preset, true, ""};
            std::optional<uint64_t> last;
            for (const auto& mode : e.order) {
                const MatrixCell* c = cellFor(mode, preset);
                if (!c || !c->result) {
                    line.passed = false;
                    line.measured += fmt::format("{}{}: did not run", line.measured.empty() ? "" : ", ", mode);
                    continue;
                }
                line.measured += fmt::format("{}{} {}", line.measured.empty() ? "" : " < ", mode, c->result->totalCycles);
                if (last && c->result->totalCycles < *last) line.passed = false;
                last = c->result->totalCycles;
            }
            lines.push_back(line);
            continue;
        }
        const std::vector<Mode>& appliesTo = e.modes.empty() ? scenario.modes : e.modes;
        for (const auto& mode : appliesTo) {
            CheckLine line{&e, mode, preset, false, ""};
            const MatrixCell* c = cellFor(mode, preset);
            if (!c || !c->result) {
                line.measured = c ? "could not run: " + c->error : "did not run";
                lines.push_back(line);
                continue;
            }
            switch (e.kind) {
            case Expectation::Kind::Console: {
                const std::string& text = consoleOf(*c, e.guest);
                if (e.match == Expectation::Match::Exact)
                    line.passed = text == e.text;
                else if (e.match == Expectation::Match::Contains)
                    line.passed = text.find(e.text) != std::string::npos;
                else
                    line.passed = std::regex_search(text, std::regex(e.text, std::regex::ECMAScript));
                // A match needs no more words; a miss shows the start of what was there.
                std::string shown = text.substr(0, 60);
                for (auto& ch : shown)
                    if (ch == '\n') ch = '|';
                line.measured = line.passed ? "found"
                                            : fmt::format("the console was \"{}{}\"", shown, text.size() > 60 ? "..." : "");
                break;
            }
            case Expectation::Kind::Diverges:
                line.passed = (!c->sameConsoleAsNative) == e.diverges;
                line.measured = c->sameConsoleAsNative ? "same console as native" : "console differs from native";
                break;
            case Expectation::Kind::Counter: {
                const auto v = counterValue(*c, e.counter);
                line.passed = v && compareValues(*v, e.op, e.value);
                line.measured = v                        ? fmt::format("{} = {}", e.counter, number(*v))
                                : !c->overheadNote.empty() ? e.counter + " not measured: " + c->overheadNote
                                                           : e.counter + " not measured";
                break;
            }
            case Expectation::Kind::Order: break;
            }
            lines.push_back(line);
        }
    }
    return lines;
}

}  // namespace ringsim
