#include "guest_symbols.h"

#include <algorithm>
#include <cstdio>

namespace ringsim::gui {

namespace {
bool isLocal(const std::string& label) { return !label.empty() && label[0] == '.'; }
}  // namespace

void GuestSymbols::use(const GuestImages* guest) {
    if (guest == guest_) return;
    guest_ = guest;
    images_.clear();
    if (!guest) return;
    auto add = [&](const assembler::Program& p, std::string suffix) {
        Image image{p.origin, uint32_t(p.origin + p.image.size()), std::move(suffix), {}};
        for (const auto& [label, address] : p.labels)
            if (address >= image.origin && address < image.end) image.labels.emplace_back(address, label);
        // At one address a global label names the place better than a local one.
        std::sort(image.labels.begin(), image.labels.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : isLocal(a.second) < isLocal(b.second);
        });
        images_.push_back(std::move(image));
    };
    add(guest->kernel, "");
    for (size_t i = 0; i < guest->programs.size(); ++i)
        add(guest->programs[i], " (" + (i < guest->programNames.size() ? guest->programNames[i] : std::string("program")) + ")");
}

std::string GuestSymbols::name(uint32_t address) const {
    for (const Image& image : images_) {
        if (address < image.origin || address >= image.end) continue;
        // The last label at or before the address (the first of those at its address: the global one).
        auto it = std::upper_bound(image.labels.begin(), image.labels.end(), address,
                                   [](uint32_t a, const auto& entry) { return a < entry.first; });
        if (it == image.labels.begin()) return "?" + image.suffix;
        const uint32_t at = std::prev(it)->first;
        auto first = std::lower_bound(image.labels.begin(), it, at, [](const auto& entry, uint32_t a) { return entry.first < a; });
        if (at == address) return first->second + image.suffix;
        char offset[16];
        std::snprintf(offset, sizeof offset, "+0x%x", address - at);
        return first->second + offset + image.suffix;
    }
    return {};
}

}  // namespace ringsim::gui
