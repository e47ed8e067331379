// The bundled papers: each experiment as a ringsim workload, beside the
// figures the paper gives. Sources and where a digit came from second-hand:
// docs/papers.md. A figure left empty is one that could not be found.
#include "report/papers.h"

#include <fmt/format.h>

#include "machine/errors.h"

namespace ringsim {

namespace {

PaperFigure none() { return {}; }
PaperFigure valueAndRatio(double value, double ratio) { return {value, ratio}; }
// A row of cycles, native first: the paper's ratios are its own figures' quotients.
std::vector<PaperFigure> cyclesRow(std::initializer_list<double> values) {
    std::vector<PaperFigure> row;
    for (double v : values) row.push_back({v, v / *values.begin()});
    return row;
}

PaperWorkload userProgram(std::vector<std::string> programs, std::string iterationsDefine, uint32_t iterations) {
    PaperWorkload w;
    w.programs = std::move(programs);
    w.iterationsDefine = std::move(iterationsDefine);
    w.iterations = iterations;
    return w;
}

// A kernel-mode nanobenchmark: papers/nanokernel.s doing one operation.
PaperWorkload nanokernel(const std::string& operation) {
    PaperWorkload w;
    w.kernel = "guests/papers/nanokernel.s";
    w.defines[operation] = 1;
    w.iterations = 200;
    return w;
}

PaperWorkload fixed(std::vector<std::string> programs, uint32_t instances = 1) {
    PaperWorkload w;
    w.programs = std::move(programs);
    w.iterationsDefine.clear();
    w.instances = instances;
    return w;
}

// One row of a paper's table. `figures` are the paper's, one per column
// (empty: the paper gives none), in `paperUnit`.
PaperBenchmark benchmark(std::string name, PaperWorkload workload, std::string note,
                         PaperMetric metric = PaperMetric::CyclesPerOp, std::string paperUnit = "",
                         std::vector<PaperFigure> figures = {}) {
    PaperBenchmark b;
    b.name = std::move(name);
    b.workload = std::move(workload);
    b.note = std::move(note);
    b.metric = metric;
    b.paperUnit = std::move(paperUnit);
    b.figures = std::move(figures);
    return b;
}

// A paper's heading and its columns (the first the baseline); the benchmarks follow.
Paper paper(std::string name, std::string citation, std::string preset, std::vector<PaperColumn> columns) {
    Paper p;
    p.name = std::move(name);
    p.citation = std::move(citation);
    p.preset = std::move(preset);
    p.columns = std::move(columns);
    return p;
}

Paper adamsAgesen() {
    Paper p = paper("adams-agesen-2006",
                    "K. Adams, O. Agesen: A Comparison of Software and Hardware Techniques for x86 Virtualization, "
                    "ASPLOS 2006 (nanobenchmarks, forkwait)",
                    "vtx-2006",
                    {{Mode::Native, "auto", "native"},
                     {Mode::BinaryTranslation, "auto", "binary-translation"},
                     {Mode::HwAssist, "auto", "hw-assist"}});
    const auto perOp = PaperMetric::CyclesPerOp;
    p.benchmarks = {
        benchmark("syscall", userProgram({"guests/syscalls.s"}, "CALLS", 1000),
                  "getpid from ring 3; the paper: native N, BT about N + 2000, VT-x about N (its digits not found); "
                  "BT reflects it through the monitor (trap, gate, frame) and its sysret is a callout"),
        benchmark("in", nanokernel("OP_IN"),
                  "in from the console's status port, in the guest kernel; in a VM the monitor emulates the virtual "
                  "device (BT from the translation cache, VT-x through an exit to its device-model process)",
                  perOp, "cycles",
                  cyclesRow({3209, 214, 15826})),
        benchmark("control-register write", nanokernel("OP_TIMER"),
                  "the paper writes CR8 (cr8wr; its digits not found); ringsim programs the timer (stimer), in the "
                  "guest kernel"),
        benchmark("call/ret", nanokernel("OP_CALL_RET"),
                  "a call of an empty routine, in the guest kernel (where a translator runs)", perOp, "cycles",
                  cyclesRow({11, 51, 11})),
        benchmark("page fault", nanokernel("OP_PAGE_FAULT"),
                  "a kernel-mode load from an unmapped address, skipped by the handler: the fault's path alone; BT "
                  "and VT-x (shadow paging: an exit) walk the guest's tables before passing it on (barham-2003's "
                  "page fault is a demand fault from ring 3, page copy included)",
                  perOp,
                  "cycles", cyclesRow({1093, 3927, 11242})),
        benchmark("divide by zero", nanokernel("OP_DIVIDE"),
                  "in the guest kernel, skipped by the handler; BT reflects it through the monitor, VT-x does not exit",
                  perOp,
                  "cycles", cyclesRow({889, 3223, 1014})),
        benchmark("page-table-entry write", nanokernel("OP_PTE_WRITE"),
                  "a store into the active page table, in the guest kernel; native 'about 1' in the source, ringsim's "
                  "cell holds the loop's 3 instructions too (docs/costs.md); VT-x: an exit, two walks, an emulated "
                  "store",
                  perOp,
                  "cycles", cyclesRow({1, 391, 12733})),
        benchmark("forkwait", userProgram({"guests/papers/forkwait.s"}, "ITERS", 20),
                  "fork (every page shared copy-on-write) + wait, the child exiting at once (the paper: 40,000 "
                  "fork/wait, seconds for all)",
                  perOp, "s",
                  {valueAndRatio(6.0, 1.0), valueAndRatio(36.9, 36.9 / 6.0), valueAndRatio(106.4, 106.4 / 6.0)}),
    };
    return p;
}

Paper barham() {
    Paper p = paper("barham-2003",
                    "P. Barham et al.: Xen and the Art of Virtualization, SOSP 2003 (lmbench, OSDB-OLTP)", "vtx-2006",
                    {{Mode::Native, "auto", "native"},
                     {Mode::Paravirt, "auto", "paravirt"},
                     {Mode::BinaryTranslation, "auto", "binary-translation"},
                     {Mode::Emulation, "auto", "emulation"}});
    PaperWorkload forkExec = userProgram({"guests/papers/forkwait.s"}, "ITERS", 20);
    forkExec.defines["EXEC"] = 1;
    PaperWorkload yield = userProgram({"guests/papers/yield.s", "guests/papers/yield.s"}, "ITERS", 100);
    yield.opsPerIteration = 2;  // two processes, each yield a switch to the other
    p.benchmarks = {
        benchmark("null syscall", userProgram({"guests/syscalls.s"}, "CALLS", 1000),
                  "getpid (lmbench: getppid); every kernel returns with iret, as Linux 2.4 did (paravirt's ring 1 "
                  "may not use sysret)"),
        benchmark("context switch", yield,
                  "two processes yielding to each other (lmbench: a pipe ping-pong); paravirt switches address "
                  "spaces with a hypercall, as Xen's guests did"),
        benchmark("fork/exec", forkExec,
                  "fork, the child execs the program anew (its pages come on first touch) and exits; the parent "
                  "waits"),
        benchmark("page fault", userProgram({"guests/papers/pagefault.s"}, "ITERS", 20),
                  "a ring-3 load from a page of the program not touched yet, which the kernel fills from the image "
                  "(lmbench: a page of a mapped file)"),
        benchmark("mmap", userProgram({"guests/papers/mapunmap.s"}, "ITERS", 100),
                  "no mmap of files: map one zero-filled page, touch it, unmap it"),
        // OSDB-OLTP throughput: Linux, Xen, VMware Workstation (a binary translator); ratio = native / mode.
        benchmark(
            "kernel-heavy macro", fixed({"guests/pagetables.s"}),
            "the paper runs OSDB-OLTP (throughput); ringsim runs pagetables.s; emulation is not in the paper",
            PaperMetric::CyclesPerRun, "tuples/s",
            {valueAndRatio(1714, 1.0), valueAndRatio(1633, 1714.0 / 1633), valueAndRatio(199, 1714.0 / 199), none()}),
    };
    // The paper's native Linux (2.4) entered with int 0x80 and returned with
    // iret, as XenoLinux did: the kernel is built the same way in every column.
    for (PaperBenchmark& b : p.benchmarks) b.workload.defines["SYSCALL_IRET"] = 1;
    return p;
}

Paper felter() {
    Paper p = paper("felter-2015",
                    "W. Felter, A. Ferreira, R. Rajamony, J. Rubio: An Updated Performance Comparison of Virtual "
                    "Machines and Linux Containers, ISPASS 2015",
                    "modern",
                    {{Mode::Native, "auto", "native"},
                     {Mode::Container, "auto", "container"},
                     {Mode::HwAssist, "auto", "hw-assist"}});
    p.benchmarks = {benchmark("compute", userProgram({"guests/compute.s"}, "ROUNDS", 2),
                              "a sieve round; the paper: CPU-bound work within noise of native in both (digits not "
                              "taken)")};
    for (uint32_t n : {1u, 4u, 16u})
        p.benchmarks.push_back(benchmark(fmt::format("start-up N={}", n), fixed({"guests/hello.s"}, n),
                                         "until the last instance's first output: a VM from its creation (its "
                                         "first touches of memory are exits), a container or a native process from "
                                         "the running kernel setting out to start it; the paper: a container in "
                                         "milliseconds, a VM boot in seconds",
                                         PaperMetric::StartUpCycles));
    for (uint32_t n : {1u, 4u, 16u})
        p.benchmarks.push_back(benchmark(fmt::format("memory N={}", n), fixed({"guests/hello.s"}, n),
                                         "pages in use over the instances: a VM's frames it touched (its own "
                                         "kernel included) and the monitor's structures for it (control block, "
                                         "I/O and MSR bitmaps, nested tables); a container's frames",
                                         PaperMetric::PagesPerInstance));
    return p;
}

Paper nestedPaging() {
    Paper p =
        paper("nested-paging",
              "R. Bhargava, B. Serebrin, F. Spadini, S. Manne: Accelerating Two-Dimensional Page Walks for "
              "Virtualized Systems, ASPLOS 2008; VMware: Performance Evaluation of Intel EPT Hardware Assist, 2009",
              "modern",
              {{Mode::Native, "auto", "native"},
               {Mode::HwAssist, "shadow", "hw-assist (shadow)"},
               {Mode::HwAssist, "nested", "hw-assist (nested)"}});
    PaperWorkload walks = userProgram({"guests/papers/tlbwalk.s"}, "ITERS", 100);
    walks.opsPerIteration = 8;  // tlbwalk.s's PAGES loads a round
    p.benchmarks = {
        benchmark("page-table-heavy", fixed({"guests/pagetables.s"}),
                  "the sources: nested paging up to 48% faster than shadow on MMU-heavy work (digits per column not "
                  "taken)",
                  PaperMetric::CyclesPerRun),
        benchmark("TLB-miss-heavy", walks,
                  "one load that misses the TLB; the sources: a nested walk takes up to 24 references against 4"),
    };
    return p;
}

}  // namespace

const std::vector<Paper>& bundledPapers() {
    static const std::vector<Paper> papers = {adamsAgesen(), barham(), felter(), nestedPaging()};
    return papers;
}

std::string knownPaperNames() {
    std::string known;
    for (const Paper& p : bundledPapers()) known += fmt::format("{}{}", known.empty() ? "" : ", ", p.name);
    return known;
}

const Paper& paperNamed(const std::string& name) {
    for (const Paper& p : bundledPapers())
        if (p.name == name) return p;
    throw InputError(fmt::format("unknown paper '{}' (known: {})", name, knownPaperNames()));
}

std::string_view paperMetricName(PaperMetric metric) {
    switch (metric) {
        case PaperMetric::CyclesPerOp: return "cycles/op";
        case PaperMetric::CyclesPerRun: return "cycles";
        case PaperMetric::StartUpCycles: return "start-up cycles";
        case PaperMetric::PagesPerInstance: return "pages/instance";
    }
    return "?";
}

}  // namespace ringsim
