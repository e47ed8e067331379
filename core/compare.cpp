#include "compare.h"

#include <fmt/format.h>

#include "container.h"
#include "errors.h"
#include "monitor.h"
#include "report.h"

namespace ringsim {

namespace {

std::vector<std::string> expandModes(const std::vector<std::string>& modes) {
    std::vector<std::string> out;
    for (const auto& m : modes) {
        if (m == "all") {
            for (const auto& info : modeTable()) out.emplace_back(info.name);
            continue;
        }
        requireMode(m);
        out.push_back(m);
    }
    return out;
}

struct Column {
    const char* title;
    std::function<std::string(const CompareRow&)> value;
};

uint64_t eventCount(const RunResult& r, EventKind k) { return r.events[size_t(k)]; }

std::vector<Column> columns() {
    auto num = [](auto f) {
        return [f](const CompareRow& row) { return row.result ? fmt::format("{}", f(*row.result)) : std::string("-"); };
    };
    std::vector<Column> c = {
        {"mode", [](const CompareRow& row) { return row.mode; }},
        {"stop", [](const CompareRow& row) { return row.result ? std::string(stopReasonName(row.result->stopReason)) : "refused"; }},
        {"cycles", num([](const RunResult& r) { return r.totalCycles; })},
        {"overhead", [](const CompareRow& row) { return row.result ? fmt::format("{:+.1f}%", row.overheadPercent) : "-"; }},
    };
    for (size_t i = 0; i < kCycleCategoryCount; ++i)
        c.push_back({categoryName(CycleCategory(i)).data(), num([i](const RunResult& r) { return r.cycles[i]; })});
    c.push_back({"faults", num([](const RunResult& r) { return eventCount(r, EventKind::Fault); })});
    c.push_back({"syscalls", num([](const RunResult& r) { return eventCount(r, EventKind::Syscall); })});
    c.push_back({"monitor_traps", num([](const RunResult& r) { return r.monitor.trapsIntoMonitor; })});
    c.push_back({"hypercalls", num([](const RunResult& r) { return r.monitor.totalHypercalls(); })});
    c.push_back({"vm_exits", num([](const RunResult& r) { return r.monitor.totalExits(); })});
    c.push_back({"blocks", num([](const RunResult& r) { return r.monitor.translatedBlocks; })});
    c.push_back({"pages", num([](const RunResult& r) { return r.footprint.pages; })});
    c.push_back({"startup", [](const CompareRow& row) {
                     return row.result && row.result->footprint.startupCycles
                                ? fmt::format("{}", *row.result->footprint.startupCycles)
                                : std::string("-");
                 }});
    c.push_back({"same_console", [](const CompareRow& row) {
                     return row.result ? std::string(row.sameConsoleAsNative ? "yes" : "NO") : "-";
                 }});
    return c;
}

}  // namespace

std::vector<CompareRow> compareModes(const GuestSources& sources, const std::vector<std::string>& modes,
                                     const RunOptions& base) {
    const auto wanted = expandModes(modes);
    const GuestImages unmodified = assembleGuest(sources);
    std::optional<GuestImages> paravirtual;
    auto imagesFor = [&](const std::string& mode) -> const GuestImages& {
        if (!modeInfo(mode)->needsParavirtKernel) return unmodified;
        if (!paravirtual) {
            GuestSources pv = sources;
            pv.defines["PARAVIRT"] = 1;
            paravirtual = assembleGuest(pv);
        }
        return *paravirtual;
    };
    auto runMode = [&](const std::string& mode) {
        CompareRow row;
        row.mode = mode;
        RunOptions options = base;
        options.mode = mode;
        try {
            row.result = runGuest(imagesFor(mode), options);
        } catch (const InputError& e) {
            row.error = e.what();
        }
        return row;
    };
    const CompareRow native = runMode("native");
    // With several instances each guest is judged against one instance
    // alone natively (native's own console interleaves its N processes).
    std::optional<RunResult> single;
    if (base.instances > 1) {
        RunOptions one = base;
        one.mode = "native";
        one.instances = 1;
        one.weights.clear();
        single = runGuest(unmodified, one);
    }
    std::vector<CompareRow> rows;
    for (const auto& mode : wanted) {
        CompareRow row = mode == "native" ? native : runMode(mode);
        if (row.result && native.result) {
            // A container's console is its own stream: what native printed
            // but the kernel's lines, which are the host's.
            const std::string& reference = single ? single->console : native.result->console;
            const std::string expected =
                modeInfo(mode)->containerConsole ? withoutKernelLines(reference) : reference;
            if (single && mode == "native") {
                row.sameConsoleAsNative = true;
            } else {
                row.sameConsoleAsNative = true;
                for (const auto& g : row.result->guests) row.sameConsoleAsNative &= g.console == expected;
            }
            row.overheadPercent =
                100.0 * (double(row.result->totalCycles) / double(std::max<uint64_t>(native.result->totalCycles, 1)) - 1.0);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string compareText(const std::vector<CompareRow>& rows) {
    const auto cols = columns();
    std::vector<size_t> width(cols.size());
    for (size_t c = 0; c < cols.size(); ++c) {
        width[c] = std::string_view(cols[c].title).size();
        for (const auto& row : rows) width[c] = std::max(width[c], cols[c].value(row).size());
    }
    // Names left-aligned, numbers right-aligned, two spaces between columns.
    auto cell = [&](size_t c, const std::string& v) {
        return c < 2 ? fmt::format("{:<{}}  ", v, width[c]) : fmt::format("{:>{}}  ", v, width[c]);
    };
    auto line = [&](auto valueOf) {
        std::string text;
        for (size_t c = 0; c < cols.size(); ++c) text += cell(c, valueOf(c));
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text + '\n';
    };
    std::string out = line([&](size_t c) { return std::string(cols[c].title); });
    for (const auto& row : rows) out += line([&](size_t c) { return cols[c].value(row); });
    for (const auto& row : rows)
        if (!row.error.empty()) out += row.error + "\n";  // the message names the mode
    return out;
}

std::string compareCsv(const std::vector<CompareRow>& rows) {
    const auto cols = columns();
    std::string out;
    for (size_t c = 0; c < cols.size(); ++c) out += fmt::format("{}{}", c ? "," : "", cols[c].title);
    out += '\n';
    for (const auto& row : rows) {
        for (size_t c = 0; c < cols.size(); ++c) {
            std::string v = cols[c].value(row);
            if (c == 3 && !v.empty() && v.back() == '%') v.pop_back();
            out += fmt::format("{}{}", c ? "," : "", v);
        }
        out += '\n';
    }
    return out;
}

nlohmann::json compareJson(const std::vector<CompareRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& row : rows) {
        nlohmann::json j;
        if (row.result) {
            j = toJson(*row.result);
            j["overhead_percent"] = row.overheadPercent;
            j["diverged_from_native"] = !row.sameConsoleAsNative;
        } else {
            j["mode"] = row.mode;
            j["error"] = row.error;
        }
        out.push_back(j);
    }
    return out;
}

}  // namespace ringsim
