// Guest software: a kernel and the user programs it starts, assembled from
// their sources, and the boot protocol that hands the programs to the kernel.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cpu-model/assembler.h"

namespace ringsim {

struct GuestSources {
    std::string kernel;                   // path of the kernel source
    std::vector<std::string> programs;    // paths of user program sources, started in this order
    std::map<std::string, int64_t> defines;
    std::vector<std::string> includeDirs;  // searched by .include after the including file's folder (-I)
};

struct GuestImages {
    assembler::Program kernel;
    std::vector<assembler::Program> programs;
    std::vector<std::string> programNames;  // file names without folder, for messages
};

// Assembles everything; throws InputError carrying every diagnostic.
GuestImages assembleGuest(const GuestSources& sources);

// The boot protocol. The loader copies the kernel image to its origin and each
// program image to page-aligned physical memory after it, writes a boot-info
// block after the last program, and starts the kernel at its entry in ring 0
// with paging and interrupts off and r1 = the boot-info address.
namespace bootinfo {
constexpr uint32_t kMagic = 0x474E4952;  // "RING"
constexpr uint32_t kMagicOffset = 0;
constexpr uint32_t kMemorySizeOffset = 4;
constexpr uint32_t kFirstFreeOffset = 8;    // first physical page nothing was loaded into
constexpr uint32_t kProgramCountOffset = 12;
constexpr uint32_t kProgramsOffset = 16;    // then per program: physical address, size, virtual origin, entry,
                                            // container (the namespace its process starts in; 0 = a host process),
                                            // and that container's CPU weight
constexpr uint32_t kProgramEntrySize = 24;
constexpr uint32_t kProgramContainerOffset = 16;  // within an entry
constexpr uint32_t kProgramWeightOffset = 20;     // within an entry
constexpr uint32_t kMaxPrograms = 32;
}  // namespace bootinfo

// A container's CPU weight, as cgroup v2's cpu.weight: under contention the
// kernel shares the CPU among containers in proportion to their weights.
constexpr uint32_t kDefaultContainerWeight = 100;  // cgroup v2's default
constexpr uint32_t kMinContainerWeight = 1;
constexpr uint32_t kMaxContainerWeight = 10000;

// Where one program starts: the container (namespace) of its process, 0 for
// a host process, and the CPU weight of that container. Every program placed
// in one container must give it the same weight.
struct ProgramPlacement {
    uint32_t container = 0;
    uint32_t weight = kDefaultContainerWeight;
};

}  // namespace ringsim
