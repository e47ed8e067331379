#include "script.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace ringsim::gui {

namespace {

void finish(SimController& sim) {
    while (sim.busy()) sim.advance(std::chrono::milliseconds(50));
}

// FNV-1a over the words that make up a position.
struct Digest {
    uint64_t h = 1469598103934665603ull;
    void add(uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xFF;
            h *= 1099511628211ull;
        }
    }
};

}  // namespace

bool runScript(SimController& sim, const std::string& commands, std::string& error, DeckController* deck) {
    size_t at = 0;
    while (at <= commands.size()) {
        size_t end = commands.find(',', at);
        if (end == std::string::npos) end = commands.size();
        std::string command = commands.substr(at, end - at);
        at = end + 1;
        if (command.empty()) continue;
        // "name*N" repeats; "name:argument" gives an argument.
        unsigned repeat = 1;
        if (const size_t star = command.find('*'); star != std::string::npos) {
            const std::string count = command.substr(star + 1);
            const auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), repeat);
            if (ec != std::errc() || ptr != count.data() + count.size() || repeat == 0 || repeat > 1'000'000) {
                error = fmt::format("--do: '{}': the count after * must be a number from 1 to 1000000", command);
                return false;
            }
            command.resize(star);
        }
        std::string argument;
        if (const size_t colon = command.find(':'); colon != std::string::npos) {
            argument = command.substr(colon + 1);
            command.resize(colon);
        }
        const bool deckCommand = command == "next" || command == "next-lesson" || command == "previous-lesson";
        if (deckCommand && (!deck || !deck->active())) {
            error = fmt::format("--do: {}: no lecture deck is open (start with --lecture)", command);
            return false;
        }
        if (!sim.session() && !deckCommand) {
            error = "--do: there is no run to drive: " + sim.error();
            return false;
        }
        for (unsigned i = 0; i < repeat; ++i) {
            if (command == "step") sim.stepInstruction();
            else if (command == "cycle") sim.stepCycle();
            else if (command == "event") sim.stepEvent();
            else if (command == "back") sim.stepBackInstruction();
            else if (command == "back-event") sim.stepBackEvent();
            else if (command == "stop") sim.nextTourStop();
            else if (command == "run") sim.run();  // at full speed, to the next tour stop or the end
            else if (command == "reset") sim.reset();
            else if (command == "next") deck->next(sim);
            else if (command == "next-lesson") deck->nextLesson(sim);
            else if (command == "previous-lesson") deck->previousLesson(sim);
            else if (command == "kind") {
                const auto kind = eventKindFromName(argument);
                if (!kind) {
                    error = fmt::format("--do: kind:{}: no such event kind (see `ringsim list` or the event log's filter)",
                                        argument);
                    return false;
                }
                sim.stepToKind(*kind);
            } else if (command == "run-to") {
                uint64_t cycle = 0;
                const auto [ptr, ec] = std::from_chars(argument.data(), argument.data() + argument.size(), cycle);
                if (ec != std::errc() || ptr != argument.data() + argument.size()) {
                    error = fmt::format("--do: run-to:{}: give a cycle number", argument);
                    return false;
                }
                sim.runToCycle(cycle);
            } else if (command == "speed") {
                // Instructions per second for the runs that follow (Space, "run"); 0 is full speed.
                uint64_t perSecond = 0;
                const auto [ptr, ec] = std::from_chars(argument.data(), argument.data() + argument.size(), perSecond);
                if (ec != std::errc() || ptr != argument.data() + argument.size()) {
                    error = fmt::format("--do: speed:{}: give instructions per second (0: full speed)", argument);
                    return false;
                }
                sim.setSpeed(double(perSecond));
            } else {
                error = fmt::format("--do: '{}' is not a command (step, cycle, event, back, back-event, stop, run, reset, "
                                    "kind:KIND, run-to:CYCLE, speed:N, and with --lecture next, next-lesson, "
                                    "previous-lesson; add *N to repeat)",
                                    command);
                return false;
            }
            finish(sim);
            // A deck lesson that cannot start is the deck's to show, not the end of the commands.
            if (!sim.error().empty() && !deckCommand) {
                error = fmt::format("--do: {}: {}", command, sim.error());
                return false;
            }
        }
    }
    return true;
}

std::string stateLine(SimController& sim) {
    Session* session = sim.session();
    uint64_t cycle = 0, instructions = 0, events = 0;
    Digest digest;
    if (session) {
        const Cpu& cpu = session->machine().cpu;
        cycle = cpu.account.now;
        instructions = cpu.stats().instructions;
        events = session->machine().events.total();
        digest.add(cycle);
        digest.add(events);
        digest.add(cpu.state.pc);
        digest.add(cpu.state.flags);
        digest.add(uint64_t(cpu.state.cpl));
        for (uint32_t r : cpu.state.r) digest.add(r);
        for (uint32_t c : cpu.state.cr) digest.add(c);
    }
    std::string line = fmt::format("mode {} cycle {} instructions {} tour-stop {}/{} running {} events {} state {:016x} busy {}",
                                   sim.mode(), cycle, instructions, sim.shownStops(), sim.tour().stops(),
                                   sim.running() ? 1 : 0, events, digest.h, sim.busy() ? 1 : 0);
    // Predicting: whether a question is on screen, never its answer.
    if (sim.predict()) {
        const char* question = !sim.question() ? "none" : sim.answer() ? "answered" : "asked";
        const auto& score = sim.score();
        line += fmt::format(" question {} score {}/{}/{}", question, score.ringsRight, score.mechanismsRight, score.asked);
    }
    return line;
}

}  // namespace ringsim::gui
