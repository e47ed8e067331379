// Whether the tests run under AddressSanitizer: the simulator is then several
// times slower, and tests that draw many random cases draw fewer.
#pragma once

namespace ringsim::testing {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

}  // namespace ringsim::testing
