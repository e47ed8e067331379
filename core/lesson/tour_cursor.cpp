#include "lesson/tour_cursor.h"

#include <cstring>
#include <fmt/format.h>

#include "cpu-model/vmx.h"

namespace ringsim {

namespace {

// Where a label stop waits: "name" in the kernel, "prog.s:name" in a program.
struct LabelTarget {
    uint32_t address = 0;
    const assembler::Program* program = nullptr;
};

std::optional<LabelTarget> findLabel(const GuestImages& images, const std::string& label) {
    const auto colon = label.find(':');
    if (colon == std::string::npos) {
        auto it = images.kernel.labels.find(label);
        if (it == images.kernel.labels.end()) return std::nullopt;
        return LabelTarget{it->second, nullptr};
    }
    const std::string program = label.substr(0, colon), name = label.substr(colon + 1);
    for (size_t i = 0; i < images.programs.size(); ++i)
        if (images.programNames[i] == program) {
            auto it = images.programs[i].labels.find(name);
            if (it != images.programs[i].labels.end()) return LabelTarget{it->second, &images.programs[i]};
        }
    return std::nullopt;
}

// Every program is linked at the same user address, so a pc alone does not
// say whose code runs: compare the next words in memory with the program's image.
bool runningProgram(const Cpu& cpu, const assembler::Program& program) {
    const uint32_t pc = cpu.state.pc;
    for (uint32_t i = 0; i < 16; i += 4) {
        const uint64_t offset = uint64_t(pc) + i - program.origin;
        if (offset + 4 > program.image.size()) break;
        uint32_t physical = 0;
        if (!cpu.peekTranslate(pc + i, physical) || physical + 4 > cpu.memory().size()) return false;
        uint32_t expected = 0;
        std::memcpy(&expected, program.image.data() + offset, 4);
        if (cpu.memory().read32(physical) != expected) return false;
    }
    return true;
}

bool matches(const StopCondition& c, const Event& e) {
    switch (c.kind) {
    case StopCondition::Kind::Event: return eventKindName(e.kind) == c.eventKind;
    case StopCondition::Kind::ExitReason:
        return e.kind == EventKind::VmExit && vmExitReasonName(VmExitReason(e.detail)) == c.exitReason;
    case StopCondition::Kind::Hypercall: return e.kind == EventKind::Hypercall && e.detail == c.number;
    case StopCondition::Kind::RingChange: return e.ringBefore == c.fromRing && e.ringAfter == c.toRing;
    case StopCondition::Kind::Cycle:
    case StopCondition::Kind::Label: return false;  // reached by running to them, not by an event
    }
    return false;
}

}  // namespace

std::string fillTourText(const std::string& text, const Event& e, Mode mode) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const size_t close = text[i] == '{' ? text.find('}', i) : std::string::npos;
        if (close == std::string::npos) {
            out += text[i];
            continue;
        }
        const std::string name = text.substr(i + 1, close - i - 1);
        auto ring = [](int r) { return r < 0 ? std::string("-1 (root mode)") : std::to_string(r); };
        if (name == "cycle") out += std::to_string(e.cycle);
        else if (name == "ring_before") out += ring(e.ringBefore);
        else if (name == "ring_after") out += ring(e.ringAfter);
        else if (name == "kind") out += eventKindName(e.kind);
        else if (name == "pc") out += fmt::format("{:#010x}", e.pc);
        else if (name == "detail") out += e.kind == EventKind::Count ? fmt::format("{:#x}", e.pc) : eventDetail(e);
        else if (name == "reason") out += e.kind == EventKind::VmExit ? std::string(vmExitReasonName(VmExitReason(e.detail))) : "-";
        else if (name == "cost") out += std::to_string(e.cost);
        else if (name == "vector") out += std::to_string(e.vector);
        else if (name == "vm") out += e.vm == kHostGuest ? std::string("the monitor") : fmt::format("vm{}", e.vm);
        else if (name == "mode") out += modeName(mode);
        else out += "{" + name + "}";
        i = close;
    }
    return out;
}

TourCursor::TourCursor(const Tour& tour, const GuestImages& guest, Mode mode)
    : tour_(&tour), guest_(&guest), mode_(mode) {}

void TourCursor::reach(const Event& e, std::optional<uint64_t> number) {
    reached_.push_back({next_, e.cycle, fillTourText(tour_->stops[next_].say, e, mode_), e, number});
    ++next_;
    seen_ = 0;
}

Event TourCursor::pauseEvent(Session& session) {
    const Cpu& cpu = session.machine().cpu;
    Event e;
    e.cycle = cpu.account.now;
    e.pc = cpu.state.pc;
    e.ringBefore = e.ringAfter = int8_t(cpu.ring());
    e.vm = session.machine().currentGuest;
    e.kind = EventKind::Count;
    return e;
}

bool TourCursor::onEvent(const Event& e, uint64_t number) {
    const StopCondition* c = pending();
    if (!c || !matches(*c, e) || ++seen_ < c->nth) return false;
    reach(e, number);
    return true;
}

std::optional<uint32_t> TourCursor::pendingLabelAddress() {
    const StopCondition* c = pending();
    if (!c || c->kind != StopCondition::Kind::Label) return std::nullopt;
    const auto target = findLabel(*guest_, c->label);
    if (!target) {
        problem_ = fmt::format("tour label '{}' does not exist", c->label);
        return std::nullopt;
    }
    return target->address;
}

bool TourCursor::atLabel(Session& session) {
    const StopCondition* c = pending();
    if (!c || c->kind != StopCondition::Kind::Label) return false;
    const auto target = findLabel(*guest_, c->label);
    if (!target) return false;
    const Cpu& cpu = session.machine().cpu;
    if (cpu.state.pc != target->address || (target->program && !runningProgram(cpu, *target->program)) ||
        ++seen_ < c->nth)
        return false;
    reach(pauseEvent(session), std::nullopt);
    return true;
}

void TourCursor::reachCycle(Session& session) {
    if (pending() && pending()->kind == StopCondition::Kind::Cycle) reach(pauseEvent(session), std::nullopt);
}

}  // namespace ringsim
