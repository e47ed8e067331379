#include "report/compare.h"
#include "report/csv_field.h"
#include "report/json_text.h"

#include <fmt/format.h>
#include <functional>
#include <set>

#include "report/report.h"

namespace ringsim {

namespace {

struct Column {
    const char* title;
    std::function<std::string(const MatrixCell&)> value;
};

uint64_t eventCount(const RunResult& r, EventKind k) { return r.events[size_t(k)]; }

std::vector<Column> columns(bool scenarios, bool presets) {
    auto num = [](auto f) {
        return [f](const MatrixCell& row) { return row.result ? fmt::format("{}", f(*row.result)) : std::string("-"); };
    };
    std::vector<Column> c;
    if (scenarios) c.push_back({"scenario", [](const MatrixCell& row) { return row.scenario->name; }});
    if (presets) c.push_back({"preset", [](const MatrixCell& row) { return row.preset; }});
    std::vector<Column> rest = {
        {"mode", [](const MatrixCell& row) { return std::string(modeName(row.mode)); }},
        {"stop", [](const MatrixCell& row) { return row.result ? std::string(stopReasonName(row.result->stopReason)) : "refused"; }},
        {"cycles", num([](const RunResult& r) { return r.totalCycles; })},
        {"overhead", [](const MatrixCell& row) { return row.hasOverhead() ? fmt::format("{:+.1f}%", row.overheadPercent) : "-"; }},
    };
    c.insert(c.end(), rest.begin(), rest.end());
    for (size_t i = 0; i < kCycleCategoryCount; ++i)
        c.push_back({categoryName(CycleCategory(i)).data(), num([i](const RunResult& r) { return r.cycles[i]; })});
    c.push_back({"faults", num([](const RunResult& r) { return eventCount(r, EventKind::Fault); })});
    c.push_back({"syscalls", num([](const RunResult& r) { return eventCount(r, EventKind::Syscall); })});
    c.push_back({"monitor_traps", num([](const RunResult& r) { return r.monitor.trapsIntoMonitor; })});
    c.push_back({"hypercalls", num([](const RunResult& r) { return r.monitor.totalHypercalls(); })});
    c.push_back({"vm_exits", num([](const RunResult& r) { return r.monitor.totalExits(); })});
    c.push_back({"blocks", num([](const RunResult& r) { return r.monitor.translatedBlocks; })});
    c.push_back({"pages", num([](const RunResult& r) { return r.footprint.pages; })});
    c.push_back({"startup", [](const MatrixCell& row) {
                     return row.result && row.result->footprint.startupCycles
                                ? fmt::format("{}", *row.result->footprint.startupCycles)
                                : std::string("-");
                 }});
    c.push_back({"same_console", [](const MatrixCell& row) {
                     return row.result ? std::string(row.sameConsoleAsNative ? "yes" : "NO") : "-";
                 }});
    return c;
}


struct Table {
    std::vector<Column> columns;
    size_t names = 0;  // leading columns of names (left-aligned)
    std::vector<const MatrixCell*> rows;
};

Table tableOf(const std::vector<MatrixCell>& cells) {
    std::set<std::string> scenarios, presets;
    Table t;
    for (const auto& c : cells) {
        if (!c.listed) continue;
        scenarios.insert(c.scenario->path);
        presets.insert(c.preset);
        t.rows.push_back(&c);
    }
    t.columns = columns(scenarios.size() > 1, presets.size() > 1);
    t.names = 2 + (scenarios.size() > 1) + (presets.size() > 1);
    return t;
}

}  // namespace

std::string matrixText(const std::vector<MatrixCell>& cells) {
    const Table t = tableOf(cells);
    const auto& cols = t.columns;
    std::vector<size_t> width(cols.size());
    for (size_t c = 0; c < cols.size(); ++c) {
        width[c] = std::string_view(cols[c].title).size();
        for (const auto* row : t.rows) width[c] = std::max(width[c], cols[c].value(*row).size());
    }
    // Names left-aligned, numbers right-aligned, two spaces between columns.
    auto cell = [&](size_t c, const std::string& v) {
        return c < t.names ? fmt::format("{:<{}}  ", v, width[c]) : fmt::format("{:>{}}  ", v, width[c]);
    };
    auto line = [&](auto valueOf) {
        std::string text;
        for (size_t c = 0; c < cols.size(); ++c) text += cell(c, valueOf(c));
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text + '\n';
    };
    std::string out = line([&](size_t c) { return std::string(cols[c].title); });
    for (const auto* row : t.rows) out += line([&](size_t c) { return cols[c].value(*row); });
    for (const auto* row : t.rows)
        if (!row->error.empty()) out += row->error + "\n";  // the message names the mode
    // One note per baseline, not per row: every row of that scenario and preset shares it.
    std::set<std::string> notes;
    for (const auto* row : t.rows)
        if (!row->overheadNote.empty() &&
            notes.insert(row->scenario->path + "\n" + row->preset + "\n" + row->overheadNote).second)
            out += fmt::format("{} ({}, preset {}): no overhead is given\n", row->overheadNote, row->scenario->name,
                               row->preset);
    return out;
}

std::string matrixCsv(const std::vector<MatrixCell>& cells) {
    const Table t = tableOf(cells);
    std::string out;
    for (size_t c = 0; c < t.columns.size(); ++c) out += fmt::format("{}{}", c ? "," : "", t.columns[c].title);
    out += ",note\n";  // why a row has no overhead, or why the mode could not run
    for (const auto* row : t.rows) {
        for (size_t c = 0; c < t.columns.size(); ++c) {
            std::string v = t.columns[c].value(*row);
            if (std::string_view(t.columns[c].title) == "overhead") {
                if (!v.empty() && v.back() == '%') v.pop_back();
                if (v == "-") v.clear();  // no overhead: empty, not a number
            }
            out += fmt::format("{}{}", c ? "," : "", v);
        }
        out += ',';
        out += csvField(!row->error.empty() ? row->error : row->overheadNote);
        out += '\n';
    }
    return out;
}

nlohmann::json cellJson(const MatrixCell& row) {
    nlohmann::json j;
    if (row.result) {
        j = toJson(*row.result);
        j["overhead_percent"] = row.hasOverhead() ? nlohmann::json(row.overheadPercent) : nlohmann::json(nullptr);
        if (!row.overheadNote.empty()) j["overhead_note"] = row.overheadNote;
        j["diverged_from_native"] = !row.sameConsoleAsNative;
    } else {
        j["mode"] = modeName(row.mode);
        j["preset"] = row.preset;
        j["error"] = row.error;
    }
    j["scenario"] = row.scenario->name;
    j["scenario_file"] = row.scenario->path;
    j["ringsim_version"] = RINGSIM_VERSION;
    return j;
}

std::string matrixJson(const std::vector<MatrixCell>& cells) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& row : cells)
        if (row.listed) out.push_back(cellJson(row));
    return dumpJson(out) + "\n";
}

}  // namespace ringsim
