// ConfigError: a user or configuration mistake, caught once in main, printed as one line, exit 2.
#pragma once

#include <stdexcept>
#include <string>

namespace fanout {

/// The message names where the mistake is (file:line, or the --flag) and what would be valid,
/// e.g. "jobs/fib.ini:4: sec.n = -3: must be a whole number from 1 to 92".
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace fanout
