// The `storage` object of a run's JSON and the storage.* counters that
// expectations name, both read from storageFields (core/run/storage_result.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "run/storage_result.h"

namespace ringsim {

nlohmann::json storageJson(const StorageResult& s);
// storage.<field>; nothing for an unknown field or a run without a front end.
std::optional<double> storageCounter(const std::optional<StorageResult>& s, const std::string& field);

}  // namespace ringsim
