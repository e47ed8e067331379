#include "storage/failure_plan.h"

#include <sstream>

#include "storage/plain_name.h"

namespace ringsim::storage {

std::optional<FailurePlan> parseFailurePlan(const std::string& text) {
    std::istringstream words(text);
    std::string word, device, after, count, unit, rest;
    words >> word;
    if (word == "fail") words >> device;
    else device = word;
    words >> after >> count >> unit;
    if (!isPlainName(device) || after != "after" || (unit != "writes" && unit != "write") || (words >> rest))
        return std::nullopt;
    if (count.empty() || count.size() > 18 || count.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return FailurePlan{device, std::stoull(count)};
}

}  // namespace ringsim::storage
