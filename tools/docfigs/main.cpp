// update-doc-figures: regenerates the marked figures of README.md and docs/*.md
// in place, or with --check reports where a document and the tool disagree.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "docfigs.h"

namespace fs = std::filesystem;

static void usage() {
    std::cout << "usage: update-doc-figures [--check] [--measured] [--source DIR] [--bin DIR] [--times] [FILE.md...]\n"
                 "  regenerates every figure marked in README.md and docs/*.md (or the files given)\n"
                 "  --check     change nothing; list each difference and exit 1 if there is one\n"
                 "  --measured  also re-measure the figures marked `measured` (timings; never checked)\n"
                 "  --source    the source folder (default: the one this program was built from)\n"
                 "  --bin       the folder holding ringsim (default: this program's own)\n"
                 "  --times     print how long each command took\n"
                 "  exit codes: 0 all figures current (or updated), 1 differences (--check) or problems, 2 usage\n"
                 "  the markers: docs/contributing.md\n";
}

int main(int argc, char** argv) {
    bool check = false, times = false;
    docfigs::Options options;
    std::string source = RINGSIM_DOCFIGS_SOURCE_DIR;
    std::string bin = fs::canonical("/proc/self/exe").parent_path().string();
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--check") check = true;
        else if (a == "--measured") options.measured = true;
        else if (a == "--times") times = true;
        else if ((a == "--source" || a == "--bin") && i + 1 < argc) (a == "--source" ? source : bin) = argv[++i];
        else if (a == "-h" || a == "--help") {
            usage();
            return 0;
        } else if (a.starts_with('-')) {
            std::cerr << "update-doc-figures: unknown option " << a << "\n";
            usage();
            return 2;
        } else files.push_back(a);
    }
    if (files.empty()) {
        files.push_back("README.md");
        std::vector<std::string> docs;
        for (const auto& e : fs::directory_iterator(fs::path(source) / "docs"))
            if (e.path().extension() == ".md") docs.push_back("docs/" + e.path().filename().string());
        std::sort(docs.begin(), docs.end());
        files.insert(files.end(), docs.begin(), docs.end());
    }
    docfigs::Runner runner(source, bin);
    int differences = 0, problems = 0, figures = 0, skipped = 0;
    std::vector<std::string> texts;
    std::vector<std::string> commands;
    for (const auto& file : files) {
        const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : fs::path(source) / file;
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        texts.push_back(in ? text.str() : std::string());
        if (!in) continue;
        if (!options.measured)
            for (auto& c : docfigs::commandsOf(texts.back(), source, bin)) commands.push_back(std::move(c));
    }
    // Measured figures run one at a time, on a machine otherwise idle.
    runner.prefetch(commands, 2);
    for (size_t i = 0; i < files.size(); ++i) {
        const std::string& file = files[i];
        const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : fs::path(source) / file;
        if (!fs::exists(path)) {
            std::cerr << file << ": cannot read\n";
            ++problems;
            continue;
        }
        const std::string& text = texts[i];
        auto result = docfigs::processDocument(file, text, runner, options);
        figures += result.figures;
        skipped += result.skipped;
        for (const auto& f : result.findings) {
            (f.problem.empty() ? differences : problems)++;
            std::cout << (f.problem.empty() && !check ? "updated " : "") << f.text();
        }
        if (!check && result.updated != text) std::ofstream(path) << result.updated;
    }
    if (times)
        for (const auto& [command, r] : runner.history()) std::printf("%7.2f s  %s\n", r.seconds, command.c_str());
    std::printf("%d figures in %zu files: %d %s, %d problems; %d skipped (measured, or not ringsim's)\n", figures,
                files.size(), differences, check ? "differ" : "updated", problems, skipped);
    return problems || (check && differences) ? 1 : 0;
}
