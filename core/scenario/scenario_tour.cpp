// The tour: section of a scenario: its modes and stops, each stop's condition
// and what it says. A condition its modes can never meet is refused.
#include <fmt/format.h>

#include <algorithm>

#include "cpu-model/costs.h"
#include "cpu-model/vmx.h"
#include "machine/events.h"
#include "machine/hypercalls.h"
#include "monitors/hw_assist.h"
#include "monitors/modes.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_numbers.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

namespace {

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

}  // namespace

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
        const Preset* preset = presetNamed(s.machine.preset);
        const bool nested =
            s.machine.paging == "nested" || (s.machine.paging == "auto" && preset && preset->nestedPaging);
        if (!HardwareAssistMonitor::exitControlsFor(nested).exits(reason)) {
            if (HardwareAssistMonitor::exitControlsFor(!nested).exits(reason))
                fail(x, fmt::format("with {} paging (machine.paging: {}, preset {}) there is no {} exit; set "
                                    "machine.paging: {} to see it",
                                    nested ? "nested" : "shadow", s.machine.paging, s.machine.preset, c.exitReason,
                                    nested ? "shadow" : "nested"));
            fail(x, fmt::format("the hw-assist monitor never exits for {}: its exit controls leave that to the guest",
                                c.exitReason));
        }
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

}  // namespace ringsim::scenario_detail
