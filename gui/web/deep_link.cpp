#include "deep_link.h"

#include <cctype>
#include <charconv>

namespace ringsim::gui::web {

namespace {

// %xx and '+' as a browser writes them in a query string.
std::string unescape(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// A scenario's name goes into a file path: letters, digits, '-' and '_' only.
bool plainName(const std::string& name) {
    if (name.empty()) return false;
    for (const char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

}  // namespace

DeepLink parseDeepLink(const std::string& query) {
    DeepLink link;
    size_t at = !query.empty() && query[0] == '?' ? 1 : 0;
    while (at < query.size()) {
        size_t end = query.find('&', at);
        if (end == std::string::npos) end = query.size();
        const std::string pair = query.substr(at, end - at);
        at = end + 1;
        if (pair.empty()) continue;
        const size_t eq = pair.find('=');
        const std::string key = unescape(pair.substr(0, eq));
        const std::string value = eq == std::string::npos ? "" : unescape(pair.substr(eq + 1));
        if (key == "lecture") {
            link.lecture = true;
        } else if (key == "scenario") {
            if (plainName(value))
                link.scenario = value;
            else
                link.problems.push_back("no bundled scenario \"" + value + "\"");
        } else if (key == "mode") {
            try {
                link.mode = parseMode(value);
            } catch (const std::exception&) {
                link.problems.push_back("no mode \"" + value + "\"");
            }
        } else if (key == "stop") {
            size_t stop = 0;
            const auto [end2, failed] = std::from_chars(value.data(), value.data() + value.size(), stop);
            if (failed != std::errc() || end2 != value.data() + value.size() || stop == 0)
                link.problems.push_back("no tour stop \"" + value + "\" (stops count from 1)");
            else
                link.stop = stop;
        } else {
            link.problems.push_back("the link's \"" + key + "\" means nothing here (scenario, mode, stop, lecture do)");
        }
    }
    return link;
}

std::string deepLinkQuery(const std::string& scenario, Mode mode, size_t stop) {
    std::string query = "?scenario=" + scenario + "&mode=" + std::string(modeName(mode));
    if (stop > 0) query += "&stop=" + std::to_string(stop);
    return query;
}

}  // namespace ringsim::gui::web
