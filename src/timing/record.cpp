// Names of the error classes, as they appear in tables, JSON and CSV.
#include "timing/record.hpp"

namespace fanout {

namespace {

constexpr std::string_view name_of(ErrorClass e) {
  switch (e) {
    case ErrorClass::none:
      return "ok";
    case ErrorClass::wrong_result:
      return "wrong_result";
    case ErrorClass::exception:
      return "exception";
    case ErrorClass::connect:
      return "connect";
    case ErrorClass::timeout:
      return "timeout";
    case ErrorClass::http_4xx:
      return "http_4xx";
    case ErrorClass::http_5xx:
      return "http_5xx";
    case ErrorClass::other:
      return "other";
    case ErrorClass::exit_status:
      return "exit_status";
    case ErrorClass::signaled:
      return "signaled";
    case ErrorClass::not_started:
      return "not_started";
    case ErrorClass::stopped:
      return "stopped";
    case ErrorClass::checksum:
      return "checksum";
    case ErrorClass::name_clash:
      return "name_clash";
  }
  return {};
}

// Every class up to the last has a name, and the one after the last has none: a class added to
// the enum without moving kLastErrorClass, or without a name, fails here.
constexpr bool names_match_count() {
  for (std::size_t c = 0; c < kErrorClassCount; ++c) {
    if (name_of(static_cast<ErrorClass>(c)).empty()) return false;
  }
  return name_of(static_cast<ErrorClass>(kErrorClassCount)).empty();
}
static_assert(names_match_count(), "ErrorClass: update kLastErrorClass and name_of together");

}  // namespace

std::string_view to_string(ErrorClass e) { return known(e) ? name_of(e) : "other"; }

}  // namespace fanout
