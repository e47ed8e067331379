// A sweep's points as a table (JSON lines, a JSON array, CSV), and shards
// merged into that same table: both go through sweepTable, so a merge is
// byte for byte what one process writes.
#include "report/sweep.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

#include "machine/errors.h"
#include "report/csv_field.h"

namespace ringsim {

namespace {

// Every leaf of a point, nested keys joined with '.', lists indexed: "guests.0.name".
void flatten(const nlohmann::json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    auto key = [&](const std::string& k) { return prefix.empty() ? k : prefix + "." + k; };
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) flatten(v, key(k), out);
    } else if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i) flatten(j[i], key(std::to_string(i)), out);
    } else if (j.is_string()) {
        out.emplace_back(prefix, j.get<std::string>());
    } else if (j.is_null()) {
        out.emplace_back(prefix, "");
    } else {
        out.emplace_back(prefix, j.dump());
    }
}

std::string csvOf(const std::vector<std::string>& lines) {
    // Who ran what first, then every other field in the order it first appears.
    std::vector<std::string> columns = {"point", "scenario", "mode", "preset"};
    std::vector<std::vector<std::pair<std::string, std::string>>> rows;
    for (const auto& line : lines) {
        rows.emplace_back();
        flatten(nlohmann::json::parse(line), "", rows.back());
    }
    std::map<std::string, size_t> columnOf;
    for (size_t c = 0; c < columns.size(); ++c) columnOf[columns[c]] = c;
    for (const auto& row : rows)
        for (const auto& cell : row)
            if (columnOf.emplace(cell.first, columns.size()).second) columns.push_back(cell.first);
    std::string out;
    // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "," + field.
    auto field = [&](size_t c, const std::string& text) {
        if (c) out += ',';
        out += csvField(text);
    };
    for (size_t c = 0; c < columns.size(); ++c) field(c, columns[c]);
    out += '\n';
    for (const auto& row : rows) {
        std::vector<std::string> values(columns.size());
        for (const auto& [k, v] : row) values[columnOf.at(k)] = v;
        for (size_t c = 0; c < values.size(); ++c) field(c, values[c]);
        out += '\n';
    }
    return out;
}

struct Located {
    std::string file;
    size_t line = 0;
    std::string text;
};

}  // namespace

std::string sweepTable(const std::vector<std::string>& lines, std::string_view format) {
    std::string out;
    if (format == "jsonl") {
        for (const auto& line : lines) {
            out += line;
            out += '\n';
        }
    } else if (format == "json") {
        out += '[';
        for (size_t i = 0; i < lines.size(); ++i) {
            out += i ? ",\n" : "\n";
            out += lines[i];
        }
        out += "\n]\n";
    } else if (format == "csv") {
        out = csvOf(lines);
    } else {
        throw InputError(fmt::format("unknown format '{}' (known: jsonl, json, csv)", format));
    }
    return out;
}

std::string mergeSweeps(const std::vector<std::pair<std::string, std::string>>& files, std::string_view format) {
    sweepTable({}, format);  // an unknown format is refused before any file is read
    std::map<size_t, Located> points;
    std::string digest, digestFile;
    size_t total = 0;
    for (const auto& [file, text] : files) {
        std::istringstream in(text);
        size_t number = 0;
        for (std::string line; std::getline(in, line);) {
            ++number;
            if (line.empty()) continue;
            const std::string where = fmt::format("{}:{}", file, number);
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception&) {
                throw InputError(where + ": not a line of `ringsim sweep` (one JSON object per point)");
            }
            if (!j.is_object() || !j.contains("point") || !j["point"].is_number_unsigned() ||
                !j.contains("grid_points") || !j["grid_points"].is_number_unsigned() || !j.contains("grid_digest") ||
                !j["grid_digest"].is_string())
                throw InputError(where + ": not a point of `ringsim sweep` (no point, grid_points or grid_digest)");
            const std::string d = j["grid_digest"].get<std::string>();
            const size_t index = j["point"].get<size_t>();
            if (digest.empty()) {
                digest = d;
                digestFile = file;
                total = j["grid_points"].get<size_t>();
            } else if (d != digest) {
                throw InputError(fmt::format("{}: comes from a different grid than {} (grid digest {}, not {}); "
                                             "merge the shards of one grid",
                                             where, digestFile, d, digest));
            }
            if (index >= total)
                throw InputError(fmt::format("{}: point {} is outside the grid's {} points", where, index, total));
            const auto [at, fresh] = points.emplace(index, Located{file, number, line});
            if (!fresh)
                throw InputError(fmt::format("{}: point {} is also at {}:{} (a shard given twice?)", where, index,
                                             at->second.file, at->second.line));
        }
    }
    if (points.empty()) throw InputError("merge: the files hold no sweep points");
    if (points.size() != total) {
        std::string missing;
        size_t count = 0;
        for (size_t i = 0; i < total; ++i)
            if (!points.count(i) && ++count <= 10) missing += fmt::format("{}{}", count > 1 ? ", " : "", i);
        throw InputError(fmt::format("merge: {} of the grid's {} points are missing ({}{}); is a shard missing or "
                                     "unfinished?",
                                     count, total, missing, count > 10 ? ", ..." : ""));
    }
    std::vector<std::string> lines;
    for (auto& [index, p] : points) lines.push_back(std::move(p.text));
    return sweepTable(lines, format);
}

}  // namespace ringsim
