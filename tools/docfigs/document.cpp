// Walks a markdown document's markers and regenerates what they mark.
#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "extract.h"

namespace docfigs {

namespace {

std::string shorten(std::string s, size_t max = 110) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s.size() > max ? s.substr(0, max - 3) + "..." : s;
}

// The length of a fence (``` or ~~~, or longer) starting a line, or 0.
size_t fenceLength(const std::string& text, size_t lineStart) {
    if (lineStart >= text.size() || (text[lineStart] != '`' && text[lineStart] != '~')) return 0;
    size_t n = 0;
    while (lineStart + n < text.size() && text[lineStart + n] == text[lineStart]) ++n;
    return n >= 3 ? n : 0;
}

struct Fence {
    size_t start;     // the opening fence line
    size_t bodyStart; // the first line inside
    size_t bodyEnd;   // the closing fence line
    size_t end;       // after the closing fence line (and its newline)
};

// Fenced code blocks, in order; markers inside them are examples, not markers.
std::vector<Fence> findFences(const std::string& text) {
    std::vector<Fence> fences;
    std::optional<Fence> open;
    char openChar = 0;
    size_t openLength = 0;
    for (size_t at = 0; at < text.size();) {
        size_t eol = text.find('\n', at);
        const size_t next = eol == std::string::npos ? text.size() : eol + 1;
        const size_t n = fenceLength(text, at);
        if (n && !open) {
            open = Fence{at, next, 0, 0};
            openChar = text[at];
            openLength = n;
        } else if (n && text[at] == openChar && n >= openLength &&
                   text.find_first_not_of(" \t\r\n", at + n) >= next) {
            // a closing fence: the same character, at least as long, nothing after it
            open->bodyEnd = at;
            open->end = next;
            fences.push_back(*open);
            open.reset();
        }
        at = next;
    }
    return fences;
}

// A backtick count that is odd before `at` on its line: `at` is in a code span.
bool inCodeSpan(const std::string& text, size_t at) {
    const size_t lineStart = text.rfind('\n', at == 0 ? 0 : at - 1);
    const size_t from = lineStart == std::string::npos || at == 0 ? 0 : lineStart + 1;
    return std::count(text.begin() + long(from), text.begin() + long(at), '`') % 2 == 1;
}

class Document {
public:
    Document(const std::string& path, const std::string& text, Runner& runner, const Options& options)
        : path_(path), text_(text), runner_(runner), options_(options), fences_(findFences(text)) {}

    FileResult process();

private:
    int lineOf(size_t offset) const { return 1 + int(std::count(text_.begin(), text_.begin() + long(offset), '\n')); }
    const CommandResult& runChecked(const std::string& command);
    std::string expand(const std::string& templ);
    const Fence* fenceAt(size_t offset) const;
    const Fence* fenceAfter(size_t commentEnd, const std::string& marker);
    void compare(size_t regionStart, const std::string& documented, const std::string& produced,
                 const std::string& marker);
    void problem(size_t offset, const std::string& marker, const std::string& what);
    void collectSources();
    void checkCommands(const std::string& body, size_t bodyStart, const std::string& marker);

    const std::string& path_;
    const std::string& text_;
    Runner& runner_;
    const Options& options_;
    std::vector<Fence> fences_;
    std::map<std::string, std::string> sources_;     // name -> command
    std::map<std::string, nlohmann::json> parsed_;   // command -> its JSON, parsed once
    FileResult result_;
};

const Fence* Document::fenceAt(size_t offset) const {
    for (const auto& f : fences_)
        if (offset >= f.start && offset < f.end) return &f;
    return nullptr;
}

// The fenced block that must follow a block marker on the next line.
const Fence* Document::fenceAfter(size_t commentEnd, const std::string& marker) {
    size_t next = text_.find('\n', commentEnd);
    if (next != std::string::npos)
        for (const auto& f : fences_)
            if (f.start == next + 1) return &f;
    problem(commentEnd, marker, "a fenced code block must start on the line after this marker");
    return nullptr;
}

void Document::problem(size_t offset, const std::string& marker, const std::string& what) {
    Finding f;
    f.file = path_;
    f.line = lineOf(offset);
    f.marker = shorten(marker);
    f.problem = what;
    result_.findings.push_back(f);
}

// Reports the first differing line of a region that is not what the tool produces.
void Document::compare(size_t regionStart, const std::string& documented, const std::string& produced,
                       const std::string& marker) {
    if (documented == produced) return;
    const auto a = splitLines(documented), b = splitLines(produced);
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    Finding f;
    f.file = path_;
    f.line = lineOf(regionStart) + int(i);
    f.marker = shorten(marker);
    if (a.size() <= 1 && b.size() <= 1) {
        f.documented = documented;
        f.produced = produced;
    } else {
        f.documented = i < a.size() ? a[i] : "(nothing: the documented text ends here)";
        f.produced = i < b.size() ? b[i] : "(nothing: the output ends here)";
    }
    result_.findings.push_back(f);
}

const CommandResult& Document::runChecked(const std::string& command) {
    const auto& r = runner_.run(command);
    // 126/127: not runnable; above 128: killed. Other exit codes are the
    // command's own answer (a guest that faults exits 1) and may be shown.
    if (r.status >= 126) throw std::runtime_error("`" + command + "` failed (exit " + std::to_string(r.status) + ")");
    if (trim(r.out).empty())
        throw std::runtime_error("`" + command + "` printed nothing (exit " + std::to_string(r.status) + ")");
    return r;
}

// Replaces every {{SOURCE EXPRESSION}} of a template with its value.
std::string Document::expand(const std::string& templ) {
    std::string out;
    size_t at = 0;
    while (true) {
        const size_t open = templ.find("{{", at);
        if (open == std::string::npos) break;
        const size_t close = templ.find("}}", open);
        if (close == std::string::npos) throw std::runtime_error("'{{' without '}}'");
        out += templ.substr(at, open - at);
        const std::string inner = templ.substr(open + 2, close - open - 2);
        const std::string lead = trim(inner);
        const auto space = lead.find(' ');
        const std::string name = lead.substr(0, space);
        auto source = sources_.find(name);
        if (source == sources_.end()) throw std::runtime_error("no source named '" + name + "' in this file");
        const auto& result = runChecked(source->second);
        const nlohmann::json* json = nullptr;
        const std::string rest = inner.substr(inner.find(name) + name.size());
        if (trim(rest).starts_with("json")) {
            auto it = parsed_.find(source->second);
            if (it == parsed_.end()) {
                try {
                    it = parsed_.emplace(source->second, nlohmann::json::parse(result.out)).first;
                } catch (const nlohmann::json::exception& e) {
                    throw std::runtime_error("`" + source->second + "` did not print JSON: " + e.what());
                }
            }
            json = &it->second;
        }
        try {
            out += extractFrom(result.out, json, rest);
        } catch (const std::runtime_error& e) {
            throw std::runtime_error("{{" + trim(inner) + "}}: " + e.what());
        }
        at = close + 2;
    }
    return out + templ.substr(at);
}

// Each command line of an sh block, continuation lines joined and simple
// variables (G=scenarios/guests) expanded, checked against --help.
void Document::checkCommands(const std::string& body, size_t bodyStart, const std::string& marker) {
    std::map<std::string, std::string> vars;
    const auto lines = splitLines(body);
    for (size_t i = 0; i < lines.size(); ++i) {
        const size_t first = i;
        std::string line = lines[i];
        while (line.ends_with('\\') && i + 1 < lines.size()) line = line.substr(0, line.size() - 1) + " " + lines[++i];
        std::string expanded;
        for (size_t k = 0; k < line.size(); ++k) {
            if (line[k] == '$' && k + 1 < line.size() && (std::isalpha(static_cast<unsigned char>(line[k + 1])) || line[k + 1] == '_')) {
                size_t e = k + 1;
                while (e < line.size() && (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '_')) ++e;
                auto v = vars.find(line.substr(k + 1, e - k - 1));
                if (v != vars.end()) {
                    expanded += v->second;
                    k = e - 1;
                    continue;
                }
            }
            expanded += line[k];
        }
        const std::string t = trim(expanded);
        if (t.empty() || t.starts_with('#')) continue;
        const auto eq = t.find('=');
        if (eq != std::string::npos && t.find(' ') == std::string::npos) {
            vars[t.substr(0, eq)] = t.substr(eq + 1);
            continue;
        }
        bool skipped = false;
        const auto problems = checkCommandLine(t, runner_, skipped);
        if (skipped) {
            ++result_.skipped;
            continue;
        }
        ++result_.figures;
        size_t offset = bodyStart;
        for (size_t k = 0; k < first; ++k) offset += lines[k].size() + 1;
        // appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "`" + string&&
        const std::string quoted = std::string(1, '`').append(shorten(t, 90)).append("`: ");
        for (const auto& p : problems) problem(offset, marker, quoted + p);
    }
}

// Sources may be named anywhere in the file, before or after their use.
void Document::collectSources() {
    for (size_t at = text_.find("<!--"); at != std::string::npos; at = text_.find("<!--", at + 4)) {
        if (fenceAt(at) || inCodeSpan(text_, at)) continue;
        const size_t end = text_.find("-->", at);
        if (end == std::string::npos) return;
        const std::string content = trim(text_.substr(at + 4, end - at - 4));
        if (!content.starts_with("source ")) continue;
        // Alone on its line after a blank or another marker's line: inside a
        // paragraph, markdown would end the paragraph at it.
        const size_t lineStart = at == 0 ? 0 : text_.rfind('\n', at - 1) + 1;
        const size_t prevStart = lineStart < 2 ? 0 : text_.rfind('\n', lineStart - 2) + 1;
        const std::string prev = lineStart == 0 ? "" : trim(text_.substr(prevStart, lineStart - prevStart));
        if (lineStart != at || (!prev.empty() && !prev.ends_with("-->") && !prev.starts_with('#')))
            problem(at, content, "a source marker stands alone on its line, after a blank line (inside a "
                                 "paragraph markdown would split the paragraph there)");
        const auto colon = content.find(':');
        if (colon == std::string::npos) {
            problem(at, content, "expected <!-- source NAME: COMMAND -->");
            continue;
        }
        const std::string name = trim(content.substr(7, colon - 7));
        if (name.empty() || name.find_first_of(" {}") != std::string::npos) {
            problem(at, content, "a source's name is one word");
            continue;
        }
        if (!sources_.emplace(name, trim(content.substr(colon + 1))).second)
            problem(at, content, "the source '" + name + "' is named twice in this file");
    }
}

FileResult Document::process() {
    collectSources();
    std::string& out = result_.updated;
    size_t pos = 0;
    while (pos < text_.size()) {
        const size_t at = text_.find("<!--", pos);
        if (at == std::string::npos) break;
        if (const Fence* f = fenceAt(at)) {
            out += text_.substr(pos, f->end - pos);
            pos = f->end;
            continue;
        }
        const size_t close = text_.find("-->", at);
        if (close == std::string::npos || inCodeSpan(text_, at)) {
            out += text_.substr(pos, at + 4 - pos);
            pos = at + 4;
            continue;
        }
        const size_t after = close + 3;
        const std::string comment = text_.substr(at, after - at);
        const std::string content = text_.substr(at + 4, close - at - 4);
        std::string word = trim(content).substr(0, trim(content).find_first_of(" :\n"));
        out += text_.substr(pos, after - pos);
        pos = after;
        // A value or template that cannot be evaluated keeps its documented text.
        const size_t closingAt = word == "value" || word == "template"
                                     ? text_.find("<!-- /" + word + " -->", after)
                                     : std::string::npos;
        try {
            if (word == "generated" || word == "commands" || word == "example") {
                const Fence* fence = fenceAfter(after, comment);
                if (!fence) continue;
                const std::string body = text_.substr(fence->bodyStart, fence->bodyEnd - fence->bodyStart);
                out += text_.substr(pos, fence->bodyStart - pos);
                pos = fence->bodyStart;
                std::string produced = body;
                if (word == "generated") {
                    std::string command = trim(content).substr(9);
                    const bool measured = trim(command).starts_with("measured");
                    if (measured) command = trim(command).substr(8);
                    if (!command.starts_with(":")) throw std::runtime_error("expected <!-- generated: COMMAND -->");
                    command = trim(command.substr(1));
                    if (measured && !options_.measured) {
                        ++result_.skipped;
                    } else {
                        ++result_.figures;
                        produced = runChecked(command).out;
                        if (!produced.empty() && !produced.ends_with('\n')) produced += '\n';
                        compare(fence->bodyStart, body, produced, comment);
                    }
                } else if (word == "commands") {
                    checkCommands(body, fence->bodyStart, comment);
                } else {
                    const std::string kind = trim(trim(content).substr(7 + 1));
                    if (kind != "scenario") throw std::runtime_error("expected <!-- example: scenario -->");
                    ++result_.figures;
                    const std::string message = checkScenarioExample(body, runner_);
                    if (!message.empty()) problem(fence->bodyStart, comment, "the example does not load: " + message);
                }
                out += produced;
                out += text_.substr(fence->bodyEnd, fence->end - fence->bodyEnd);
                pos = fence->end;
            } else if (word == "value" || word == "template") {
                if (word == "value") {
                    // At the start of a line, markdown takes <!-- for an HTML block
                    // and shows the rest of the line raw: put a word before it.
                    const size_t lineStart = at == 0 ? 0 : text_.rfind('\n', at - 1) + 1;
                    if (text_.find_first_not_of(" \t", lineStart) == at)
                        problem(at, comment, "a value marker must not start a line (markdown would take the line "
                                             "for an HTML block): begin the line with a word");
                }
                const std::string closing = "<!-- /" + word + " -->";
                const size_t end = text_.find(closing, after);
                if (end == std::string::npos) throw std::runtime_error("no " + closing + " after it");
                std::string templ = trim(content).substr(word.size());
                const bool measured = templ.starts_with(" measured") || templ.starts_with("\nmeasured");
                if (measured) templ = templ.substr(9);
                const std::string documented = text_.substr(after, end - after);
                std::string produced = documented;
                if (measured && !options_.measured) {
                    ++result_.skipped;
                } else {
                    ++result_.figures;
                    if (word == "value") {
                        produced = expand(trim(templ));
                    } else {
                        // the template's lines, between the keyword's line and -->;
                        // the generated lines sit between --> and the closing marker
                        if (!templ.starts_with('\n') || !documented.starts_with('\n'))
                            throw std::runtime_error("a template's text starts on the line after <!-- template, "
                                                     "and what it generates on the line after -->");
                        templ = templ.substr(1);
                        while (!templ.empty() && (templ.back() == ' ' || templ.back() == '\n')) templ.pop_back();
                        produced = std::string(1, '\n').append(expand(templ)).append(1, '\n');
                    }
                    compare(after + (word == "template" ? 1 : 0), documented, produced, comment);
                }
                out += produced;
                out += closing;
                pos = end + closing.size();
            } else if (word == "/value" || word == "/template") {
                problem(at, comment, "a closing marker without its opening one");
            }
        } catch (const std::runtime_error& e) {
            problem(at, comment, e.what());
            if (closingAt != std::string::npos && pos <= closingAt) {
                const size_t past = closingAt + word.size() + 11; // "<!-- /" word " -->"
                out += text_.substr(pos, past - pos);
                pos = past;
            }
        }
    }
    out += text_.substr(pos);
    return result_;
}

} // namespace

std::string Finding::text() const {
    std::string s = file + ":" + std::to_string(line) + ": " + marker + "\n";
    if (!problem.empty()) return s + "  problem:    " + problem + "\n";
    return s + "  documented: " + documented + "\n  produced:   " + produced + "\n";
}

namespace {
// Answers every command with a placeholder and remembers it: a dry run of a
// document lists the commands its figures need.
class Recorder : public Runner {
public:
    using Runner::Runner;

protected:
    CommandResult execute(const std::string&) override { return {"0\n", 0, 0}; }
};
} // namespace

std::vector<std::string> commandsOf(const std::string& text, const std::string& sourceDir,
                                    const std::string& binDir) {
    Recorder recorder(sourceDir, binDir);
    const std::string path = "(dry run)";
    const Options options;
    Document(path, text, recorder, options).process();
    std::vector<std::string> commands;
    for (const auto& [command, result] : recorder.history())
        if (command.find("ringsim-docfigs-") == std::string::npos) commands.push_back(command); // a temporary folder
    return commands;
}

FileResult processDocument(const std::string& path, const std::string& text, Runner& runner,
                           const Options& options) {
    Document doc(path, text, runner, options);
    return doc.process();
}

} // namespace docfigs
