// The check that no text is cut off (issue 14, item 9): after a frame is
// rendered, every glyph ImGui drew is compared with the clip rectangle it was
// drawn in. A glyph that crosses its rectangle's left or right edge is text
// cut off by a panel, a table column or a box too narrow for it. Lines cut at
// the top or bottom are a scrolled list's, and panels that scroll sideways
// show that they do: neither counts. Besides, a panel whose items are wider
// than it and that has no horizontal scroll bar cuts them (a button, a box).
#pragma once

#include <string>
#include <vector>

namespace ringsim::gui {

// One line per cut, "clipped <panel>: <what>"; empty when nothing is cut.
// Reads the draw data of the frame just rendered.
std::vector<std::string> findClippedText();

}  // namespace ringsim::gui
