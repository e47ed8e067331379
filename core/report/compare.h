// The comparison matrix as a person or a program reads it: an aligned text
// table for slides, CSV with a header row, or JSON with one object per run
// (every field of a run, the scenario, and how it was configured).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/matrix.h"

namespace ringsim {

std::string matrixText(const std::vector<MatrixCell>& cells);
std::string matrixCsv(const std::vector<MatrixCell>& cells);
std::string matrixJson(const std::vector<MatrixCell>& cells);
// One run as matrixJson writes it (a sweep's point carries the same fields).
nlohmann::json cellJson(const MatrixCell& cell);

}  // namespace ringsim
