// Examples in the documents that are not output: command lines (their options
// must exist) and scenario snippets (they must load).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <glob.h>
#include <regex>
#include <unistd.h>

#include "docfigs.h"

namespace docfigs {

namespace fs = std::filesystem;

namespace {

// Words of a command line as sh would split them (quotes, no expansion).
std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::string word;
    bool inWord = false;
    char quote = 0;
    for (char c : line) {
        if (quote) {
            if (c == quote) quote = 0;
            else word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            inWord = true;
        } else if (c == ' ' || c == '\t') {
            if (inWord) out.push_back(word);
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord) out.push_back(word);
    // a comment ends the command
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].starts_with('#')) {
            out.resize(i);
            break;
        }
    return out;
}

std::string regexEscape(const std::string& s) {
    static const std::string special = R"(\^$.|?*+()[]{})";
    std::string out;
    for (char c : s) {
        if (special.find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

bool isNumber(const std::string& s) {
    return s.size() > 1 && s[0] == '-' && std::isdigit(static_cast<unsigned char>(s[1]));
}

} // namespace

std::vector<std::string> checkCommandLine(const std::string& line, Runner& runner, bool& skipped) {
    skipped = false;
    std::vector<std::string> problems;
    const auto w = words(line);
    size_t at = 0;
    std::string program;
    for (; at < w.size(); ++at) {
        const std::string base = fs::path(w[at]).filename().string();
        if (base == "ringsim" || base == "ringsim-gui") {
            program = base;
            break;
        }
    }
    // Other programs (cmake, the set-up script) are not this tool's to check,
    // and the GUI's options only when the GUI was built.
    if (program.empty() || !fs::exists(fs::path(runner.binDir()) / program)) {
        skipped = true;
        return problems;
    }
    std::string help = program + " --help";
    size_t first = at + 1;
    if (program == "ringsim") {
        if (first >= w.size() || w[first].starts_with('-')) {
            problems.push_back("no subcommand after ringsim");
            return problems;
        }
        help = "ringsim " + w[first] + " --help";
        ++first;
    }
    // A command with subcommands of its own (`ringsim disk create`): its subcommand's help lists the options.
    if (program == "ringsim" && first < w.size() && !w[first].starts_with('-') &&
        runner.run(help).out.find("\nSubcommands:") != std::string::npos) {
        help = "ringsim " + w[first - 1] + " " + w[first] + " --help";
        ++first;
    }
    const auto& helpResult = runner.run(help);
    if (helpResult.status != 0) {
        problems.push_back("`" + help + "` fails (exit " + std::to_string(helpResult.status) + ")");
        return problems;
    }
    for (size_t i = first; i < w.size(); ++i) {
        const std::string& t = w[i];
        if (t == "|" || t == ";" || t == "&&" || t == "||" || t.starts_with('>') || t.starts_with("2>")) break;
        if (t.starts_with('-') && t.size() > 1 && !isNumber(t)) {
            const std::string name = t.substr(0, t.find('='));
            const std::regex listed("(^|[\\s,\\[])" + regexEscape(name) + "([\\s,=\\]]|$)");
            if (!std::regex_search(helpResult.out, listed))
                problems.push_back("option " + name + " is not in `" + help + "`");
            continue;
        }
        // Bundled files named on the command line must exist (a glob must match).
        static const char* roots[] = {"scenarios/", "docs/", "tests/", "tools/", "assets/", "fuzz/"};
        bool bundled = false;
        for (const char* r : roots) bundled |= t.starts_with(r);
        if (!bundled || t.find('<') != std::string::npos) continue; // scenarios/<name>.yaml is a pattern
        const std::string full = runner.sourceDir() + "/" + t;
        if (t.find_first_of("*?[") != std::string::npos) {
            glob_t g{};
            const int rc = ::glob(full.c_str(), 0, nullptr, &g);
            const bool any = rc == 0 && g.gl_pathc > 0;
            globfree(&g);
            if (!any) problems.push_back("no file matches " + t);
        } else if (!fs::exists(full)) {
            problems.push_back("no file " + t);
        }
    }
    return problems;
}

std::string checkScenarioExample(const std::string& yaml, Runner& runner) {
    // In a folder of its own beside a link to the bundled guests, as if it
    // were a file in scenarios/; `ringsim list` loads it completely.
    std::string dir = (fs::temp_directory_path() / "ringsim-docfigs-XXXXXX").string();
    if (!mkdtemp(dir.data())) return "cannot make a temporary folder";
    std::error_code ec;
    fs::create_directory_symlink(fs::path(runner.sourceDir()) / "scenarios" / "guests", fs::path(dir) / "guests", ec);
    {
        std::ofstream(fs::path(dir) / "example.yaml") << yaml;
    }
    const auto& result = runner.run("ringsim list '" + dir + "'");
    fs::remove_all(dir, ec);
    const auto at = result.out.find("(does not load: ");
    if (at != std::string::npos) {
        const auto end = result.out.find('\n', at);
        std::string message = result.out.substr(at + 16, end - at - 16);
        if (message.ends_with(')')) message.pop_back();
        return message;
    }
    if (result.status != 0 || result.out.find("example.yaml") == std::string::npos)
        return "`ringsim list` did not list it (exit " + std::to_string(result.status) + ")";
    return "";
}

} // namespace docfigs
