#include "report/storage_report.h"

namespace ringsim {

nlohmann::json storageJson(const StorageResult& s) {
    nlohmann::json j;
    j["front_end"] = std::string(diskFrontEndName(s.frontEnd));
    for (const StorageField& f : storageFields()) {
        const double v = f.value(s);
        if (v == double(uint64_t(v)))
            j[f.name] = uint64_t(v);  // counts stay integers; only the ratios are fractions
        else
            j[f.name] = v;
    }
    return j;
}

std::optional<double> storageCounter(const std::optional<StorageResult>& s, const std::string& field) {
    if (!s) return std::nullopt;
    for (const StorageField& f : storageFields())
        if (field == f.name) return f.value(*s);
    return std::nullopt;
}

}  // namespace ringsim
