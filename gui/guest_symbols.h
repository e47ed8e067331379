// Names for guest addresses in the mechanism views: the nearest label at or
// before an address in the kernel or a program image ("console_write+0x18"),
// built once per guest from the assembled images.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/guest.h"

namespace ringsim::gui {

class GuestSymbols {
public:
    // Rebuilds the table when the guest changed; cheap when it did not.
    void use(const GuestImages* guest);
    // "label+0x1c", "main (hello.s)", or "" when no image holds the address.
    std::string name(uint32_t address) const;

private:
    struct Image {
        uint32_t origin = 0, end = 0;
        std::string suffix;                                  // "" for the kernel, " (hello.s)" for a program
        std::vector<std::pair<uint32_t, std::string>> labels;  // by address; global labels before local ones
    };
    const GuestImages* guest_ = nullptr;
    std::vector<Image> images_;
};

}  // namespace ringsim::gui
