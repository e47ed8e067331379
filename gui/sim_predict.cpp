// Predict, then reveal, asked before the event: the run goes on until the
// first event of a new kind of transition is recorded, then a replay (runs
// are deterministic) lands on the instruction boundary before the
// instruction that recorded it. There the question is asked with nothing of
// the event on screen: not in the log, not on the stage, not in the tour.
// The answer runs that one instruction.
#include "sim_controller.h"

#include "machine/source_edit.h"

namespace ringsim::gui {

namespace {

// More than enough for an instruction and a pending interrupt before it:
// the reveal never runs on far past its event if the replay went astray.
constexpr int kRevealSteps = 4;
// Tour marks kept: the events one instruction can record before the question's.
constexpr size_t kTourMarks = 16;

// The text of a source line, the editor's version if the file is being edited.
std::string sourceLineText(const std::string& path, int line, const SourceOverrides& edited) {
    if (path.empty() || line <= 0) return "";
    const auto it = edited.find(normalSourcePath(path));
    const std::string text = it != edited.end() ? it->second : readSourceFile(path).value_or("");
    size_t at = 0;
    for (int n = 1; n < line; ++n) {
        at = text.find('\n', at);
        if (at == std::string::npos) return "";
        ++at;
    }
    std::string out = text.substr(at, text.find('\n', at) - at);
    while (!out.empty() && (out.back() == '\r' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
    return out;
}

}  // namespace

bool SimController::noticeQuestion(const Event& e) {
    if (!choiceFor(e.receipt.mechanism) || asked_.count({e.kind, e.pc})) return false;
    const uint64_t number = session_->machine().events.total() - 1;
    auto q = questionFor(e, number, mode_, guestImages());
    if (!q) return false;
    asked_.insert({e.kind, e.pc});
    pendingQuestion_ = std::move(q);
    pendingCycle_ = e.cycle;
    // Resumed after the answer, unless the instruction completes it (an event step, a tour stop).
    interruptedGoal_ = goal_;
    goalReached_ = true;
    session_->requestStop();
    return true;
}

void SimController::lookBackForQuestion() {
    if (!pendingQuestion_ || goal_ == Goal::Rewind || !session_) return;
    rewind_ = Rewind{};
    rewind_.phase = Rewind::Phase::FindBeforeEvent;
    rewind_.forQuestion = true;
    rewind_.origin = pendingCycle_;
    rewind_.originEvents = pendingQuestion_->event;
    rewind_.window = 256;
    inFlight_.reset();
    goalReached_ = false;
    goal_ = Goal::Rewind;
    newSession();
}

void SimController::markTourBefore(uint64_t event) {
    if (tourMarks_.size() >= kTourMarks) tourMarks_.erase(tourMarks_.begin());
    tourMarks_.emplace_back(event, tour_.mark());
}

void SimController::askPendingQuestion() {
    // The tour as it stood before the first event the replay has not
    // recorded: what the look-ahead fed it from the same instruction is undone.
    const uint64_t recorded = session_->machine().events.total();
    for (const auto& [event, mark] : tourMarks_)
        if (event >= recorded) {
            tour_.backTo(mark);
            break;
        }
    tourMarks_.clear();
    // And a label or cycle stop the look-ahead ran past the instruction to.
    const uint64_t now = session_->machine().cpu.account.now;
    for (size_t i = 0; i < tour_.reached().size(); ++i)
        if (tour_.reached()[i].cycle > now) {
            tour_.backTo({tour_.reached()[i].index, 0, i});
            break;
        }
    shownStops_ = std::min(shownStops_, tour_.reached().size());
    while (!tourHistory_.empty() && tourHistory_.back().shown > shownStops_) tourHistory_.pop_back();
    question_ = std::move(pendingQuestion_);
    pendingQuestion_.reset();
    answer_.reset();
    if (question_->code) question_->sourceText = sourceLineText(question_->code->path, question_->code->line, sourceOverrides_);
}

void SimController::giveAnswer(Answer a) {
    if (!question_ || answer_ || !session_) return;
    answer_ = a;
    ++score_.asked;
    if (a.ring == question_->ringAfter) ++score_.ringsRight;
    if (a.mechanism == question_->mechanism) ++score_.mechanismsRight;
    // Now the instruction runs, under the goal it interrupted, so the tour
    // and a step to an event see its events as they would have.
    const EventLog& log = session_->machine().events;
    const size_t stopsBefore = tour_.reached().size();
    goal_ = interruptedGoal_;
    goalReached_ = false;
    session_->stepOverBreakpoint();
    for (int i = 0; i < kRevealSteps && log.total() <= question_->event && !session_->finished(); ++i)
        session_->run(session_->machine().cpu.account.now + 1);
    // A label stop is looked for before each instruction, the next one too
    // (counted here once: the next run steps over the label's breakpoint).
    if (const StopCondition* stop = tour_.pending(); followsTour() && stop && stop->kind == StopCondition::Kind::Label) {
        if (tour_.atLabel(*session_)) goalReached_ = true;
        else session_->stepOverBreakpoint();
    }
    if (goalReached_) interruptedGoal_ = Goal::None;
    goal_ = Goal::None;
    if (tour_.reached().size() > stopsBefore) {
        shownStops_ = tour_.reached().size();
        noteShownStop();
    }
}

void SimController::dismissQuestion() {
    if (!question_) return;
    question_.reset();
    answer_.reset();
    const Goal resume = interruptedGoal_;
    interruptedGoal_ = Goal::None;
    goal_ = Goal::None;
    if (resume != Goal::None) {
        // Back to the goal the question interrupted, as it was (not restarted).
        goalReached_ = false;
        goal_ = resume;
    }
}

}  // namespace ringsim::gui
