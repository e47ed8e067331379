#include "cpu-model/receipt.h"

#include "cpu-model/isa.h"

namespace ringsim {

std::string_view mechanismId(Mechanism m) {
    switch (m) {
    case Mechanism::SyscallGate: return "syscall-gate";
    case Mechanism::ExceptionToKernel: return "exception-to-kernel";
    case Mechanism::NoHandler: return "no-handler";
    case Mechanism::ReflectedByMonitor: return "reflected-by-monitor";
    case Mechanism::InjectedInterrupt: return "injected-interrupt";
    case Mechanism::TrapToMonitor: return "trap-to-monitor";
    case Mechanism::SilentlyExecuted: return "silently-executed";
    case Mechanism::TranslationCallout: return "translation-callout";
    case Mechanism::Hypercall: return "hypercall";
    case Mechanism::VmExit: return "vm-exit";
    case Mechanism::VmEntry: return "vm-entry";
    case Mechanism::ReturnByKernel: return "return-by-kernel";
    case Mechanism::ReturnByMonitor: return "return-by-monitor";
    case Mechanism::DirectDevice: return "direct-device";
    case Mechanism::EmulatedDevice: return "emulated-device";
    case Mechanism::BlockTranslated: return "block-translated";
    case Mechanism::CacheLookup: return "cache-lookup";
    case Mechanism::TranslationsDropped: return "translations-dropped";
    case Mechanism::ShadowWriteFault: return "shadow-write-fault";
    case Mechanism::ShadowTracedStore: return "shadow-traced-store";
    case Mechanism::ShadowExitUpdate: return "shadow-exit-update";
    case Mechanism::ShadowSwitch: return "shadow-switch";
    case Mechanism::HiddenFault: return "hidden-fault";
    case Mechanism::PageWalk: return "page-walk";
    case Mechanism::NestedPageWalk: return "nested-page-walk";
    case Mechanism::IsolationRefused: return "isolation-refused";
    case Mechanism::VmSwitch: return "vm-switch";
    case Mechanism::ContainerSwitch: return "container-switch";
    case Mechanism::Halt: return "halt";
    case Mechanism::Idle: return "idle";
    case Mechanism::Count: break;
    }
    return "none";
}

std::string_view actorName(Actor a) {
    switch (a) {
    case Actor::User: return "user";
    case Actor::Kernel: return "kernel";
    case Actor::Monitor: return "monitor";
    }
    return "?";
}

std::string_view CostItem::name() const {
    if (instruction) {
        const auto* info = isa::infoFor(entry);
        return info ? info->mnemonic : "?";
    }
    const auto entries = costEntries();
    return entry < entries.size() ? entries[entry].name : "?";
}

Receipt& Receipt::via(int ring, Actor who) {
    if (hopCount < kMaxHops) route[hopCount++] = Hop{int8_t(ring), who};
    return *this;
}

Receipt& Receipt::push(const CostItem& item) {
    if (itemCount < kMaxItems) items[itemCount++] = item;
    return *this;
}

Receipt& Receipt::add(uint32_t Costs::*field, uint32_t each, uint32_t count, bool inEvent) {
    const auto entries = costEntries();
    for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].field == field) return push(CostItem{uint8_t(i), false, inEvent, count, each});
    return *this;
}

Receipt& Receipt::instructionApart(uint8_t opcode, uint32_t each) {
    return push(CostItem{opcode, true, false, 1, each});
}

uint64_t Receipt::inEventCycles() const {
    uint64_t sum = 0;
    for (const auto& item : costItems()) sum += item.inEvent ? item.cycles() : 0;
    return sum;
}

}  // namespace ringsim
