#include "stage_labels.h"

#include <algorithm>
#include <cmath>

namespace ringsim::gui {

namespace {

constexpr float kGap = 2.0f;  // between two labels, so their boxes do not touch

LabelRect moved(const LabelRect& r, float x0, float y0) { return {x0, y0, x0 + r.width(), y0 + r.height()}; }

bool clearOf(const LabelRect& r, const std::vector<LabelRect>& rects) {
    return std::none_of(rects.begin(), rects.end(), [&](const LabelRect& o) { return overlap(r, o); });
}

bool inside(const LabelRect& r, const LabelRect& bounds) {
    return r.y0 >= bounds.y0 && r.y1 <= bounds.y1 && r.x0 >= bounds.x0 - 0.5f && r.x1 <= bounds.x1 + 0.5f;
}

// The nearest free place at column `x0`: the wanted height, or just above or
// below something in the way (the only places where a free gap begins).
bool nearestFree(const LabelRect& want, float x0, const LabelRect& within, const std::vector<LabelRect>& avoid,
                 LabelRect& out) {
    std::vector<float> ys{want.y0};
    for (const LabelRect& o : avoid) {
        ys.push_back(o.y1 + kGap);
        ys.push_back(o.y0 - kGap - want.height());
    }
    std::sort(ys.begin(), ys.end(), [&](float a, float b) { return std::fabs(a - want.y0) < std::fabs(b - want.y0); });
    for (const float y : ys) {
        const LabelRect r = moved(want, x0, y);
        if (inside(r, within) && clearOf(r, avoid)) {
            out = r;
            return true;
        }
    }
    return false;
}

}  // namespace

bool overlap(const LabelRect& a, const LabelRect& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

std::vector<LabelRect> placeLabels(const std::vector<LabelWish>& wishes, const std::vector<LabelRect>& keepClear) {
    std::vector<LabelRect> placed;
    for (const LabelWish& wish : wishes) {
        const LabelRect& want = wish.rect;
        // Inside the bounds sideways, as far as it fits.
        const float x0 = std::max(wish.within.x0, std::min(want.x0, wish.within.x1 - want.width()));
        std::vector<LabelRect> avoid = placed;
        avoid.insert(avoid.end(), keepClear.begin(), keepClear.end());
        LabelRect r;
        // Where it wants to be, else as far left as it may go (a long label
        // clears boxes on the right), else clear of the other labels at least.
        if (nearestFree(want, x0, wish.within, avoid, r) || nearestFree(want, wish.within.x0, wish.within, avoid, r) ||
            nearestFree(want, x0, wish.within, placed, r)) {
            placed.push_back(r);
            continue;
        }
        // Nowhere free inside: below every label placed so far, which nothing overlaps.
        float bottom = want.y0;
        for (const LabelRect& p : placed) bottom = std::max(bottom, p.y1 + kGap);
        placed.push_back(moved(want, x0, bottom));
    }
    return placed;
}

}  // namespace ringsim::gui
