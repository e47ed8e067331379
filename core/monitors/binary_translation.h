// Full virtualisation by binary translation (VMware's approach): the guest
// kernel, deprivileged to ring 1, never runs its own code directly. Each basic
// block is translated the first time it runs; innocuous instructions are
// copied, sensitive and privileged ones become callouts into the monitor,
// which emulates them correctly — so the sensitive-unprivileged instructions
// that break trap-and-emulate are handled too. User code runs directly.
#pragma once

#include "monitors/deprivileged.h"
#include "monitors/translator.h"

namespace ringsim {

class BinaryTranslationMonitor : public DeprivilegedMonitor {
public:
    explicit BinaryTranslationMonitor(Machine& machine)
        : DeprivilegedMonitor(machine, Mechanism::TranslationCallout), translator_(machine, counters_, false) {}
    Mode mode() const override { return Mode::BinaryTranslation; }
    void start(const GuestImages& guest) override;

    // The translated blocks, for inspection (the GUI's translation cache view).
    const TranslationCache* translationCache() const override { return &translator_.cache; }

    bool interceptTrap(Cpu& cpu, const Trap& trap) override;
    bool callout(Cpu& cpu, const Decoded& d, uint32_t pc) override;
    void blockEntry(Cpu& cpu, uint32_t pc, bool chained) override { translator_.enter(cpu, pc, chained); }
    void watchedWrite(Cpu& cpu, uint32_t physical, uint32_t length) override;

private:
    Translator translator_;
};

}  // namespace ringsim
