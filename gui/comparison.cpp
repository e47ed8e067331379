#include "comparison.h"


#include <algorithm>
#include <cstring>

#include "cpu-model/disassembler.h"

namespace ringsim::gui {

using Clock = std::chrono::steady_clock;

namespace {
// Rows added between two looks at the clock (a few hundred microseconds' work).
constexpr size_t kRowsPerLook = 256;
}  // namespace

bool Comparison::start(const SimController& sim, Mode modeA, std::optional<Mode> modeB, size_t maxRows) {
    clear();
    const Scenario* scenario = sim.scenario();
    if (!scenario) {
        error_ = "no scenario is open";
        return false;
    }
    if (!modeB) {
        error_ = "choose a mode B to compare with";
        return false;
    }
    const auto began = Clock::now();
    try {
        LockstepLimits limits;
        limits.maxRows = maxRows;
        lockstep_ = std::make_unique<Lockstep>(*scenario, modeA, *modeB, limits);
    } catch (const std::exception& e) {
        error_ = e.what();
        return false;
    }
    seconds_ = std::chrono::duration<double>(Clock::now() - began).count();
    scenarioPath_ = sim.scenarioPath();
    for (int side = 0; side < 2; ++side) {
        const GuestImages& guest = lockstep_->guest(side == 1);
        auto index = [&](const assembler::Program& p) {
            ImageLabels image;
            image.origin = p.origin;
            image.end = p.origin + uint32_t(p.image.size());
            image.program = &p;
            images_[side].push_back(std::move(image));
        };
        index(guest.kernel);
        for (const auto& p : guest.programs) index(p);
    }
    return true;
}

void Comparison::clear() {
    lockstep_.reset();
    error_.clear();
    scenarioPath_.clear();
    seconds_ = 0;
    images_[0].clear();
    images_[1].clear();
}

void Comparison::advance(std::chrono::microseconds budget) {
    if (!running()) return;
    const auto began = Clock::now();
    const auto deadline = began + budget;
    do {
        lockstep_->advance(kRowsPerLook);
    } while (!lockstep_->done() && Clock::now() < deadline);
    seconds_ += std::chrono::duration<double>(Clock::now() - began).count();
}

void Comparison::follow(const SimController& sim, std::chrono::microseconds budget) {
    if (active() && scenarioPath_ != sim.scenarioPath()) clear();
    advance(budget);
}

void Comparison::finish() {
    while (running()) advance(std::chrono::milliseconds(100));
}

const Comparison::ImageLabels* Comparison::imageOf(bool sideB, const LockstepStep& step) const {
    const auto& images = images_[sideB ? 1 : 0];
    if (images.empty()) return nullptr;
    auto contains = [&](const ImageLabels& i) { return step.pc >= i.origin && step.pc < i.end; };
    // The kernel runs below ring 3 (in ring 1 or 0 under a monitor, or in root mode).
    if (step.ring != 3) return contains(images.front()) ? &images.front() : nullptr;
    // Every program sits at the same virtual address: the one whose bytes these are.
    const ImageLabels* fallback = nullptr;
    for (size_t i = 1; i < images.size(); ++i) {
        const ImageLabels& image = images[i];
        if (!contains(image)) continue;
        if (!fallback) fallback = &image;
        const size_t offset = step.pc - image.origin;
        const size_t n = std::min<size_t>(step.codeLength, image.program->image.size() - offset);
        if (n >= 4 && std::memcmp(image.program->image.data() + offset, step.code.data(), n) == 0) return &image;
    }
    return fallback;
}

std::string Comparison::place(bool sideB, const LockstepStep& step) const {
    const ImageLabels* image = imageOf(sideB, step);
    if (!image) return {};
    return image->program->nearestLabel(step.pc).value_or("");
}

std::string Comparison::instruction(bool sideB, const LockstepStep& step) const {
    if (step.codeLength < 4) return "(not mapped)";
    const ImageLabels* image = imageOf(sideB, step);
    disassembler::SymbolNamer namer;
    if (image) namer = [image](uint32_t address) { return image->program->labelAt(address); };
    return disassembler::disassembleOne(std::span(step.code.data(), step.codeLength), step.pc, namer).text;
}

}  // namespace ringsim::gui
