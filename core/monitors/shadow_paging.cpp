#include "monitors/shadow_paging.h"

namespace ringsim {

void ShadowPageTables::clear(Cpu& cpu) {
    for (uint32_t frame : watched_) cpu.memory().setWatched(frame, page_flag::WatchedTables, false);
    watched_.clear();
}

void ShadowPageTables::track(Cpu& cpu, uint32_t ptb) {
    clear(cpu);
    ptb_ = ptb;
    if (!(ptb & 1)) return;
    auto watch = [&](uint32_t guestPhysical) {
        if (guestPhysical >= cpu.windowLimit()) return;
        const uint32_t frame = (cpu.windowBase() + guestPhysical) >> isa::kPageShift;
        if (watched_.insert(frame).second) {
            cpu.memory().setWatched(frame, page_flag::WatchedTables, true);
            cpu.pageWatchChanged(frame);
        }
    };
    const uint32_t directory = ptb & isa::pte::FrameMask;
    watch(directory);
    for (uint32_t i = 0; i < 1024; ++i) {
        uint32_t pde = 0;
        if (cpu.readPhysical32(directory + i * 4, pde) && (pde & isa::pte::Present)) watch(pde & isa::pte::FrameMask);
    }
}

bool ShadowPageTables::written(Cpu& cpu, uint32_t guestPhysical) {
    if ((guestPhysical & isa::pte::FrameMask) != (ptb_ & isa::pte::FrameMask)) return false;
    track(cpu, ptb_);
    return true;
}

bool ShadowPageTables::isTablePage(const Cpu& cpu, uint32_t guestPhysical) const {
    return watched_.count((cpu.windowBase() + guestPhysical) >> isa::kPageShift) != 0;
}

}  // namespace ringsim
