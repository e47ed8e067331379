#include "guest_symbols.h"


#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "sim_controller.h"

namespace ringsim::gui {

namespace {

GuestSymbols::Image makeImage(const assembler::Program& program, std::string name) {
    GuestSymbols::Image image{&program, std::move(name), {}};
    for (const auto& [label, address] : program.labels) image.labels.emplace_back(address, label);
    std::stable_sort(image.labels.begin(), image.labels.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return image;
}

// Whether the bytes mapped at the program's entry now are the program's own.
bool mappedNow(const Cpu& cpu, const assembler::Program& program) {
    const uint32_t offset = program.entry - program.origin;
    if (offset >= program.image.size()) return false;
    const size_t length = std::min<size_t>(32, program.image.size() - offset);
    std::array<uint8_t, 32> mapped{};
    if (cpu.peekVirtual(program.entry, std::span(mapped.data(), length)) != length) return false;
    return std::memcmp(mapped.data(), program.image.data() + offset, length) == 0;
}

std::string trimmed(const std::string& text) {
    size_t a = 0, b = text.size();
    while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1]))) --b;
    return text.substr(a, b - a);
}

}  // namespace

GuestSymbols::GuestSymbols(const GuestImages& images) {
    images_.push_back(makeImage(images.kernel, "kernel"));
    for (size_t i = 0; i < images.programs.size(); ++i)
        images_.push_back(makeImage(images.programs[i], i < images.programNames.size() ? images.programNames[i] : "program"));
}

const GuestSymbols::Image* GuestSymbols::imageAt(const Cpu& cpu, uint32_t address) const {
    if (images_.empty()) return nullptr;
    if (kernel().contains(address)) return &kernel();
    for (size_t i = 1; i < images_.size(); ++i)
        if (images_[i].contains(address) && mappedNow(cpu, *images_[i].program)) return &images_[i];
    return nullptr;
}

std::span<const GuestSymbols::Label> GuestSymbols::labelsAt(const Image& image, uint32_t address) const {
    const auto byAddress = [](const Label& l, uint32_t a) { return l.first < a; };
    const auto first = std::lower_bound(image.labels.begin(), image.labels.end(), address, byAddress);
    auto last = first;
    while (last != image.labels.end() && last->first == address) ++last;
    // A pointer and a count: the web edition's libc++ has no span from two iterators.
    return {image.labels.data() + (first - image.labels.begin()), size_t(last - first)};
}

std::string GuestSymbols::describe(const Cpu& cpu, uint32_t address) const {
    const Image* image = imageAt(cpu, address);
    if (!image) return {};
    const auto label = image->program->nearestLabel(address);
    if (!label) return image->name;
    return (image == &kernel() ? "" : image->name + ":") + *label;
}

std::optional<uint32_t> GuestSymbols::resolve(const std::string& input, std::string& error) const {
    const std::string text = trimmed(input);
    error.clear();
    if (text.empty()) {
        error = "type an address (0x1f00) or a label (do_syscall, hello.s:_start)";
        return std::nullopt;
    }
    if (std::isdigit(static_cast<unsigned char>(text[0]))) {
        const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
        const std::string digits = hex ? text.substr(2) : text;
        uint64_t value = 0;
        for (char c : digits) {
            const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                          : hex && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                                : -1;
            if (d < 0 || value > 0xFFFFFFFFull) {
                error = fmt::format("'{}' is not an address", text);
                return std::nullopt;
            }
            value = value * (hex ? 16 : 10) + uint64_t(d);
        }
        if (value > 0xFFFFFFFFull || digits.empty()) {
            error = fmt::format("'{}' is not a 32-bit address", text);
            return std::nullopt;
        }
        return uint32_t(value);
    }
    if (images_.empty()) {
        error = "no guest is loaded";
        return std::nullopt;
    }
    // "program.s:label" in a user program, else a kernel label.
    const auto colon = text.find(':');
    const std::string where = colon == std::string::npos ? "" : text.substr(0, colon);
    const std::string name = colon == std::string::npos ? text : text.substr(colon + 1);
    for (const Image& image : images_) {
        if (colon == std::string::npos ? &image != &kernel() : image.name != where) continue;
        if (const auto it = image.program->labels.find(name); it != image.program->labels.end()) return it->second;
    }
    error = colon == std::string::npos
                ? fmt::format("no label '{}' in the kernel (a program's are written hello.s:name)", name)
                : fmt::format("no label '{}' in a program named '{}'", name, where);
    return std::nullopt;
}

const GuestSymbols& symbolsOf(const SimController& sim) {
    static GuestSymbols symbols;
    static uint64_t serial = ~uint64_t(0);
    if (serial != sim.sessionSerial()) {
        serial = sim.sessionSerial();
        const GuestImages* images = sim.guestImages();
        symbols = images ? GuestSymbols(*images) : GuestSymbols();
    }
    return symbols;
}

std::string breakpointStopText(SimController& sim) {
    Session* session = sim.session();
    if (!session || !sim.atBreakpoint()) return {};
    const Machine& machine = session->machine();
    const uint32_t pc = machine.cpu.state.pc;
    const std::string name = symbolsOf(sim).describe(machine.cpu, pc);
    std::string text = fmt::format("stopped at breakpoint {:#x}", pc);
    if (!name.empty()) text += " (" + name + ")";
    if (session->host() && session->host()->size() > 1) text += fmt::format(" in vm {}", machine.currentGuest);
    return text;
}

std::string GuestSymbols::name(uint32_t address) const {
    for (const Image& image : images_) {
        if (!image.contains(address)) continue;
        const std::string suffix = &image == &images_.front() ? "" : " (" + image.name + ")";
        return image.program->nearestLabel(address).value_or("?") + suffix;
    }
    return {};
}

}  // namespace ringsim::gui
