// Names of the error classes, as they appear in tables, JSON and CSV.
#include "exec/record.hpp"

namespace fanout {

std::string_view to_string(ErrorClass e) {
  switch (e) {
    case ErrorClass::none: return "ok";
    case ErrorClass::wrong_result: return "wrong_result";
    case ErrorClass::exception: return "exception";
    case ErrorClass::connect: return "connect";
    case ErrorClass::timeout: return "timeout";
    case ErrorClass::http_4xx: return "http_4xx";
    case ErrorClass::http_5xx: return "http_5xx";
    case ErrorClass::other: return "other";
    case ErrorClass::exit_status: return "exit_status";
    case ErrorClass::signaled: return "signaled";
    case ErrorClass::not_started: return "not_started";
    case ErrorClass::stopped: return "stopped";
    case ErrorClass::checksum: return "checksum";
    case ErrorClass::name_clash: return "name_clash";
  }
  return "other";
}

}  // namespace fanout
