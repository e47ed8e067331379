// Issue 15's targets (item 2), judged on a paper's cells: which hold today.
// Once the mechanisms of item 3 land they become tests; until then
// `ringsim paper` reports them ("holds" / "not yet").
#include "report/papers.h"

#include <algorithm>
#include <fmt/format.h>

namespace ringsim {

namespace {

const PaperCell* cellAt(const std::vector<PaperCell>& cells, const std::string& benchmark, const std::string& label) {
    for (const PaperCell& c : cells)
        if (c.benchmark == benchmark && c.column.label == label) return &c;
    return nullptr;
}

std::string figure(const std::optional<double>& v) { return v ? fmt::format("{:.0f}", *v) : "failed"; }
// Three decimals: a target at 1.0 (paravirt against BT) must show which side it fell.
std::string ratio(const std::optional<double>& v) { return v ? fmt::format("{:.3f}x", *v) : "n/a"; }

// Ratio of a column to another on one benchmark; empty if either failed.
std::optional<double> between(const std::vector<PaperCell>& cells, const std::string& benchmark,
                              const std::string& label, const std::string& against) {
    const PaperCell* a = cellAt(cells, benchmark, label);
    const PaperCell* b = cellAt(cells, benchmark, against);
    if (!a || !b || !a->value || !b->value || *b->value <= 0) return std::nullopt;
    return *a->value / *b->value;
}

std::vector<std::string> benchmarkNames(const std::vector<PaperCell>& cells) {
    std::vector<std::string> names;
    for (const PaperCell& c : cells)
        if (std::find(names.begin(), names.end(), c.benchmark) == names.end()) names.push_back(c.benchmark);
    return names;
}

std::vector<PaperTarget> adamsTargets(const std::string& paper, const std::vector<PaperCell>& cells) {
    PaperTarget within{paper, "every nanobenchmark cell within a factor of 2 of the paper's cycles", true, ""};
    PaperTarget order{paper, "each nanobenchmark row in the paper's order", true, ""};
    for (const std::string& name : benchmarkNames(cells)) {
        std::vector<const PaperCell*> row;
        for (const PaperCell& c : cells)
            if (c.benchmark == name && c.paperUnit == "cycles" && c.paperFigure.value) row.push_back(&c);
        if (row.empty()) continue;
        std::string measured;
        for (const PaperCell* c : row) {
            const bool ok = c->value && *c->value * 2 >= *c->paperFigure.value && *c->value <= 2 * *c->paperFigure.value;
            if (!ok) {
                within.holds = false;
                within.measured += fmt::format("{}{} {}: {} vs {}", within.measured.empty() ? "" : "; ", name,
                                               c->column.label, figure(c->value), *c->paperFigure.value);
            }
        }
        auto ranks = [&](auto key) {
            std::vector<size_t> idx(row.size());
            for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
            std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return key(row[a]) < key(row[b]); });
            return idx;
        };
        const bool allRan = std::all_of(row.begin(), row.end(), [](const PaperCell* c) { return c->value.has_value(); });
        const bool sameOrder = allRan && ranks([](const PaperCell* c) { return *c->value; }) ==
                                             ranks([](const PaperCell* c) { return *c->paperFigure.value; });
        if (!sameOrder) {
            order.holds = false;
            order.measured += fmt::format("{}{}", order.measured.empty() ? "out of order: " : ", ", name);
        }
    }
    const auto bt = between(cells, "forkwait", "binary-translation", "native");
    const auto hw = between(cells, "forkwait", "hw-assist", "native");
    const auto hwBt = between(cells, "forkwait", "hw-assist", "binary-translation");
    PaperTarget fork{paper, "forkwait: native < BT < HW, BT >= 3x native, HW >= 2x BT",
                     bt && hw && hwBt && *bt >= 3 && *hwBt >= 2 && *bt > 1 && *hwBt > 1,
                     fmt::format("BT {}, HW {} native, HW/BT {}", ratio(bt), ratio(hw), ratio(hwBt))};
    const auto syscall = between(cells, "syscall", "hw-assist", "native");
    PaperTarget sys{paper, "hw-assist within 10% of native on syscalls", syscall && *syscall <= 1.10,
                    fmt::format("HW {} native", ratio(syscall))};
    if (within.measured.empty()) within.measured = "all within";
    if (order.measured.empty()) order.measured = "all in order";
    return {within, order, fork, sys};
}

std::vector<PaperTarget> barhamTargets(const std::string& paper, const std::vector<PaperCell>& cells) {
    std::vector<PaperTarget> out;
    for (const char* name : {"null syscall", "context switch"}) {
        const auto pv = between(cells, name, "paravirt", "native");
        out.push_back({paper, fmt::format("paravirt within 10% of native on {}", name), pv && *pv <= 1.10,
                       fmt::format("paravirt {} native", ratio(pv))});
    }
    PaperTarget noSlower{paper, "paravirt no slower than BT anywhere", true, ""};
    PaperTarget emulation{paper, "emulation at least as slow as BT on every kernel-heavy workload", true, ""};
    for (const std::string& name : benchmarkNames(cells)) {
        const auto pvBt = between(cells, name, "paravirt", "binary-translation");
        if (!pvBt || *pvBt > 1) {
            noSlower.holds = false;
            noSlower.measured += fmt::format("{}{} paravirt/BT {}", noSlower.measured.empty() ? "" : "; ", name,
                                             ratio(pvBt));
        }
        const auto emuBt = between(cells, name, "emulation", "binary-translation");
        if (!emuBt || *emuBt < 1) {
            emulation.holds = false;
            emulation.measured += fmt::format("{}{} emulation/BT {}", emulation.measured.empty() ? "" : "; ", name,
                                              ratio(emuBt));
        }
    }
    if (noSlower.measured.empty()) noSlower.measured = "everywhere";
    if (emulation.measured.empty()) emulation.measured = "everywhere";
    out.push_back(noSlower);
    out.push_back(emulation);
    return out;
}

std::vector<PaperTarget> felterTargets(const std::string& paper, const std::vector<PaperCell>& cells) {
    std::vector<PaperTarget> out;
    for (uint32_t n : {4u, 16u}) {
        const auto start = between(cells, fmt::format("start-up N={}", n), "hw-assist", "container");
        out.push_back({paper, fmt::format("containers start at least 10x faster than VMs, N={}", n),
                       start && *start >= 10, fmt::format("VM/container {}", ratio(start))});
        const auto pages = between(cells, fmt::format("memory N={}", n), "hw-assist", "container");
        out.push_back({paper, fmt::format("containers use at least 5x fewer pages than VMs, N={}", n),
                       pages && *pages >= 5, fmt::format("VM/container {}", ratio(pages))});
    }
    for (const char* label : {"container", "hw-assist"}) {
        const auto compute = between(cells, "compute", label, "native");
        out.push_back({paper, fmt::format("compute within 7% of native in {}", label),
                       compute && *compute <= 1.07 && *compute >= 0.93, fmt::format("{} native", ratio(compute))});
    }
    return out;
}

std::vector<PaperTarget> nestedTargets(const std::string& paper, const std::vector<PaperCell>& cells) {
    const auto tables = between(cells, "page-table-heavy", "hw-assist (nested)", "hw-assist (shadow)");
    const auto walks = between(cells, "TLB-miss-heavy", "hw-assist (nested)", "hw-assist (shadow)");
    return {{paper, "nested faster than shadow on page-table-heavy work", tables && *tables < 1,
             fmt::format("nested/shadow {}", ratio(tables))},
            {paper, "nested slower than shadow on TLB-miss-heavy work", walks && *walks > 1,
             fmt::format("nested/shadow {}", ratio(walks))}};
}

}  // namespace

std::vector<PaperTarget> paperTargets(const Paper& paper, const std::vector<PaperCell>& cells) {
    if (paper.name == "adams-agesen-2006") return adamsTargets(paper.name, cells);
    if (paper.name == "barham-2003") return barhamTargets(paper.name, cells);
    if (paper.name == "felter-2015") return felterTargets(paper.name, cells);
    if (paper.name == "nested-paging") return nestedTargets(paper.name, cells);
    return {};
}

}  // namespace ringsim
