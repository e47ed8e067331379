// "Why did this happen?": one event of a run explained in the lecture's
// terms — the instruction behind it and its class, the mechanism that
// handled it in this mode, where control went, and what it cost, part by
// part from the run's cost table. The GUI's card and `ringsim explain` both
// print this; neither knows the rules themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpu-model/costs.h"
#include "cpu-model/isa.h"
#include "machine/events.h"
#include "machine/guest.h"
#include "monitors/modes.h"

namespace ringsim {

// Where an address lies in a guest's images, and the instruction there.
struct CodeLocation {
    std::string image;        // "kernel" or the program's file name
    std::string path;         // the source file as the assembler named it (for an editor to open)
    std::string file;         // its name without folder
    int line = 0;             // 1-based; 0 if the address has no source line
    std::string label;        // the nearest label at or before the address, "+offset" after it
    std::string instruction;  // disassembled: "popf", "out 0x10, r2"
    uint8_t opcode = 0;
    bool decoded = false;     // the bytes are a valid instruction
    // Other images that also hold this address (user programs share their
    // virtual origin) and fit as well; empty when the choice is certain.
    std::vector<std::string> alsoPossible;
    std::string where() const;  // "kernel.s:123 (trap_syscall+8)"
};

// The image holding `address`: the kernel or a user program. Several
// programs may hold it (they share their virtual origin); `fits` (given the
// opcode there) keeps those that could have been running, the first wins.
std::optional<CodeLocation> locateCode(const GuestImages& guest, uint32_t address,
                                       const std::function<bool(uint8_t opcode)>& fits = {});

// The instruction behind an event, located in the guest's images: the image
// whose opcode at the pc fits the event's kind wins, and the opcode the event
// carries names the instruction when the image cannot. None if neither tells.
std::optional<CodeLocation> locateEventCode(const Event& event, const GuestImages& guest);

// One part of an event's cost, named as in the cost table.
struct CostPart {
    std::string name;        // "vm_exit", "bt_translate_insn", "insn.popf"
    std::string meaning;     // what the cycles pay for
    uint64_t count = 1;      // how many times (instructions translated, walk references)
    uint64_t each = 0;       // cycles each, from the run's cost table
    bool inEventCost = true; // part of Event::cost; false: charged apart (in its own event or in the counters)
    uint64_t cycles() const { return count * each; }
};

struct EventExplanation {
    std::string kind;              // "vm-exit"
    std::string summary;           // one sentence: what happened
    std::optional<CodeLocation> code;
    std::string instructionRole;   // what the instruction is to the event: "the instruction that caused it", ...
    std::string instructionClass;  // "privileged", "sensitive-unprivileged", "ordinary", "gate", "hypercall"
    std::string classMeaning;      // what the class means for a monitor
    std::string mechanism;         // short: "VM exit (io-instruction)", "nothing: executed silently"
    std::string mechanismText;     // what that mechanism did here, in this mode
    std::string ringBefore;        // "ring 1 (the guest kernel, deprivileged)"
    std::string ringAfter;
    std::string controlText;       // where control went and who runs there
    std::vector<CostPart> costs;   // the parts in the event's cost first, then the others
    uint64_t eventCost = 0;        // Event::cost: the parts with inEventCost add up to it
    std::string costNote;          // what the figures include and what they leave out
};

// Explains `event` of a run in `mode` and the guest it ran, from the
// event's receipt: the mechanism, the route and the costs charged.
EventExplanation explainEvent(const Event& event, Mode mode, const GuestImages& guest);

// Who runs in `ring` in this mode: "the monitor (root mode)", "the guest kernel, deprivileged", ...
std::string ringOccupant(int ring, Mode mode);
// What a class of instruction means for virtualisation, in a sentence or two.
std::string_view instructionClassMeaning(isa::InsnClass c);

// The explanation as plain text (for `ringsim explain`).
std::string explanationText(const EventExplanation& x);

}  // namespace ringsim
