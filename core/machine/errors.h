// Errors in what the user gave us (files, options): reported with a clear
// message and exit code 2. Guest misbehaviour is not an error of this kind:
// it is a result (a stop reason), reported with exit code 1.
#pragma once

#include <stdexcept>
#include <string>

namespace ringsim {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace ringsim
