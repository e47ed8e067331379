// libstdc++ 12's <regex> trips a false -Wmaybe-uninitialized in the
// std::function inside its automaton (sanitizer builds); it is about the
// standard headers, which this file includes before its own code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// The expect: section of a scenario: console texts, divergence from native,
// counters and orders, each checked against the modes and the counters a run
// reports.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "monitors/modes.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_numbers.h"
#include "scenario/scenario_regex.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

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

}  // namespace ringsim::scenario_detail
