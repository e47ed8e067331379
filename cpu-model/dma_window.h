// Where a device reaches memory on its own (DMA, a shared ring): a window of
// physical memory, a VM's partition; addresses the device is given are
// window-relative, so a guest can never point a device outside its memory.
#pragma once

#include <cstdint>

#include "memory.h"

namespace ringsim {

struct DmaWindow {
    PhysicalMemory* memory = nullptr;
    uint32_t base = 0;
    uint32_t limit = 0;  // bytes
    bool contains(uint64_t address, uint32_t length) const { return address + length <= limit; }
};

}  // namespace ringsim
