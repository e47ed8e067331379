#include "sim_controller.h"

#include <algorithm>
#include <filesystem>

#include "core/commands.h"
#include "core/errors.h"
#include "core/monitor.h"

namespace ringsim::gui {

using Clock = std::chrono::steady_clock;

namespace {
// The event log keeps this many events (32 bytes each, allocated as they
// come): enough to scroll back through a few seconds of a full-speed run.
constexpr size_t kGuiEventCapacity = size_t(1) << 21;
}  // namespace

SimController::SimController() {
    // The picker lists the bundled scenarios by title; loading one only
    // parses YAML (no assembling), so all of them take a few milliseconds.
    std::error_code ec;
    const std::string folder = cli::bundledScenarioFolder();
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        ScenarioEntry e{f, std::filesystem::path(f).stem().string()};
        try {
            e.title = e.title + ": " + loadScenario(f).title;
        } catch (const std::exception&) {
            e.title += " (does not load)";
        }
        bundled_.push_back(std::move(e));
    }
}

SimController::~SimController() = default;

void SimController::open(const std::string& path, const std::string& mode) {
    goal_ = Goal::None;
    session_.reset();
    images_.reset();
    scenario_.reset();
    path_ = path;
    error_.clear();
    try {
        scenario_ = std::make_unique<Scenario>(loadScenario(path));
    } catch (const std::exception& e) {
        error_ = e.what();
        return;
    }
    mode_ = mode.empty() ? scenario_->defaultMode : mode;
    startSession();
}

void SimController::chooseMode(const std::string& mode) {
    mode_ = mode;
    startSession();
}

void SimController::reset() { startSession(); }

void SimController::startSession() {
    ++sessionSerial_;
    goal_ = Goal::None;
    session_.reset();
    tour_ = TourCursor();
    tourNote_.clear();
    shownStops_ = 0;
    if (!scenario_) return;
    error_.clear();
    try {
        // The paravirtual build is assembled only once a mode needs it.
        const bool paravirt = requireMode(mode_).needsParavirtKernel;
        if (!images_ || (paravirt && !imagesWithParavirt_)) {
            Scenario only = *scenario_;
            only.modes = {"native"};
            if (paravirt) only.modes.push_back(mode_);
            images_ = std::make_unique<ScenarioImages>(only);
            imagesWithParavirt_ = paravirt;
        }
        const GuestImages& guest = images_->forMode(mode_);
        RunOptions options = scenario_->optionsFor(mode_);
        options.eventCapacity = kGuiEventCapacity;
        session_ = std::make_unique<Session>(guest, options);
        session_->setListener([this](const Event& e) { return onEvent(e); });
        if (!scenario_->tour)
            tourNote_ = "This scenario has no guided tour.";
        else if (std::find(scenario_->tour->modes.begin(), scenario_->tour->modes.end(), mode_) ==
                 scenario_->tour->modes.end())
            tourNote_ = "The tour is not written for " + mode_ + "; pick one of its modes to follow it.";
        else
            tour_ = TourCursor(*scenario_->tour, guest, mode_);
    } catch (const std::exception& e) {
        session_.reset();
        error_ = e.what();
    }
}

void SimController::stepInstruction() {
    if (!session_ || session_->finished()) return;
    goal_ = Goal::None;
    // One cycle ahead stops at the next instruction boundary: one instruction.
    session_->run(session_->machine().cpu.account.now + 1);
}

void SimController::nextTourStop() {
    if (shownStops_ < tour_.reached().size()) {
        ++shownStops_;
        return;
    }
    startGoal(Goal::TourStop);
}

void SimController::startGoal(Goal g) {
    if (!session_ || session_->finished()) return;
    goalReached_ = false;
    goal_ = g;
}

bool SimController::onEvent(const Event& e) {
    // The tour counts events only while it is being followed, as `ringsim tour` does.
    if (goal_ == Goal::TourStop && tour_.onEvent(e)) goalReached_ = true;
    if (goal_ == Goal::Event) goalReached_ = true;
    // Only a goal that waits for an event stops the run at one.
    return !(goalReached_ && (goal_ == Goal::Event || goal_ == Goal::TourStop));
}

bool SimController::work(Clock::time_point deadline) {
    Session& s = *session_;
    Cpu& cpu = s.machine().cpu;
    if (s.finished()) return false;
    const StopCondition* stop = goal_ == Goal::TourStop ? tour_.pending() : nullptr;
    if (goal_ == Goal::TourStop && !stop) {
        if (tour_.active() == false && tourNote_.empty()) tourNote_ = "No tour to follow.";
        return false;
    }
    if (stop && stop->kind == StopCondition::Kind::Label) {
        // A label is a pc: one instruction at a time, until the time is up.
        while (Clock::now() < deadline && !s.finished()) {
            s.run(cpu.account.now + 1);
            if (tour_.afterInstruction(s)) return false;
            if (!tour_.problem().empty()) {
                error_ = tour_.problem();
                return false;
            }
        }
        return !s.finished();
    }
    while (Clock::now() < deadline && !s.finished()) {
        uint64_t stopAt = cpu.account.now + sliceCycles_;
        if (stop && stop->kind == StopCondition::Kind::Cycle) stopAt = std::min<uint64_t>(stopAt, stop->cycle);
        const auto before = Clock::now();
        s.run(stopAt);
        const auto took = Clock::now() - before;
        // Keep one slice near a millisecond whatever the mode costs per cycle.
        if (took < std::chrono::microseconds(500)) sliceCycles_ = std::min<uint64_t>(sliceCycles_ * 2, 50'000'000);
        else if (took > std::chrono::microseconds(2000)) sliceCycles_ = std::max<uint64_t>(sliceCycles_ / 2, 1'000);
        if (goalReached_) return false;
        if (stop && stop->kind == StopCondition::Kind::Cycle && cpu.account.now >= stop->cycle) {
            tour_.reachCycle(s);
            return false;
        }
    }
    return !s.finished();
}

void SimController::advance(std::chrono::microseconds budget) {
    if (goal_ == Goal::None || !session_) return;
    const size_t before = tour_.reached().size();
    if (!work(Clock::now() + budget)) goal_ = Goal::None;
    if (tour_.reached().size() > before) shownStops_ = std::min(shownStops_ + 1, tour_.reached().size());
}

bool SimController::runToTourStop(size_t stops) {
    if (!session_) return false;
    if (!tour_.active()) {
        error_ = tourNote_;
        return false;
    }
    while (shownStops_ < stops && moreTourStops() && !(tour_.reached().size() == shownStops_ && session_->finished())) {
        nextTourStop();
        while (goal_ != Goal::None) advance(std::chrono::milliseconds(100));
        if (!error_.empty()) return false;
    }
    return shownStops_ >= std::min(stops, tour_.stops());
}

}  // namespace ringsim::gui
