// Names for guest addresses: which assembled image holds the code at an
// address (the kernel, or the user program mapped there now), its labels and
// source lines, and addresses a user types as a number or a label. Read from
// the images and, without side effects, from guest memory; never from a list
// of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "machine/guest.h"
#include "cpu-model/cpu.h"

namespace ringsim::gui {

class SimController;

class GuestSymbols {
public:
    using Label = std::pair<uint32_t, std::string>;
    struct Image {
        const assembler::Program* program = nullptr;
        std::string name;           // "kernel", or the program's file name
        std::vector<Label> labels;  // sorted by address
        bool contains(uint32_t address) const {
            return address >= program->origin && uint64_t(address) < uint64_t(program->origin) + program->image.size();
        }
    };

    GuestSymbols() = default;
    explicit GuestSymbols(const GuestImages& images);

    // The image whose code is at this virtual address in the address space on
    // the CPU now: the kernel's image where the kernel is; where the user
    // programs are (all linked at one address), the program whose bytes at
    // its entry are the ones mapped now. Null when none is there.
    const Image* imageAt(const Cpu& cpu, uint32_t address) const;
    const Image& kernel() const { return images_.front(); }
    // The labels at exactly this address (usually none or one).
    std::span<const Label> labelsAt(const Image& image, uint32_t address) const;
    // "do_syscall", "do_syscall+8", "hello.s:_start"; empty where no image is.
    std::string describe(const Cpu& cpu, uint32_t address) const;
    // The same from the images alone, for addresses recorded earlier (no CPU
    // to say which program is mapped): the first image holding the address,
    // "label+28" in the kernel, "main (hello.s)" in a program.
    std::string name(uint32_t address) const;
    // An address as a user writes it: 0x1f00, 8000, a kernel label, or
    // program.s:label (as the tours name them). Empty, with `error` set, if it is none.
    std::optional<uint32_t> resolve(const std::string& text, std::string& error) const;
    bool empty() const { return images_.empty(); }

private:
    std::vector<Image> images_;  // the kernel first, then the programs
};

// The symbols of the session on screen (rebuilt when a new session starts).
const GuestSymbols& symbolsOf(const SimController& sim);

// "stopped at breakpoint 0x1a2c (do_syscall)", with the VM when there
// are several; empty unless the session stands at a breakpoint.
std::string breakpointStopText(SimController& sim);

}  // namespace ringsim::gui
