// An integer read back from a JSON record fanout wrote (submit.json, farm.json, a run's JSON).
// nlohmann's get<int>() converts any JSON number with a cast, and a float out of the integer's
// range (a hand-edited "repeat": 1e300) is undefined behaviour, not an error: found by fuzzing.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace fanout {

/// `v` as a T: a JSON integer within T's range; anything else (2.5, 1e300, "3", null) throws
/// std::runtime_error naming `what` and the range that would be valid.
template <typename T>
T json_integer(const nlohmann::json& v, const std::string& what) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  bool fits = false;
  T out{};
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    fits = std::in_range<T>(u);
    if (fits) out = static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    fits = std::in_range<T>(i);
    if (fits) out = static_cast<T>(i);
  }
  if (!fits) {
    const std::string seen = v.is_number() ? v.dump() : std::string("a ") + v.type_name();
    throw std::runtime_error(what + " = " + seen + ", expected an integer from " +
                             std::to_string(std::numeric_limits<T>::min()) + " to " +
                             std::to_string(std::numeric_limits<T>::max()));
  }
  return out;
}

/// obj[key] as a T (json_integer), the key named in the error; a missing key throws as at() does.
template <typename T>
T json_integer_at(const nlohmann::json& obj, const char* key) {
  return json_integer<T>(obj.at(key), key);
}

}  // namespace fanout
