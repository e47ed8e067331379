// The timeline of who ran when: every cycle of a run lands in exactly one
// span, the spans add up to the CPU's cycle account and to each guest's
// result, the summaries the views read agree with the spans, and the
// timeline is the same however the run is driven (twice, or in small steps).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <numeric>

#include "bundled_guest.h"
#include "run/run.h"
#include "run/session.h"
#include "machine/timeline.h"

using namespace ringsim;

namespace {

using Cycles = std::array<uint64_t, kCycleCategoryCount>;


const GuestImages& images(bool paravirt) { return testing::bundledGuest(std::vector<std::string>{"syscalls", "hello"}, paravirt); }

const Mode kModes[] = {Mode::Native,   Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation,
                              Mode::Paravirt, Mode::HwAssist,    Mode::Container};

RunOptions optionsFor(Mode mode, uint32_t instances, size_t capacity = size_t(1) << 22) {
    RunOptions options;
    options.mode = mode;
    options.instances = instances;
    options.timelineCapacity = capacity;
    // Short slices: many switches between the VMs, each a span of the monitor's own.
    options.sliceCycles = 20'000;
    return options;
}

std::unique_ptr<Session> sessionFor(Mode mode, uint32_t instances, size_t capacity = size_t(1) << 22) {
    return std::make_unique<Session>(images(mode == Mode::Paravirt), optionsFor(mode, instances, capacity));
}

std::vector<TimelineSpan> allSpans(const Timeline& t) {
    std::vector<TimelineSpan> out;
    for (uint64_t n = t.spans().firstRetained(); n < t.spans().total(); ++n) out.push_back(t.spans().at(n));
    return out;
}

Cycles spanTotals(const Timeline& t, int guest = -1) {
    Cycles sum{};
    for (uint64_t n = t.spans().firstRetained(); n < t.spans().total(); ++n)
        if (const TimelineSpan& s = t.spans().at(n); guest < 0 || s.guest == uint16_t(guest))
            sum[size_t(s.category)] += s.end - s.start;
    return sum;
}

// (bucket, guest) -> cycles by category, rebuilt from the spans.
std::map<std::pair<uint64_t, uint16_t>, Cycles> bucketsFromSpans(const Timeline& t, unsigned shift) {
    std::map<std::pair<uint64_t, uint16_t>, Cycles> out;
    for (const auto& s : allSpans(t))
        for (uint64_t b = s.start >> shift; b <= (s.end - 1) >> shift; ++b) {
            const uint64_t lo = std::max(s.start, b << shift), hi = std::min(s.end, (b + 1) << shift);
            out[{b, s.guest}][size_t(s.category)] += hi - lo;
        }
    return out;
}

}  // namespace

TEST_CASE("the timeline's spans cover every cycle once and add up to the cycle account", "[timeline]") {
    for (Mode mode : kModes)
        for (uint32_t instances : {1u, 3u}) {
            INFO(mode << " x" << instances);
            auto session = sessionFor(mode, instances);
            REQUIRE(session->run() == StopReason::Halted);
            const Timeline& t = *session->timeline();
            const RunResult r = session->result();
            REQUIRE_FALSE(t.spans().dropped());
            CHECK(t.startCycle() == 0);
            CHECK(t.endCycle() == r.totalCycles);
            CHECK(spanTotals(t) == r.cycles);
            CHECK(t.totals() == r.cycles);
            // Contiguous, never empty, and merged: two neighbours differ in guest or category.
            const auto spans = allSpans(t);
            REQUIRE_FALSE(spans.empty());
            CHECK(spans.front().start == 0);
            CHECK(spans.back().end == r.totalCycles);
            size_t gaps = 0, empty = 0, unmerged = 0;
            for (size_t i = 0; i < spans.size(); ++i) {
                empty += spans[i].end <= spans[i].start;
                if (i == 0) continue;
                gaps += spans[i].start != spans[i - 1].end;
                unmerged += spans[i].guest == spans[i - 1].guest && spans[i].category == spans[i - 1].category;
            }
            CHECK(gaps == 0);
            CHECK(empty == 0);
            CHECK(unmerged == 0);
        }
}

TEST_CASE("each guest's lane adds up to that guest's result, and the monitor's own lane to its cycles",
          "[timeline]") {
    for (Mode mode : kModes)
        for (uint32_t instances : {1u, 3u}) {
            INFO(mode << " x" << instances);
            auto session = sessionFor(mode, instances);
            REQUIRE(session->run() == StopReason::Halted);
            const Timeline& t = *session->timeline();
            const RunResult r = session->result();
            REQUIRE_FALSE(r.guests.empty());
            for (const auto& g : r.guests) {
                INFO(g.name);
                CHECK(spanTotals(t, g.id) == g.cycles);
                CHECK(t.totals(g.id) == g.cycles);
            }
            const bool vms = modeInfo(mode).virtualMachine;
            if (vms) {
                CHECK(spanTotals(t, kHostGuest) == r.hostCycles);
                // The monitor's own lane is the switches between VMs, nothing else.
                const auto host = spanTotals(t, kHostGuest);
                CHECK(std::accumulate(host.begin(), host.end(), uint64_t(0)) ==
                      host[size_t(CycleCategory::WorldSwitch)]);
                if (instances > 1) CHECK(host[size_t(CycleCategory::WorldSwitch)] == r.guestSwitches * r.costs.vmSwitch);
            } else {
                CHECK(spanTotals(t, kHostGuest) == Cycles{});
            }
            // Lanes: one per VM (+ the monitor's), per container (+ the host kernel's), one natively.
            std::vector<uint16_t> expected;
            if (mode == Mode::Container) expected.push_back(0);
            for (const auto& g : r.guests)
                if (expected.empty() || expected.back() != g.id) expected.push_back(g.id);
            if (vms && instances > 1) expected.push_back(kHostGuest);
            CHECK(t.guests() == expected);
        }
}

TEST_CASE("the summaries hold what the spans hold, bucket by bucket", "[timeline]") {
    for (Mode mode : kModes) {
        INFO(mode);
        auto session = sessionFor(mode, 3);
        REQUIRE(session->run() == StopReason::Halted);
        const Timeline& t = *session->timeline();
        for (size_t level = 0; level < Timeline::kLevels; ++level) {
            const unsigned shift = Timeline::kLevelShifts[level];
            INFO("buckets of 2^" << shift);
            const auto expected = bucketsFromSpans(t, shift);
            const auto& cells = t.summary(level);
            REQUIRE_FALSE(cells.dropped());
            std::map<std::pair<uint64_t, uint16_t>, Cycles> got;
            size_t outOfOrder = 0, twice = 0;
            for (uint64_t n = 0; n < cells.total(); ++n) {
                const TimelineCell& c = cells.at(n);
                if (n > 0) outOfOrder += c.bucket < cells.at(n - 1).bucket;
                auto [it, inserted] = got.try_emplace({c.bucket, c.guest});
                twice += !inserted;
                for (size_t k = 0; k < kCycleCategoryCount; ++k) it->second[k] += c.cycles[k];
            }
            CHECK(outOfOrder == 0);
            CHECK(twice == 0);
            CHECK(got.size() == expected.size());
            size_t differ = 0;
            for (const auto& [key, cycles] : expected) differ += got.count(key) == 0 || got.at(key) != cycles;
            CHECK(differ == 0);
        }
    }
}

TEST_CASE("a view's columns read from the summaries say what the spans say", "[timeline]") {
    for (Mode mode : {Mode::HwAssist, Mode::BinaryTranslation, Mode::Container}) {
        INFO(mode);
        auto session = sessionFor(mode, 3);
        REQUIRE(session->run() == StopReason::Halted);
        const Timeline& t = *session->timeline();
        const std::vector<uint16_t>& lanes = t.guests();
        // Columns exactly one bucket wide, aligned: each column is one summary bucket (or many spans).
        for (unsigned shift : {8u, 12u, 16u, 20u}) {
            INFO("columns of 2^" << shift << " cycles");
            const double width = double(uint64_t(1) << shift);
            const size_t columns = size_t((t.endCycle() >> shift) + 1);
            std::vector<ColumnCycles> got;
            t.columns(0, width, columns, lanes, got);
            REQUIRE(got.size() == lanes.size() * columns);
            std::vector<ColumnCycles> expected(got.size());
            for (const auto& s : allSpans(t)) {
                const size_t lane = size_t(std::find(lanes.begin(), lanes.end(), s.guest) - lanes.begin());
                for (uint64_t b = s.start >> shift; b <= (s.end - 1) >> shift; ++b) {
                    const uint64_t lo = std::max(s.start, b << shift), hi = std::min(s.end, (b + 1) << shift);
                    expected[lane * columns + b][size_t(s.category)] += double(hi - lo);
                }
            }
            size_t differ = 0;
            // Exact but for rounding where a bucket is cut short by the end of the run.
            for (size_t i = 0; i < got.size(); ++i)
                for (size_t c = 0; c < kCycleCategoryCount; ++c)
                    differ += std::abs(got[i][c] - expected[i][c]) > 1e-6 * std::max(1.0, expected[i][c]);
            CHECK(differ == 0);
        }
        // Any zoom: the columns hold all the cycles in view, lane by lane.
        for (double perColumn : {3.7, 5000.0, 70'000.0, 2.5e6}) {
            INFO(perColumn << " cycles per column");
            const size_t columns = size_t(double(t.endCycle()) / perColumn) + 1;
            std::vector<ColumnCycles> got;
            t.columns(0, perColumn, columns, lanes, got);
            for (size_t lane = 0; lane < lanes.size(); ++lane) {
                const Cycles totals = t.totals(lanes[lane]);
                for (size_t c = 0; c < kCycleCategoryCount; ++c) {
                    double sum = 0;
                    for (size_t col = 0; col < columns; ++col) sum += got[lane * columns + col][c];
                    CHECK(sum == Approx(double(totals[c])).margin(1e-6));
                }
            }
        }
    }
}

TEST_CASE("two runs give the same timeline, and so does a run paused and resumed in small steps", "[timeline]") {
    for (Mode mode : kModes) {
        INFO(mode);
        auto once = sessionFor(mode, 3);
        REQUIRE(once->run() == StopReason::Halted);
        auto again = sessionFor(mode, 3);
        REQUIRE(again->run() == StopReason::Halted);
        CHECK(allSpans(*again->timeline()) == allSpans(*once->timeline()));

        auto stepped = sessionFor(mode, 3);
        size_t steps = 0;
        while (!stepped->finished()) {
            // An odd step that falls anywhere in an instruction, a slice or a switch.
            stepped->run(stepped->machine().cpu.account.now + 4999);
            ++steps;
            // Between steps the timeline shows every cycle run so far.
            REQUIRE(stepped->timeline()->endCycle() == stepped->machine().cpu.account.now);
        }
        CHECK(steps > 100);
        const Timeline& a = *once->timeline();
        const Timeline& b = *stepped->timeline();
        CHECK(allSpans(b) == allSpans(a));
        for (size_t level = 0; level < Timeline::kLevels; ++level) {
            REQUIRE(b.summary(level).total() == a.summary(level).total());
            size_t differ = 0;
            for (uint64_t n = 0; n < a.summary(level).total(); ++n) {
                differ += !(a.summary(level).at(n) == b.summary(level).at(n));
            }
            CHECK(differ == 0);
        }
    }
}

TEST_CASE("the timeline keeps the newest spans up to its capacity, and exact totals", "[timeline]") {
    auto session = sessionFor(Mode::HwAssist, 3, 256);
    REQUIRE(session->run() == StopReason::Halted);
    const Timeline& t = *session->timeline();
    const RunResult r = session->result();
    CHECK(t.spans().dropped());
    CHECK(t.spans().total() - t.spans().firstRetained() == 256);
    CHECK(t.totals() == r.cycles);
    const auto spans = allSpans(t);
    CHECK(spans.back().end == r.totalCycles);
    CHECK(spans.front().start == t.spans().at(t.spans().firstRetained()).start);
    // The coarsest summary reaches further back than the spans.
    CHECK(t.retainedFrom() < spans.front().start);
    // A view of the whole run draws what is retained, from the summaries where the spans have gone.
    std::vector<ColumnCycles> got;
    const double perColumn = double(r.totalCycles) / 500;
    t.columns(0, perColumn, 500, t.guests(), got);
    double inView = 0;
    for (const auto& column : got)
        for (double c : column) inView += c;
    CHECK(inView <= double(r.totalCycles) + 1e-6);
    CHECK(inView >= double(r.totalCycles - t.retainedFrom()) - 1e-6);
}

TEST_CASE("no timeline unless asked for, and the account is the same with one", "[timeline]") {
    RunOptions plain = optionsFor(Mode::BinaryTranslation, 3, 0);
    Session without(images(false), plain);
    CHECK(without.timeline() == nullptr);
    without.run();
    auto with = sessionFor(Mode::BinaryTranslation, 3);
    with->run();
    const RunResult a = without.result(), b = with->result();
    CHECK(a.cycles == b.cycles);
    CHECK(a.events == b.events);
    CHECK(a.instructions == b.instructions);
}

TEST_CASE("events are found by cycle in the log, which is in cycle order", "[timeline]") {
    for (Mode mode : kModes) {
        INFO(mode);
        auto session = sessionFor(mode, 3);
        session->run();
        const EventLog& log = session->machine().events;
        REQUIRE(log.total() > 10);
        size_t backwards = 0;
        for (uint64_t n = log.firstRetained() + 1; n < log.total(); ++n) backwards += log.at(n).cycle < log.at(n - 1).cycle;
        CHECK(backwards == 0);
        const uint64_t middle = log.at(log.total() / 2).cycle;
        const uint64_t found = log.firstAtOrAfter(middle);
        CHECK(log.at(found).cycle == middle);
        CHECK((found == log.firstRetained() || log.at(found - 1).cycle < middle));
        CHECK(log.firstAtOrAfter(0) == log.firstRetained());
        CHECK(log.firstAtOrAfter(log.at(log.total() - 1).cycle + 1) == log.total());
    }
}
