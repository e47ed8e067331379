// The Compare view's work: the open scenario's guest in two modes, stepped
// side by side (core/lockstep.h) a few milliseconds a frame so the window
// never waits for it, and the names of the pcs it reports.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lesson/lockstep.h"
#include "sim_controller.h"

namespace ringsim::gui {

class Comparison {
public:
    // Starts comparing the open scenario in two modes (replacing any
    // comparison). False with the reason in error() if it cannot start.
    bool start(const SimController& sim, Mode modeA, std::optional<Mode> modeB, size_t maxRows);
    void clear();
    // Works on the comparison for at most `budget` of wall time.
    void advance(std::chrono::microseconds budget);
    // The frame loop's share, beside the simulation's slice: drops a comparison
    // of a scenario no longer open, then advances for at most `budget`.
    void follow(const SimController& sim, std::chrono::microseconds budget);
    // Works on it until it is over (the command line's --compare).
    void finish();

    bool active() const { return lockstep_ != nullptr; }
    bool running() const { return lockstep_ && !lockstep_->done(); }
    Lockstep* lockstep() { return lockstep_.get(); }
    const std::string& error() const { return error_; }
    // The scenario it compares: the view drops it when another is opened.
    const std::string& scenarioPath() const { return scenarioPath_; }
    // Wall time it took, for the status line.
    double seconds() const { return seconds_; }

    // Where a pc is in the side's guest: "label" or "label+8"; empty when no label precedes it.
    std::string place(bool sideB, const LockstepStep& step) const;
    // The instruction as assembly text, targets named by their labels.
    std::string instruction(bool sideB, const LockstepStep& step) const;

private:
    // Where one image lies, to find which image a pc is in.
    struct ImageLabels {
        uint32_t origin = 0, end = 0;
        const assembler::Program* program = nullptr;
    };
    const ImageLabels* imageOf(bool sideB, const LockstepStep& step) const;

    std::unique_ptr<Lockstep> lockstep_;
    std::string error_;
    std::string scenarioPath_;
    double seconds_ = 0;
    // Per side: the kernel first, then each program.
    std::vector<ImageLabels> images_[2];
};

}  // namespace ringsim::gui
