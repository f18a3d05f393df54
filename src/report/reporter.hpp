// The one reporter factory: a format name to the renderer for it, checked before any run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "report/run_report.hpp"

namespace fanout {

/// Renders a RunReport in one format. Rendering never writes; see report/writer.hpp for that.
class Reporter {
 public:
  virtual ~Reporter() = default;
  /// "table", "json" or "csv".
  virtual std::string format() const = 0;
  virtual std::string render(const RunReport& report) const = 0;
};

/// The format names make_reporter accepts: table, json, csv.
const std::vector<std::string>& report_formats();

/// The reporter for a format name. Throws ConfigError naming the flag and the valid formats, e.g.
/// "--format xml: unknown report format; valid: table, json, csv", so that a bad format stops
/// fanout before it runs anything.
std::unique_ptr<Reporter> make_reporter(const std::string& format,
                                        const std::string& flag = "--format");

}  // namespace fanout
