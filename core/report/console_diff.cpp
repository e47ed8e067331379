#include "report/console_diff.h"

#include <algorithm>


namespace ringsim {

namespace {

// The text cut after each line break: every piece but the last ends with '\n'.
std::vector<std::string_view> pieces(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const size_t end = text.find('\n');
        const size_t length = end == std::string_view::npos ? text.size() : end + 1;
        out.push_back(text.substr(0, length));
        text.remove_prefix(length);
    }
    return out;
}

std::string_view withoutBreak(std::string_view piece) {
    return piece.ends_with('\n') ? piece.substr(0, piece.size() - 1) : piece;
}

}  // namespace

std::vector<std::string_view> consoleLines(std::string_view text) {
    std::vector<std::string_view> lines = pieces(text);
    for (auto& line : lines) line = withoutBreak(line);
    return lines;
}

bool ConsoleDiff::same() const {
    return missing == 0 && std::all_of(marks.begin(), marks.end(), [](Line m) { return m == Line::Same; });
}

ConsoleDiff diffConsole(std::string_view console, std::string_view expected) {
    const std::vector<std::string_view> have = pieces(console), want = pieces(expected);
    ConsoleDiff diff;
    diff.lines = consoleLines(console);
    for (size_t i = 0; i < have.size(); ++i) {
        // Pieces compared with their breaks: "ok" unended is not yet "ok\n".
        ConsoleDiff::Line mark = ConsoleDiff::Line::Differs;
        if (i < want.size() && have[i] == want[i])
            mark = ConsoleDiff::Line::Same;
        else if (i + 1 == have.size() && !have[i].ends_with('\n') && i < want.size() && want[i].starts_with(have[i]))
            mark = ConsoleDiff::Line::Partial;
        diff.marks.push_back(mark);
    }
    diff.missing = want.size() > have.size() ? want.size() - have.size() : 0;
    return diff;
}

}  // namespace ringsim
