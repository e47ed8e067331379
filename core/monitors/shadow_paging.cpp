#include "monitors/shadow_paging.h"

#include <algorithm>

namespace ringsim {

namespace {
uint32_t pageOf(uint32_t address) { return address & isa::pte::FrameMask; }
}  // namespace

void ShadowPageTables::watch(Cpu& cpu, uint32_t guestPage, bool on) {
    if (guestPage >= cpu.windowLimit()) return;
    const uint32_t frame = (cpu.windowBase() + guestPage) >> isa::kPageShift;
    uint32_t& watchers = watchers_[frame];
    if (on && ++watchers == 1) {
        cpu.memory().setWatched(frame, page_flag::WatchedTables, true);
        cpu.pageWatchChanged(frame);
    } else if (!on && watchers > 0 && --watchers == 0) {
        cpu.memory().setWatched(frame, page_flag::WatchedTables, false);
    }
    if (watchers == 0) watchers_.erase(frame);
}

void ShadowPageTables::walkTables(Cpu& cpu, AddressSpace& space) {
    std::set<uint32_t> pages{space.directory};
    for (uint32_t i = 0; i < 1024; ++i) {
        uint32_t pde = 0;
        if (cpu.readPhysical32(space.directory + i * 4, pde) && (pde & isa::pte::Present))
            pages.insert(pde & isa::pte::FrameMask);
    }
    for (uint32_t page : pages)
        if (!space.tablePages.count(page)) watch(cpu, page, true);
    for (uint32_t page : space.tablePages)
        if (!pages.count(page)) watch(cpu, page, false);
    space.tablePages = std::move(pages);
}

void ShadowPageTables::drop(Cpu& cpu, size_t index) {
    for (uint32_t page : cached_[index].tablePages) watch(cpu, page, false);
    cached_.erase(cached_.begin() + std::ptrdiff_t(index));
}

void ShadowPageTables::track(Cpu& cpu, uint32_t ptb) {
    ptb_ = ptb;
    if (!(ptb & 1)) return;
    const uint32_t directory = pageOf(ptb);
    auto it =
        std::find_if(cached_.begin(), cached_.end(), [&](const AddressSpace& s) { return s.directory == directory; });
    AddressSpace space;
    if (it != cached_.end()) {
        space = std::move(*it);
        cached_.erase(it);
    } else {
        space.directory = directory;
        if (cached_.size() >= kCachedAddressSpaces) drop(cpu, cached_.size() - 1);
    }
    cached_.insert(cached_.begin(), std::move(space));
    walkTables(cpu, cached_.front());
}

void ShadowPageTables::written(Cpu& cpu, uint32_t guestPhysical) {
    const uint32_t page = pageOf(guestPhysical);
    const uint32_t entry = guestPhysical & ~3u;
    for (size_t i = cached_.size(); i-- > 0;) {
        AddressSpace& space = cached_[i];
        if (page == space.directory) {
            const bool isActive = i == 0 && active();
            if (!isActive) {
                drop(cpu, i);
                continue;
            }
            // A directory entry: every shadow entry under it goes.
            const uint32_t index = (guestPhysical & ~isa::pte::FrameMask) / 4;
            std::erase_if(space.filled, [&](const auto& f) { return f.first >> 10 == index; });
            walkTables(cpu, space);
        } else if (space.tablePages.count(page)) {
            std::erase_if(space.filled, [&](const auto& f) { return f.second == entry; });
        }
    }
}

bool ShadowPageTables::isTablePage(const Cpu& cpu, uint32_t guestPhysical) const {
    return watchers_.count((cpu.windowBase() + guestPhysical) >> isa::kPageShift) != 0;
}

bool ShadowPageTables::fill(uint32_t address, uint32_t pteAddress) {
    if (!active() || cached_.empty()) return false;
    auto& filled = cached_.front().filled;
    const uint32_t page = address >> isa::kPageShift;
    auto it = filled.find(page);
    if (it != filled.end() && it->second == pteAddress) return false;
    filled[page] = pteAddress;
    return true;
}

}  // namespace ringsim
