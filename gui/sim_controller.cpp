#include "sim_controller.h"

#include <algorithm>
#include <filesystem>

#include "machine/errors.h"
#include "monitors/monitor.h"
#include "scenario/scenario_images.h"

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
    const std::string folder = bundledScenarioFolder();
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

void SimController::open(const std::string& path, std::optional<Mode> mode) {
    goal_ = Goal::None;
    session_.reset();
    // The cursor points into the scenario's tour and the images: let go of it before they go.
    tour_ = TourCursor();
    tourNote_.clear();
    shownStops_ = 0;
    images_.reset();
    scenario_.reset();
    breakpoints_.clear();
    path_ = path;
    error_.clear();
    ++openCount_;
    sourceOverrides_.clear();
    attemptedSources_.clear();
    sourceErrors_.clear();
    try {
        scenario_ = std::make_unique<Scenario>(loadScenario(path));
    } catch (const std::exception& e) {
        error_ = e.what();
        return;
    }
    mode_ = mode.value_or(scenario_->defaultMode);
    predict_ = scenario_->predict;
    startSession();
}

void SimController::chooseMode(Mode mode) {
    mode_ = mode;
    startSession();
}

void SimController::cycleMode(int step) {
    if (!scenario_ || scenario_->modes.empty()) return;
    const auto& modes = scenario_->modes;
    const auto it = std::find(modes.begin(), modes.end(), mode_);
    const long n = long(modes.size());
    const long at = it == modes.end() ? -step : long(it - modes.begin());
    chooseMode(modes[size_t(((at + step) % n + n) % n)]);
}

void SimController::cycleScenario(int step) {
    if (bundled_.empty()) return;
    const long n = long(bundled_.size());
    long at = -1;
    for (long i = 0; i < n; ++i)
        if (bundled_[size_t(i)].path == path_) at = i;
    if (at < 0) at = step > 0 ? -1 : 0;
    open(bundled_[size_t(((at + step) % n + n) % n)].path);
}

void SimController::reset() { startSession(); }

void SimController::startSession() {
    ++sessionSerial_;
    goal_ = Goal::None;
    inFlight_.reset();
    session_.reset();
    tour_ = TourCursor();
    tourNote_.clear();
    shownStops_ = 0;
    tourHistory_.clear();
    question_.reset();
    pendingQuestion_.reset();
    answer_.reset();
    asked_.clear();
    tourMarks_.clear();
    if (!scenario_) return;
    error_.clear();
    try {
        // The paravirtual build is assembled only once a mode needs it.
        const bool paravirt = modeInfo(mode_).needsParavirtKernel;
        if (!images_ || (paravirt && !imagesWithParavirt_)) {
            Scenario only = *scenario_;
            only.modes = {Mode::Native};
            if (paravirt) only.modes.push_back(mode_);
            images_ = assembleImages(only);
            imagesWithParavirt_ = paravirt;
        }
        newSession();
        const GuestImages& guest = images_->forMode(mode_);
        if (!scenario_->tour)
            tourNote_ = "This scenario has no guided tour.";
        else if (std::find(scenario_->tour->modes.begin(), scenario_->tour->modes.end(), mode_) ==
                 scenario_->tour->modes.end())
            tourNote_ = fmt::format("The tour is not written for {}; pick one of its modes to follow it.", mode_);
        else
            tour_ = TourCursor(*scenario_->tour, guest, mode_);
        tourHistory_.push_back({0, 0, tour_});
    } catch (const std::exception& e) {
        session_.reset();
        error_ = e.what();
    }
}

void SimController::newSession() {
    session_.reset();
    RunOptions options = scenario_->optionsFor(mode_);
    options.eventCapacity = kGuiEventCapacity;
    options.timelineCapacity = size_t(1) << 20;  // spans of 24 bytes, allocated as they come
    if (exitControls_ && modeInfo(mode_).needsHardwareAssist) options.exitControls = exitControls_;
    session_ = std::make_unique<Session>(images_->forMode(mode_), options);
    session_->setListener([this](const Event& e) { return onEvent(e); });
    stopAtEventTotal_ = UINT64_MAX;
    ++sessionSerial_;
    tourLabelArmed_.reset();
    // A replay runs without them: it must pass where the run went.
    if (goal_ != Goal::Rewind) applyBreakpoints();
}

std::vector<uint32_t> SimController::breakpoints() const {
    if (modeInfo(mode_).needsParavirtKernel != breakpointsParavirt_) return {};
    return breakpoints_;
}

bool SimController::atBreakpoint() const {
    if (!session_ || !session_->atBreakpoint()) return false;
    const uint32_t pc = session_->machine().cpu.state.pc;
    const std::vector<uint32_t> user = breakpoints();
    return std::find(user.begin(), user.end(), pc) != user.end();
}

void SimController::applyBreakpoints() {
    if (!session_) return;
    std::vector<uint32_t> pcs = breakpoints();
    if (tourLabelArmed_) pcs.push_back(*tourLabelArmed_);
    session_->setBreakpoints(std::move(pcs));
}

uint64_t SimController::armTourStop(const StopCondition* stop) {
    std::optional<uint32_t> label;
    if (stop && stop->kind == StopCondition::Kind::Label) label = tour_.pendingLabelAddress();
    if (label != tourLabelArmed_) {
        tourLabelArmed_ = label;
        applyBreakpoints();
    }
    return stop && stop->kind == StopCondition::Kind::Cycle ? stop->cycle : UINT64_MAX;
}

bool SimController::reachedPlaceStop(const StopCondition* stop) {
    if (!stop) return false;
    Session& s = *session_;
    if (stop->kind == StopCondition::Kind::Cycle && s.machine().cpu.account.now >= stop->cycle) {
        tour_.reachCycle(s);
        return true;
    }
    // Not the stop (yet): the next run executes the instruction at the
    // breakpoint and goes on, unless it is also one of the user's.
    return stop->kind == StopCondition::Kind::Label && s.atBreakpoint() && tourLabelArmed_ &&
           s.machine().cpu.state.pc == *tourLabelArmed_ && tour_.atLabel(s);
}

void SimController::stepInstruction() {
    if (goal_ == Goal::Rewind || question_) return;
    if (!session_ || session_->finished()) return;
    goal_ = Goal::None;
    inFlight_.reset();
    // One cycle ahead stops at the next instruction boundary: one instruction
    // (a breakpoint at the pc is stepped over: a step always moves on).
    session_->stepOverBreakpoint();
    session_->run(session_->machine().cpu.account.now + 1);
    lookBackForQuestion();
}

void SimController::stepCycle() {
    if (goal_ == Goal::Rewind || question_) return;
    if (!session_) return;
    goal_ = Goal::None;
    if (inFlight_ && inFlight_->cursor + 1 < inFlight_->end) {
        ++inFlight_->cursor;
        return;
    }
    inFlight_.reset();
    if (session_->finished()) return;
    const Cpu& cpu = session_->machine().cpu;
    const uint64_t start = cpu.account.now;
    const uint32_t pc = cpu.state.pc;
    session_->run(start + 1);
    if (cpu.account.now > start + 1) inFlight_ = InFlight{start, cpu.account.now, start + 1, pc};
    if (pendingQuestion_) {
        inFlight_.reset();
        lookBackForQuestion();
    }
}

void SimController::stepToKind(EventKind kind) {
    stepKind_ = kind;
    startGoal(Goal::EventOfKind);
}

bool SimController::runToEventCount(uint64_t events) {
    if (!session_) return false;
    goal_ = Goal::None;
    const EventLog& log = session_->machine().events;
    while (log.total() < events && !session_->finished()) session_->run(session_->machine().cpu.account.now + 1'000'000);
    return log.total() >= events;
}

void SimController::runToCycle(uint64_t cycle) {
    goalCycle_ = cycle;
    startGoal(Goal::Cycle);
}

void SimController::setSpeed(double instructionsPerSecond) {
    speed_ = std::max(0.0, instructionsPerSecond);
    allowance_ = 0;
    lastPaced_ = Clock::now();
}

void SimController::runSlice(uint64_t stopAt) {
    const auto before = Clock::now();
    session_->run(stopAt);
    const auto took = Clock::now() - before;
    // Keep one slice near half a millisecond whatever the mode costs per
    // cycle: the last slice of a frame may overrun its budget by that much.
    if (took < std::chrono::microseconds(250)) sliceCycles_ = std::min<uint64_t>(sliceCycles_ * 2, 50'000'000);
    else if (took > std::chrono::microseconds(700)) sliceCycles_ = std::max<uint64_t>(sliceCycles_ / 2, 1'000);
}

// Running slower than full speed: the speed grants instructions as wall time
// passes; below a few thousand a second they run one by one, above that as
// cycles at the run's average cost per instruction.
bool SimController::workAtSpeed(Clock::time_point deadline, const StopCondition* stop, uint64_t placeStopCycle) {
    Session& s = *session_;
    const Cpu& cpu = s.machine().cpu;
    const auto now = Clock::now();
    allowance_ += speed_ * std::chrono::duration<double>(now - lastPaced_).count();
    lastPaced_ = now;
    allowance_ = std::min(allowance_, std::max(1.0, speed_ * 0.25));  // no burst after a slow frame
    // A pause at a breakpoint or at the tour's label or cycle stop ends the run.
    auto paused = [&] { return atBreakpoint() || reachedPlaceStop(stop); };
    if (speed_ <= 5000) {
        while (allowance_ >= 1.0 && Clock::now() < deadline && !s.finished() && !goalReached_) {
            const uint64_t retired = cpu.stats().instructions;
            s.run(std::min(placeStopCycle, cpu.account.now + 1));
            allowance_ -= double(cpu.stats().instructions - retired);
            if (paused()) return false;
            if (cpu.stats().instructions == retired) allowance_ -= 1.0;  // stopped before an instruction: no spin
        }
    } else if (allowance_ >= 1.0) {
        const uint64_t retired = cpu.stats().instructions;
        const double perInstruction = retired ? double(cpu.account.now) / double(retired) : 1.0;
        const uint64_t cycles = std::max<uint64_t>(1, uint64_t(allowance_ * perInstruction));
        const uint64_t target = std::min(placeStopCycle, cpu.account.now + cycles);
        while (Clock::now() < deadline && cpu.account.now < target && !s.finished() && !goalReached_) {
            runSlice(std::min(target, cpu.account.now + sliceCycles_));
            if (paused()) return false;
        }
        allowance_ -= double(cpu.stats().instructions - retired);
    }
    return !s.finished() && !goalReached_;
}

void SimController::run() {
    if (pauseAtStops_ && shownStops_ < tour_.reached().size() && !question_ && goal_ != Goal::Rewind) {
        nextTourStop();
        return;
    }
    startGoal(Goal::Run);
}

void SimController::nextTourStop() {
    if (shownStops_ < tour_.reached().size()) {
        ++shownStops_;
        noteShownStop();
        return;
    }
    startGoal(Goal::TourStop);
}

void SimController::startGoal(Goal g) {
    if (!session_ || session_->finished() || goal_ == Goal::Rewind || question_ || pendingQuestion_) return;
    inFlight_.reset();
    goalReached_ = false;
    goal_ = g;
    if (g == Goal::Run) {
        allowance_ = 1.0;  // the first instruction at once, at any speed
        lastPaced_ = Clock::now();
    }
}

bool SimController::onEvent(const Event& e) {
    // Predicting, a new kind of transition is kept from the tour and the
    // goals: the run stops, and goes back to before it to ask.
    if (predict_ && goal_ != Goal::Rewind && !question_ && session_) {
        if (pendingQuestion_ || noticeQuestion(e)) return false;
    }
    // The tour counts events while it is followed and while the run runs, so
    // that a run at any speed pauses at the next stop it reaches (a replay
    // restores the tour as it was instead).
    bool stopReached = false;
    if ((goal_ == Goal::TourStop || (goal_ == Goal::Run && pauseAtStops_)) && session_) {
        const uint64_t number = session_->machine().events.total() - 1;
        if (predict_) markTourBefore(number);
        if (tour_.onEvent(e, number)) {
            goalReached_ = true;
            stopReached = goal_ == Goal::Run;
        }
    }
    if (goal_ == Goal::Event) goalReached_ = true;
    if (goal_ == Goal::EventOfKind && e.kind == stepKind_) goalReached_ = true;
    // A replay stops after the instruction that recorded a given event.
    if (goal_ == Goal::Rewind && session_ && session_->machine().events.total() >= stopAtEventTotal_) goalReached_ = true;
    // Only a goal that waits for an event stops the run at one, and a tour stop stops a run.
    return !(goalReached_ && (goal_ != Goal::Run || stopReached));
}

bool SimController::work(Clock::time_point deadline) {
    Session& s = *session_;
    Cpu& cpu = s.machine().cpu;
    if (s.finished() && goal_ != Goal::Rewind) return false;
    const StopCondition* stop = followsTour() ? tour_.pending() : nullptr;
    if (goal_ == Goal::TourStop && !stop) {
        if (tour_.active() == false && tourNote_.empty()) tourNote_ = "No tour to follow.";
        return false;
    }
    if (goal_ == Goal::Rewind) return workRewind(deadline);
    if (goal_ == Goal::Cycle) {
        while (Clock::now() < deadline && cpu.account.now < goalCycle_ && !s.finished())
            runSlice(std::min(goalCycle_, cpu.account.now + sliceCycles_));
        return cpu.account.now < goalCycle_ && !s.finished();
    }
    const uint64_t placeStopCycle = armTourStop(stop);
    if (!tour_.problem().empty()) {
        error_ = tour_.problem();
        return false;
    }
    if (cpu.account.now >= placeStopCycle) {  // a cycle stop the run is already at or past
        tour_.reachCycle(s);
        return false;
    }
    if (goal_ == Goal::Run && speed_ > 0) return workAtSpeed(deadline, stop, placeStopCycle);
    while (Clock::now() < deadline && !s.finished()) {
        runSlice(std::min(placeStopCycle, cpu.account.now + sliceCycles_));
        if (goalReached_ || atBreakpoint() || reachedPlaceStop(stop)) return false;
    }
    return !s.finished();
}

void SimController::advance(std::chrono::microseconds budget) {
    if (goal_ == Goal::None || !session_) return;
    const size_t before = tour_.reached().size();
    if (!work(Clock::now() + budget)) goal_ = Goal::None;
    // The label's breakpoint is the tour's only while a run follows it.
    if (goal_ == Goal::None && tourLabelArmed_) armTourStop(nullptr);
    if (tour_.reached().size() > before) {
        shownStops_ = std::min(shownStops_ + 1, tour_.reached().size());
        noteShownStop();
    }
    lookBackForQuestion();
}

void SimController::noteShownStop() {
    if (session_) tourHistory_.push_back({session_->machine().cpu.account.now, shownStops_, tour_});
}

std::unique_ptr<ScenarioImages> SimController::assembleImages(const Scenario& only) {
    ScenarioBuild build = buildScenarioImages(only, sourceOverrides_);
    sourceErrors_ = build.errors;
    if (!build.images) {
        throw InputError(assembler::diagnosticsText(build.errors));
    }
    return std::move(build.images);
}

bool SimController::reloadWithSources(const SourceOverrides& edited) {
    if (!scenario_) return false;
    attemptedSources_ = edited;
    Scenario only = *scenario_;
    only.modes = {Mode::Native};
    const bool paravirt = modeInfo(mode_).needsParavirtKernel;
    if (paravirt) only.modes.push_back(mode_);
    ScenarioBuild build = buildScenarioImages(only, edited);
    sourceErrors_ = build.errors;
    if (!build.images) return false;  // the old session runs on
    sourceOverrides_ = edited;
    images_ = std::move(build.images);
    imagesWithParavirt_ = paravirt;
    startSession();
    return session_ != nullptr;
}

std::vector<std::string> SimController::guestSourceFiles() const {
    std::vector<std::string> files;
    auto add = [&files](const std::string& path) {
        const std::string normal = normalSourcePath(path);
        if (std::find(files.begin(), files.end(), normal) == files.end()) files.push_back(normal);
    };
    if (const GuestImages* guest = guestImages()) {
        for (const auto& f : guest->kernel.files) add(f);
        for (const auto& program : guest->programs)
            for (const auto& f : program.files) add(f);
    } else if (scenario_) {
        add(scenario_->guests.kernel);
        for (const auto& p : scenario_->guests.programs) add(p);
    }
    return files;
}

const GuestImages* SimController::guestImages() const {
    if (!images_) return nullptr;
    try {
        return &images_->forMode(mode_);
    } catch (const std::exception&) {
        return nullptr;
    }
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
        if (!error_.empty() || question_) return false;  // a question waits for the student
    }
    return shownStops_ >= std::min(stops, tour_.stops());
}

void SimController::setBreakpoints(std::vector<uint32_t> pcs) {
    breakpoints_ = std::move(pcs);
    breakpointsParavirt_ = modeInfo(mode_).needsParavirtKernel;
    applyBreakpoints();
}

void SimController::toggleBreakpoint(uint32_t pc) {
    // The running build's: the remembered ones may belong to the other guest build.
    std::vector<uint32_t> pcs = breakpoints();
    if (const auto it = std::find(pcs.begin(), pcs.end(), pc); it != pcs.end()) pcs.erase(it);
    else pcs.push_back(pc);
    setBreakpoints(std::move(pcs));
}

bool SimController::runToBreakpoint() {
    if (!session_) return false;
    // A run pauses at each tour stop it reaches; this one goes on past them.
    for (;;) {
        const size_t stops = shownStops_;
        run();
        while (goal_ != Goal::None) advance(std::chrono::milliseconds(100));
        if (atBreakpoint() || session_->finished() || shownStops_ == stops) break;
    }
    return atBreakpoint();
}

}  // namespace ringsim::gui
