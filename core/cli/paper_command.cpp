// `ringsim paper NAME | --all | --list`: the papers' experiments run in
// ringsim, beside the papers' own figures (core/report/papers.h).
#include "cli/commands.h"

#include <fmt/format.h>
#include <ostream>

#include "machine/errors.h"
#include "report/papers.h"

namespace ringsim::cli {

int paperCommand(const PaperArgs& args, std::ostream& out, std::ostream& err) {
    try {
        if (args.format != "text" && args.format != "csv" && args.format != "json")
            throw InputError(fmt::format("unknown format '{}' (known: text, csv, json)", args.format));
        if (args.list) {
            for (const Paper& p : bundledPapers()) out << fmt::format("{:<20} {}\n", p.name, p.citation);
            return 0;
        }
        std::vector<const Paper*> papers;
        if (args.all) {
            if (!args.names.empty()) throw InputError("give paper names or --all, not both");
            for (const Paper& p : bundledPapers()) papers.push_back(&p);
        } else {
            if (args.names.empty())
                throw InputError(fmt::format("name a paper ({}), or give --all or --list", knownPaperNames()));
            for (const std::string& name : args.names) papers.push_back(&paperNamed(name));
        }
        PaperRequest request;
        request.jobs = args.jobs;
        std::vector<PaperRun> runs;
        for (const Paper* paper : papers) {
            PaperRun run{paper, runPaper(*paper, request), {}};
            run.targets = paperTargets(*paper, run.cells);
            runs.push_back(std::move(run));
        }
        if (args.targets)
            writePaperTargets(runs, args.format, out);
        else if (args.format == "json")
            writePapersJson(runs, out);
        else if (args.format == "csv")
            writePapersCsv(runs, out);
        else
            writePapersText(runs, out);
        return 0;
    } catch (const InputError& e) {
        err << e.what() << "\n";
        return 2;
    }
}

}  // namespace ringsim::cli
