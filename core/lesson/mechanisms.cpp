#include "lesson/mechanisms.h"

#include "cpu-model/disassembler.h"

namespace ringsim {

size_t monitorCount(Session& session) {
    if (session.host()) return session.host()->size();
    return session.monitor() ? 1 : 0;
}

Monitor* monitorOf(Session& session, size_t vm) {
    if (VmHost* host = session.host()) return vm < host->size() ? &host->monitor(vm) : nullptr;
    return vm == 0 ? session.monitor() : nullptr;
}

std::vector<HypercallSite> hypercallSites(const assembler::Program& image) {
    // The line map holds the start of every instruction and data directive:
    // decoding there reads instructions as the CPU would, never from their middle.
    std::vector<HypercallSite> sites;
    for (const auto& [address, location] : image.lineMap) {
        if (address < image.origin || address - image.origin >= image.image.size()) continue;
        const std::span<const uint8_t> bytes(image.image.data() + (address - image.origin),
                                             image.image.size() - (address - image.origin));
        const disassembler::Line line = disassembler::disassembleOne(bytes, address);
        if (line.info && line.info->opcode == isa::Opcode::Hcall)
            sites.push_back(HypercallSite{address, line.fields.imm, location});
    }
    return sites;
}

}  // namespace ringsim
