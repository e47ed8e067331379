// Compares a band of rows of two screenshots of the same size: the menu bar
// of a window put in presentation mode by a key against one started in it
// (title bars drawn over the menu show as differing pixels).
// usage: ringsim_gui_image_rows_check A.png B.png FIRST_ROW END_ROW
#include <cstdio>
#include <cstdlib>
#include <string>

#include "check_support.h"

using ringsim::guitest::fail;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s A.png B.png FIRST_ROW END_ROW\n", argv[0]);
        return 2;
    }
    int wa = 0, ha = 0, wb = 0, hb = 0;
    const auto a = ringsim::guitest::loadRgb(argv[1], wa, ha);
    const auto b = ringsim::guitest::loadRgb(argv[2], wb, hb);
    if (a.empty() || b.empty()) return fail("cannot read both pictures");
    if (wa != wb || ha != hb) return fail("the pictures differ in size");
    const int first = std::atoi(argv[3]), end = std::atoi(argv[4]);
    if (first < 0 || end > ha || first >= end) return fail("rows out of the picture");
    size_t differing = 0;
    for (size_t i = size_t(first) * size_t(wa) * 3; i < size_t(end) * size_t(wa) * 3; i += 3)
        if (a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2]) ++differing;
    std::printf("rows %d-%d: %zu pixels differ\n", first, end - 1, differing);
    return differing == 0 ? 0 : fail("the rows differ");
}
