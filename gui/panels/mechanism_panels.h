// What the three mechanism views share: one place on screen (PanelSlot::Mechanism),
// each shown in the modes it belongs to, and — opened from the "Mechanism"
// window in any other mode — saying plainly that it does not apply there.
#pragma once

#include <string_view>

#include "../ui.h"
#include "monitors/modes.h"

namespace ringsim::gui {

enum class MechanismPanel { TranslationCache, Hypercalls, ExitControls, Count };

// Whether the panel belongs to the mode (the mode table's MechanismView).
bool mechanismBelongsTo(MechanismPanel panel, Mode mode);
// Opens the panel in any mode (it is closed again with its close button).
void openMechanismPanel(Ui& ui, MechanismPanel panel);
bool mechanismPanelOpened(const Ui& ui, MechanismPanel panel);

// Begins the panel's window when it is to be shown. True: the mode is the
// panel's and there is a session; draw the contents, then ImGui::End().
// False: nothing more to draw (the window, if shown, said why and was ended).
bool beginMechanismPanel(Ui& ui, MechanismPanel panel);

}  // namespace ringsim::gui
