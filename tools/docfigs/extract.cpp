// Extractors: a value out of a command's output (a JSON path, a count of
// lines, a regular expression), and the number formats documents use.
#include "extract.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace docfigs {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

namespace {

std::string scalarText(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() || v.is_array()) throw std::runtime_error("the path ends at a " + std::string(v.type_name()) +
                                                                ", not a value (add a key, or # for its size)");
    return v.dump();
}

std::regex compile(const std::string& pattern) {
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        throw std::runtime_error("bad regular expression '" + pattern + "': " + e.what());
    }
}

// `.key`, `[N]`, `[field=value,field=value]` (the first element whose
// fields print so), and a final `#` for the size of what was reached.
std::string jsonPath(const nlohmann::json& root, const std::string& path) {
    const nlohmann::json* at = &root;
    size_t i = 0;
    auto fail = [&](const std::string& why) {
        throw std::runtime_error("json path '" + path + "': " + why + " at '" + path.substr(0, i) + "'");
    };
    while (i < path.size()) {
        if (path[i] == '#') {
            if (i + 1 != path.size()) fail("# must come last");
            if (!at->is_array() && !at->is_object()) fail("# needs a list or a map");
            return std::to_string(at->size());
        }
        if (path[i] == '.') {
            const size_t end = path.find_first_of(".[#", i + 1);
            const std::string key = path.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
            if (!at->is_object()) fail("not a map");
            auto it = at->find(key);
            if (it == at->end()) fail("no key '" + key + "'");
            at = &*it;
            i = end == std::string::npos ? path.size() : end;
        } else if (path[i] == '[') {
            const size_t end = path.find(']', i);
            if (end == std::string::npos) fail("missing ]");
            const std::string inside = path.substr(i + 1, end - i - 1);
            if (!at->is_array()) fail("not a list");
            if (inside.find('=') == std::string::npos) {
                char* stop = nullptr;
                const long index = std::strtol(inside.c_str(), &stop, 10);
                if (inside.empty() || *stop || index < 0 || size_t(index) >= at->size())
                    fail("no element [" + inside + "]");
                at = &(*at)[size_t(index)];
            } else {
                std::vector<std::pair<std::string, std::string>> want;
                std::istringstream parts(inside);
                for (std::string part; std::getline(parts, part, ',');) {
                    const auto eq = part.find('=');
                    if (eq == std::string::npos) fail("expected field=value in [" + inside + "]");
                    want.emplace_back(part.substr(0, eq), part.substr(eq + 1));
                }
                const nlohmann::json* found = nullptr;
                for (const auto& element : *at) {
                    bool all = element.is_object();
                    for (const auto& [field, value] : want) {
                        if (!all) break;
                        auto f = element.find(field);
                        all = f != element.end() && !f->is_structured() && scalarText(*f) == value;
                    }
                    if (all) {
                        found = &element;
                        break;
                    }
                }
                if (!found) fail("no element with " + inside);
                at = found;
            }
            i = end + 1;
        } else {
            fail("expected . or [ or #");
        }
    }
    return scalarText(*at);
}

// `PATH`, or `A OP B` with OP one of + - * / and each side a path or a
// number: the share of a category is `.cycles.device / .cycles.total`.
std::string jsonArithmetic(const nlohmann::json& root, const std::string& arg) {
    for (const char* op : {" / ", " * ", " + ", " - "}) {
        const auto at = arg.find(op);
        if (at == std::string::npos) continue;
        auto side = [&](std::string s) {
            s = trim(s);
            const std::string text = s.empty() || std::string(".[#").find(s[0]) == std::string::npos ? s : jsonPath(root, s);
            char* stop = nullptr;
            const double x = std::strtod(text.c_str(), &stop);
            if (text.empty() || *stop) throw std::runtime_error("'" + s + "' is not a number");
            return x;
        };
        const double a = side(arg.substr(0, at)), b = side(arg.substr(at + 3));
        double x = 0;
        switch (op[1]) {
        case '/':
            if (b == 0) throw std::runtime_error("division by zero in '" + arg + "'");
            x = a / b;
            break;
        case '*': x = a * b; break;
        case '+': x = a + b; break;
        default: x = a - b; break;
        }
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.17g", x);
        return buffer;
    }
    return jsonPath(root, trim(arg));
}

const char* const kWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                              "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                              "eighteen", "nineteen", "twenty"};

} // namespace

std::string formatValue(const std::string& value, const std::string& format) {
    if (format.empty()) return value;
    if (format[0] == '?') {
        // ?TEXT, or ?TEXT:OTHER: text for a true value (and for a false one)
        const std::string choices = format.substr(1);
        const auto colon = choices.find(':');
        const bool truth = !(value.empty() || value == "false" || value == "0" || value == "null" || value == "no");
        if (colon == std::string::npos) return truth ? choices : "";
        return truth ? choices.substr(0, colon) : choices.substr(colon + 1);
    }
    std::string digits;
    for (char c : value)
        if (c != ',' && c != '_') digits += c;
    char* stop = nullptr;
    double x = std::strtod(digits.c_str(), &stop);
    if (digits.empty() || *stop) throw std::runtime_error("'" + value + "' is not a number (format '" + format + "')");
    bool sign = false, absolute = false, word = false;
    char group = 0;
    int precision = -1;
    for (size_t i = 0; i < format.size();) {
        const char c = format[i++];
        auto number = [&] {
            const char* start = format.c_str() + i;
            char* end = nullptr;
            const double n = std::strtod(start, &end);
            if (end == start) throw std::runtime_error("format '" + format + "': a number must follow " + c);
            i += size_t(end - start);
            return n;
        };
        switch (c) {
        case '+': sign = true; break;
        case ',': group = ','; break;
        case '_': group = ' '; break;
        case 'a': absolute = true; break;
        case 'w': word = true; break;
        case ' ': break; // `*100 .0` reads better than `*100.0`, which would scale by 100.0
        case '.': precision = int(number()); break;
        case '/': x /= number(); break;
        case '*': x *= number(); break;
        default: throw std::runtime_error("format '" + format + "': unknown '" + std::string(1, c) + "'");
        }
    }
    if (absolute) x = std::fabs(x);
    // prose writes small whole numbers as words ("sixteen scenarios")
    if (word && x == std::floor(x) && x >= 0 && x <= 20) return kWords[int(x)];
    if (precision < 0) precision = x == std::floor(x) ? 0 : 2;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, sign ? "%+.*f" : "%.*f", precision, x);
    std::string text = buffer;
    if (group) {
        const size_t start = text.find_first_of("0123456789");
        size_t end = text.find('.');
        if (end == std::string::npos) end = text.size();
        for (size_t at = end; at > start + 3; at -= 3) text.insert(at - 3, 1, group);
    }
    return text;
}

std::string extractFrom(const std::string& output, const nlohmann::json* parsed, const std::string& expression) {
    std::string spec = expression, format;
    const auto as = expression.rfind(" as ");
    if (as != std::string::npos) {
        spec = expression.substr(0, as);
        format = expression.substr(as + 4);
    }
    spec = trim(spec);
    const auto space = spec.find(' ');
    const std::string kind = spec.substr(0, space);
    const std::string arg = space == std::string::npos ? "" : trim(spec.substr(space + 1));
    std::string value;
    if (kind.empty() || kind == "text") {
        value = trim(output);
    } else if (kind == "json") {
        nlohmann::json own;
        if (!parsed) {
            try {
                own = nlohmann::json::parse(output);
            } catch (const nlohmann::json::exception& e) {
                throw std::runtime_error(std::string("the output is not JSON: ") + e.what());
            }
            parsed = &own;
        }
        value = jsonArithmetic(*parsed, arg);
    } else if (kind == "lines") {
        value = std::to_string(splitLines(trim(output)).size());
    } else if (kind == "count") {
        const auto re = compile(arg);
        size_t n = 0;
        for (const auto& line : splitLines(output)) n += std::regex_search(line, re);
        value = std::to_string(n);
    } else if (kind == "match") {
        // the first line that matches: its first group, or the whole match
        const auto re = compile(arg);
        bool found = false;
        for (const auto& line : splitLines(output)) {
            std::smatch m;
            if (std::regex_search(line, m, re)) {
                value = m.size() > 1 ? m[1].str() : m[0].str();
                found = true;
                break;
            }
        }
        if (!found) throw std::runtime_error("no line matches /" + arg + "/");
    } else {
        throw std::runtime_error("unknown extractor '" + kind + "' (text, json PATH, lines, count REGEX, match REGEX)");
    }
    return formatValue(value, format);
}

std::string extract(const std::string& output, const std::string& expression) {
    return extractFrom(output, nullptr, expression);
}

} // namespace docfigs
