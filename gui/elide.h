// Text that must fit the room it is given: a name that cannot wrap (a table
// cell, a box's choice) is cut with "..." and shown whole in a tooltip, never
// cut mid-letter by the panel's edge.
#pragma once

#include <string>
#include <string_view>

namespace ringsim::gui {

// `text`, or as much of its start as fits in `width` pixels followed by "...".
std::string elided(std::string_view text, float width);
// The text in the room left on this line (a column's, a panel's); the whole
// text in a tooltip when it had to be cut.
void textElided(std::string_view text);
// ImGui::BeginCombo with a choice shown that fits the box (its width from
// SetNextItemWidth or the panel's), whole in a tooltip when cut.
bool beginComboElided(const char* id, std::string_view preview);
// Goes on beside the last item when something `width` pixels wide still fits
// on its line (else the next item starts a line of its own); true if beside.
bool sameLineIfFits(float width);

}  // namespace ringsim::gui
