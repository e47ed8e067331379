// Where the stage's arrow labels go so that none covers another: each is
// put where its arrow wants it, or moved up or down to the nearest place
// clear of the labels placed before it and of the areas to keep clear (the
// bands' names, the boxes), within its own bounds (a mark stays in its
// ring's band). Pure geometry, tested without a window.
#pragma once

#include <vector>

namespace ringsim::gui {

struct LabelRect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
};

bool overlap(const LabelRect& a, const LabelRect& b);

struct LabelWish {
    LabelRect rect;    // where its arrow or mark wants it
    LabelRect within;  // where it may go
};

// The rects the labels get, in the order of `wishes`. None overlaps another;
// each stays within its bounds and off `keepClear` where it can.
std::vector<LabelRect> placeLabels(const std::vector<LabelWish>& wishes, const std::vector<LabelRect>& keepClear = {});

}  // namespace ringsim::gui
