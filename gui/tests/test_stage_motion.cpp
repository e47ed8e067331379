// The stage's pacing and its labels' places, without a window: the pacer is
// fed times, the label layout rects.
#include <catch2/catch.hpp>

#include <random>

#include "gui/stage_labels.h"
#include "gui/stage_pacer.h"

using namespace ringsim::gui;

namespace {

// Every event has two hops (three rings), as a reflected syscall does.
size_t twoHops(uint64_t) { return 2; }

}  // namespace

TEST_CASE("the pacer plays each event in turn, a hop at a time", "[stage]") {
    StagePacer pacer;
    const double hop = 0.5;
    // The window opens on event 10: shown whole.
    auto f = pacer.advance(0.0, 10, twoHops, hop);
    CHECK(f.event == 10);
    CHECK(f.progress > 2.0f);
    // Three more arrive at once: the first of them plays from its start.
    f = pacer.advance(0.1, 13, twoHops, hop);
    CHECK(f.event == 11);
    CHECK(f.progress == Approx(0.0));
    CHECK(f.waiting == 2);
    // Halfway through its first hop it is still on.
    f = pacer.advance(0.35, 13, twoHops, hop);
    CHECK(f.event == 11);
    CHECK(f.progress == Approx(0.5));
    // After its two hops, the next in order.
    f = pacer.advance(1.1, 13, twoHops, hop);
    CHECK(f.event == 12);
    f = pacer.advance(2.1, 13, twoHops, hop);
    CHECK(f.event == 13);
    // The newest stays on stage once played.
    f = pacer.advance(9.0, 13, twoHops, hop);
    CHECK(f.event == 13);
    CHECK(f.waiting == 0);
    CHECK(f.skipped == 0);
}

TEST_CASE("the pacer drops to the newest when too many wait, and counts the skipped", "[stage]") {
    StagePacer pacer;
    pacer.advance(0.0, 0, twoHops, 0.5);
    // A hundred arrive at once, more than may wait: the newest plays, the rest are counted.
    auto f = pacer.advance(0.1, 100, twoHops, 0.5);
    CHECK(f.event == 100);
    CHECK(f.skipped == 99);
    CHECK(f.waiting == 0);
    // A backlog within the limit plays in order.
    f = pacer.advance(1.2, 100 + StagePacer::kMaxBacklog, twoHops, 0.5);
    CHECK(f.event == 101);
    CHECK(f.waiting == StagePacer::kMaxBacklog - 1);
    CHECK(f.skipped == 99);
}

TEST_CASE("the pacer starts over where the log went back, and plays a shown stop from its start", "[stage]") {
    StagePacer pacer;
    pacer.advance(0.0, 50, twoHops, 0.5);
    auto f = pacer.advance(0.1, 7, twoHops, 0.5);  // a rewind
    CHECK(f.event == 7);
    pacer.show(5, 3.0);  // the stop's event: played from its start
    f = pacer.advance(3.0, 7, twoHops, 0.5);
    CHECK(f.event == 5);
    CHECK(f.progress == Approx(0.0));
}

TEST_CASE("a hop is slow at slow speeds and brisker, never a flicker, at fast ones", "[stage]") {
    CHECK(hopSecondsAt(1) == Approx(0.45));
    CHECK(hopSecondsAt(10) < hopSecondsAt(1));
    CHECK(hopSecondsAt(1e6) == Approx(0.15));
}

TEST_CASE("labels placed on the stage never overlap", "[stage]") {
    const LabelRect bounds{0, 0, 800, 500};
    SECTION("labels wanted in one place are stacked") {
        std::vector<LabelWish> wishes(5, LabelWish{{100, 200, 220, 230}, bounds});
        const auto placed = placeLabels(wishes);
        REQUIRE(placed.size() == 5);
        CHECK(placed[0].y0 == Approx(200));  // the first keeps its place
        for (size_t i = 0; i < placed.size(); ++i)
            for (size_t j = i + 1; j < placed.size(); ++j) CHECK_FALSE(overlap(placed[i], placed[j]));
    }
    SECTION("a label keeps clear of the bands' names and boxes, inside its band") {
        // A band from 100 to 180: its name strip on top, a box at the bottom right.
        const LabelRect band{0, 100, 500, 180};
        const std::vector<LabelRect> taken{{0, 100, 200, 125}, {380, 150, 495, 178}};
        // One over the name (moved below it), one as long as the band less the box
        // (moved left), one past the right edge (moved in).
        const auto placed = placeLabels(
            {{{100, 110, 300, 135}, band}, {{60, 128, 420, 153}, band}, {{760, 10, 860, 40}, bounds}}, taken);
        for (size_t i = 0; i < 2; ++i) {
            for (const auto& t : taken) CHECK_FALSE(overlap(placed[i], t));
            CHECK(placed[i].y0 >= band.y0);
            CHECK(placed[i].y1 <= band.y1);
        }
        CHECK_FALSE(overlap(placed[0], placed[1]));
        CHECK(placed[2].x1 <= bounds.x1);
    }
    SECTION("random crowds") {
        std::mt19937 random(14);
        std::uniform_real_distribution<float> x(0, 700), y(0, 460), w(30, 200);
        for (int round = 0; round < 50; ++round) {
            std::vector<LabelWish> wishes;
            for (int i = 0; i < 12; ++i) {
                const float x0 = x(random), y0 = y(random);
                wishes.push_back({{x0, y0, x0 + w(random), y0 + 28}, bounds});
            }
            const auto placed = placeLabels(wishes, {{0, 0, 300, 20}});
            for (size_t i = 0; i < placed.size(); ++i)
                for (size_t j = i + 1; j < placed.size(); ++j) CHECK_FALSE(overlap(placed[i], placed[j]));
        }
    }
}
