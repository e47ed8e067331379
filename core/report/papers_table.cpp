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

const char* const kNoDemandPaging = "no demand paging or copy-on-write yet: ";

Paper adamsAgesen() {
    Paper p;
    p.name = "adams-agesen-2006";
    p.citation = "K. Adams, O. Agesen: A Comparison of Software and Hardware Techniques for x86 Virtualization, "
                 "ASPLOS 2006 (nanobenchmarks, forkwait)";
    p.preset = "vtx-2006";
    p.columns = {{Mode::Native, "auto", "native"},
                 {Mode::BinaryTranslation, "auto", "binary-translation"},
                 {Mode::HwAssist, "auto", "hw-assist"}};
    auto bench = [](std::string name, PaperWorkload w, std::vector<PaperFigure> figures, std::string note) {
        PaperBenchmark b;
        b.name = std::move(name);
        b.workload = std::move(w);
        b.paperUnit = figures.empty() ? "" : "cycles";
        b.figures = std::move(figures);
        b.note = std::move(note);
        return b;
    };
    p.benchmarks = {
        bench("syscall", userProgram({"guests/syscalls.s"}, "CALLS", 1000), {},
              "getpid from ring 3; the paper: native N, BT about N + 2000, VT-x about N (its digits not found)"),
        bench("in", nanokernel("OP_IN"), cyclesRow({3209, 214, 15826}),
              "in from the console's status port, in the guest kernel"),
        bench("control-register write", nanokernel("OP_TIMER"), {},
              "the paper writes CR8 (cr8wr; its digits not found); ringsim programs the timer (stimer), in the guest "
              "kernel"),
        bench("call/ret", nanokernel("OP_CALL_RET"), cyclesRow({11, 51, 11}),
              "a call of an empty routine, in the guest kernel (where a translator runs)"),
        bench("page fault", nanokernel("OP_PAGE_FAULT"), cyclesRow({1093, 3927, 11242}),
              std::string(kNoDemandPaging) + "a kernel-mode load from an unmapped address, skipped by the handler"),
        bench("divide by zero", nanokernel("OP_DIVIDE"), cyclesRow({889, 3223, 1014}),
              "in the guest kernel, skipped by the handler"),
        bench("page-table-entry write", nanokernel("OP_PTE_WRITE"), cyclesRow({1, 391, 12733}),
              "a store into the active page table, in the guest kernel; native 'about 1' in the source"),
    };
    PaperBenchmark forkwait;
    forkwait.name = "forkwait";
    forkwait.workload = userProgram({"guests/papers/forkwait.s"}, "ITERS", 20);
    forkwait.paperUnit = "s";
    forkwait.figures = {valueAndRatio(6.0, 1.0), valueAndRatio(36.9, 36.9 / 6.0), valueAndRatio(106.4, 106.4 / 6.0)};
    forkwait.note = std::string(kNoDemandPaging) + "spawn + wait (the paper: 40,000 fork/wait, seconds for all)";
    p.benchmarks.push_back(forkwait);
    return p;
}

Paper barham() {
    Paper p;
    p.name = "barham-2003";
    p.citation = "P. Barham et al.: Xen and the Art of Virtualization, SOSP 2003 (lmbench, OSDB-OLTP)";
    p.preset = "vtx-2006";
    p.columns = {{Mode::Native, "auto", "native"},
                 {Mode::Paravirt, "auto", "paravirt"},
                 {Mode::BinaryTranslation, "auto", "binary-translation"},
                 {Mode::Emulation, "auto", "emulation"}};
    auto bench = [](std::string name, PaperWorkload w, std::string note) {
        PaperBenchmark b;
        b.name = std::move(name);
        b.workload = std::move(w);
        b.note = std::move(note);
        return b;
    };
    PaperWorkload yield = userProgram({"guests/papers/yield.s", "guests/papers/yield.s"}, "ITERS", 100);
    yield.opsPerIteration = 2;  // two processes, each yield a switch to the other
    p.benchmarks = {
        bench("null syscall", userProgram({"guests/syscalls.s"}, "CALLS", 1000), "getpid (lmbench: getppid)"),
        bench("context switch", yield, "two processes yielding to each other (lmbench: a pipe ping-pong)"),
        bench("fork/exec", userProgram({"guests/papers/forkwait.s"}, "ITERS", 20),
              std::string(kNoDemandPaging) + "spawn + wait, a fresh address space each time"),
        bench("page fault", userProgram({"guests/papers/faultkill.s"}, "ITERS", 20),
              std::string(kNoDemandPaging) +
                  "measures spawn + fault + kill + wait, and the kernel's line about the kill (natively one port "
                  "access a byte, paravirtually one hypercall a line)"),
        bench("mmap", userProgram({"guests/papers/mapunmap.s"}, "ITERS", 100),
              "no mmap of files: map one zero-filled page, touch it, unmap it"),
    };
    PaperBenchmark macro;
    macro.name = "kernel-heavy macro";
    macro.workload = fixed({"guests/pagetables.s"});
    macro.metric = PaperMetric::CyclesPerRun;
    macro.paperUnit = "tuples/s";
    // OSDB-OLTP throughput: Linux, Xen, VMware Workstation (a binary translator); ratio = native / mode.
    macro.figures = {valueAndRatio(1714, 1.0), valueAndRatio(1633, 1714.0 / 1633), valueAndRatio(199, 1714.0 / 199),
                     none()};
    macro.note = "the paper runs OSDB-OLTP (throughput); ringsim runs pagetables.s; emulation is not in the paper";
    p.benchmarks.push_back(macro);
    return p;
}

Paper felter() {
    Paper p;
    p.name = "felter-2015";
    p.citation = "W. Felter, A. Ferreira, R. Rajamony, J. Rubio: An Updated Performance Comparison of Virtual "
                 "Machines and Linux Containers, ISPASS 2015";
    p.preset = "modern";
    p.columns = {{Mode::Native, "auto", "native"}, {Mode::Container, "auto", "container"},
                 {Mode::HwAssist, "auto", "hw-assist"}};
    PaperBenchmark compute;
    compute.name = "compute";
    compute.workload = userProgram({"guests/compute.s"}, "ROUNDS", 2);
    compute.note = "a sieve round; the paper: CPU-bound work within noise of native in both (digits not taken)";
    p.benchmarks.push_back(compute);
    for (uint32_t n : {1u, 4u, 16u}) {
        PaperBenchmark startUp;
        startUp.name = fmt::format("start-up N={}", n);
        startUp.workload = fixed({"guests/hello.s"}, n);
        startUp.metric = PaperMetric::StartUpCycles;
        startUp.note = "until the last instance's first output; the paper: a container in milliseconds, a VM boot in "
                       "seconds";
        p.benchmarks.push_back(startUp);
    }
    for (uint32_t n : {1u, 4u, 16u}) {
        PaperBenchmark memory;
        memory.name = fmt::format("memory N={}", n);
        memory.workload = fixed({"guests/hello.s"}, n);
        memory.metric = PaperMetric::PagesPerInstance;
        memory.note = "pages in use over the instances (a VM's own kernel included)";
        p.benchmarks.push_back(memory);
    }
    return p;
}

Paper nestedPaging() {
    Paper p;
    p.name = "nested-paging";
    p.citation = "R. Bhargava, B. Serebrin, F. Spadini, S. Manne: Accelerating Two-Dimensional Page Walks for "
                 "Virtualized Systems, ASPLOS 2008; VMware: Performance Evaluation of Intel EPT Hardware Assist, 2009";
    p.preset = "modern";
    p.columns = {{Mode::Native, "auto", "native"},
                 {Mode::HwAssist, "shadow", "hw-assist (shadow)"},
                 {Mode::HwAssist, "nested", "hw-assist (nested)"}};
    PaperBenchmark tables;
    tables.name = "page-table-heavy";
    tables.workload = fixed({"guests/pagetables.s"});
    tables.metric = PaperMetric::CyclesPerRun;
    tables.note = "the sources: nested paging up to 48% faster than shadow on MMU-heavy work (digits per column "
                  "not taken)";
    p.benchmarks.push_back(tables);
    PaperBenchmark walks;
    walks.name = "TLB-miss-heavy";
    walks.workload = userProgram({"guests/papers/tlbwalk.s"}, "ITERS", 100);
    walks.workload.opsPerIteration = 8;  // tlbwalk.s's PAGES loads a round
    walks.note = "one load that misses the TLB; the sources: a nested walk takes up to 24 references against 4";
    p.benchmarks.push_back(walks);
    return p;
}

}  // namespace

const std::vector<Paper>& bundledPapers() {
    static const std::vector<Paper> papers = {adamsAgesen(), barham(), felter(), nestedPaging()};
    return papers;
}

const Paper& paperNamed(const std::string& name) {
    std::string known;
    for (const Paper& p : bundledPapers()) {
        if (p.name == name) return p;
        known += fmt::format("{}{}", known.empty() ? "" : ", ", p.name);
    }
    throw InputError(fmt::format("unknown paper '{}' (known: {})", name, known));
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
