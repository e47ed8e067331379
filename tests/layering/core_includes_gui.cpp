// Must not compile: core knows nothing of the GUI or of Dear ImGui.
#include <imgui.h>
#include "gui/ui.h"
