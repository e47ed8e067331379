// The colours that mean something, the same in every panel: one per cycle
// category (bars, timeline, charts) and one per kind of transition (ring
// arrows, timeline markers).
#pragma once

#include <imgui.h>

#include "machine/events.h"
#include "cpu-model/costs.h"
#include "cpu-model/isa.h"

namespace ringsim::gui {

inline ImVec4 categoryColour(CycleCategory c) {
    static const ImVec4 colours[] = {{0.35f, 0.70f, 0.35f, 1}, {0.30f, 0.55f, 0.90f, 1}, {0.90f, 0.45f, 0.30f, 1},
                                     {0.80f, 0.65f, 0.20f, 1}, {0.85f, 0.35f, 0.75f, 1}, {0.55f, 0.45f, 0.85f, 1},
                                     {0.30f, 0.75f, 0.75f, 1}, {0.50f, 0.50f, 0.50f, 1}};
    return colours[static_cast<size_t>(c) % (sizeof colours / sizeof colours[0])];
}
inline ImU32 categoryColourU32(CycleCategory c) { return ImGui::ColorConvertFloat4ToU32(categoryColour(c)); }

inline ImU32 eventKindColour(EventKind k) {
    switch (k) {
    case EventKind::Syscall:
    case EventKind::SyscallReturn: return IM_COL32(120, 200, 255, 255);
    case EventKind::Fault: return IM_COL32(255, 110, 90, 255);
    case EventKind::Interrupt: return IM_COL32(255, 200, 80, 255);
    case EventKind::Hypercall: return IM_COL32(170, 130, 255, 255);
    case EventKind::VmExit:
    case EventKind::VmEntry: return IM_COL32(255, 130, 220, 255);
    case EventKind::IsolationViolation: return IM_COL32(255, 60, 60, 255);
    default: return IM_COL32(200, 200, 200, 255);
    }
}

// Instruction classes (isa.h), in the disassembly and wherever an
// instruction is named: a colour and a letter each; ordinary ones have none.
inline ImU32 instructionClassColour(isa::InsnClass c) {
    switch (c) {
    case isa::InsnClass::Privileged: return IM_COL32(255, 110, 90, 255);
    case isa::InsnClass::SensitiveUnprivileged: return IM_COL32(255, 190, 60, 255);
    case isa::InsnClass::Gate: return IM_COL32(120, 200, 255, 255);
    case isa::InsnClass::Hypercall: return IM_COL32(170, 130, 255, 255);
    default: return IM_COL32(200, 200, 200, 255);
    }
}
inline char instructionClassLetter(isa::InsnClass c) {
    switch (c) {
    case isa::InsnClass::Privileged: return 'P';
    case isa::InsnClass::SensitiveUnprivileged: return 'S';
    case isa::InsnClass::Gate: return 'G';
    case isa::InsnClass::Hypercall: return 'H';
    default: return ' ';
    }
}

}  // namespace ringsim::gui
