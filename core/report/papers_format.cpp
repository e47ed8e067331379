// `ringsim paper` as text (a table per paper, ringsim beside the paper, then
// the notes and the targets), CSV (a row per cell) and JSON (an array of
// cells; the targets as an array of their own).
#include "report/papers.h"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

#include "report/csv_field.h"
#include "report/json_text.h"

namespace ringsim {

namespace {

std::string number(const std::optional<double>& v, int decimals) {
    if (!v) return "-";
    return fmt::format("{:.{}f}", *v, decimals);
}
// Small figures (call/ret, pages) need a decimal; large ones do not.
std::string amount(const std::optional<double>& v) { return number(v, v && std::abs(*v) < 100 ? 1 : 0); }
std::string times(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "-"; }

nlohmann::json optionalNumber(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

bool isCycles(PaperMetric metric) { return metric != PaperMetric::PagesPerInstance; }

void writeTargetsText(const std::vector<PaperTarget>& targets, std::ostream& out) {
    for (const PaperTarget& t : targets)
        out << fmt::format("  {:<8} {} ({})\n", t.holds ? "holds" : "not yet", t.claim, t.measured);
}

}  // namespace

void writePapersText(const std::vector<PaperRun>& runs, std::ostream& out) {
    bool first = true;
    for (const PaperRun& run : runs) {
        if (!first) out << "\n";
        first = false;
        out << fmt::format("{}: {}\npreset {}\n\n", run.paper->name, run.paper->citation, run.paper->preset);
        out << fmt::format("{:<24} {:<20} {:>12} {:>8} {:>10} {:>8} {}\n", "benchmark", "mode", "ringsim",
                           "x native", "paper", "x native", "units (ringsim / paper)");
        std::string lastBenchmark;
        for (const PaperCell& c : run.cells) {
            const bool firstOfRow = c.benchmark != lastBenchmark;
            lastBenchmark = c.benchmark;
            const std::string paperUnit = c.paperUnit.empty() ? "-" : c.paperUnit;
            std::string line = fmt::format(
                "{:<24} {:<20} {:>12} {:>8} {:>10} {:>8} {}", firstOfRow ? c.benchmark : "", c.column.label,
                c.value ? amount(c.value) : "FAILED", times(c.ratioToNative), amount(c.paperFigure.value),
                times(c.paperFigure.ratioToNative),
                firstOfRow ? fmt::format("{} / {}", paperMetricName(c.metric), paperUnit) : "");
            line.erase(line.find_last_not_of(' ') + 1);  // no trailing blanks where the units column is empty
            out << line << "\n";
        }
        out << "notes:\n";
        lastBenchmark.clear();
        for (const PaperCell& c : run.cells) {
            if (c.benchmark != lastBenchmark && !c.note.empty()) out << fmt::format("  {}: {}\n", c.benchmark, c.note);
            lastBenchmark = c.benchmark;
            if (!c.failure.empty()) out << fmt::format("  {} {}: FAILED: {}\n", c.benchmark, c.column.label, c.failure);
        }
        if (!run.targets.empty()) {
            out << "targets (issue 15):\n";
            writeTargetsText(run.targets, out);
        }
    }
}

void writePapersCsv(const std::vector<PaperRun>& runs, std::ostream& out) {
    out << "paper,benchmark,mode,paging,column,preset,metric,cycles_per_op,value,ratio_to_native,paper_value,"
           "paper_unit,paper_ratio_to_native,note,failure\n";
    auto field = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
    for (const PaperRun& run : runs)
        for (const PaperCell& c : run.cells)
            out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csvField(c.paper),
                               csvField(c.benchmark), modeName(c.column.mode), c.column.paging,
                               csvField(c.column.label), c.preset, csvField(std::string(paperMetricName(c.metric))),
                               isCycles(c.metric) ? field(c.value) : "", field(c.value), field(c.ratioToNative),
                               field(c.paperFigure.value), csvField(c.paperUnit),
                               field(c.paperFigure.ratioToNative), csvField(c.note), csvField(c.failure));
}

void writePapersJson(const std::vector<PaperRun>& runs, std::ostream& out) {
    nlohmann::json cells = nlohmann::json::array();
    for (const PaperRun& run : runs)
        for (const PaperCell& c : run.cells) {
            nlohmann::json j;
            j["paper"] = c.paper;
            j["benchmark"] = c.benchmark;
            j["mode"] = std::string(modeName(c.column.mode));
            j["paging"] = c.column.paging;
            j["column"] = c.column.label;
            j["preset"] = c.preset;
            j["metric"] = std::string(paperMetricName(c.metric));
            j["cycles_per_op"] = isCycles(c.metric) ? optionalNumber(c.value) : nlohmann::json();
            j["value"] = optionalNumber(c.value);
            j["ratio_to_native"] = optionalNumber(c.ratioToNative);
            j["paper_value"] = optionalNumber(c.paperFigure.value);
            j["paper_unit"] = c.paperUnit.empty() ? nlohmann::json() : nlohmann::json(c.paperUnit);
            j["paper_ratio_to_native"] = optionalNumber(c.paperFigure.ratioToNative);
            j["note"] = c.note;
            j["failed"] = !c.value.has_value();
            j["failure"] = c.failure.empty() ? nlohmann::json() : nlohmann::json(c.failure);
            cells.push_back(std::move(j));
        }
    out << dumpJson(cells) << "\n";
}

void writePaperTargets(const std::vector<PaperRun>& runs, const std::string& format, std::ostream& out) {
    if (format == "json") {
        nlohmann::json targets = nlohmann::json::array();
        for (const PaperRun& run : runs)
            for (const PaperTarget& t : run.targets)
                targets.push_back({{"paper", t.paper}, {"claim", t.claim}, {"holds", t.holds}, {"measured", t.measured}});
        out << dumpJson(targets) << "\n";
    } else if (format == "csv") {
        out << "paper,claim,holds,measured\n";
        for (const PaperRun& run : runs)
            for (const PaperTarget& t : run.targets)
                out << fmt::format("{},{},{},{}\n", csvField(t.paper), csvField(t.claim), t.holds ? "true" : "false",
                                   csvField(t.measured));
    } else {
        for (const PaperRun& run : runs) {
            out << run.paper->name << ":\n";
            writeTargetsText(run.targets, out);
        }
    }
}

}  // namespace ringsim
