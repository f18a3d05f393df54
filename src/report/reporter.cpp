// Maps format names to the table, JSON and CSV renderers.
#include "report/reporter.hpp"

#include "job/config_error.hpp"
#include "report/csv_report.hpp"
#include "report/json_report.hpp"
#include "report/table_report.hpp"

namespace fanout {

namespace {

// One class for all three: a format is its name and its render function.
class FunctionReporter : public Reporter {
 public:
  using RenderFn = std::string (*)(const RunReport&);
  FunctionReporter(std::string format, RenderFn fn) : format_(std::move(format)), fn_(fn) {}
  std::string format() const override { return format_; }
  std::string render(const RunReport& report) const override { return fn_(report); }

 private:
  std::string format_;
  RenderFn fn_;
};

}  // namespace

const std::vector<std::string>& report_formats() {
  static const std::vector<std::string> formats = {"table", "json", "csv"};
  return formats;
}

std::unique_ptr<Reporter> make_reporter(const std::string& format, const std::string& flag) {
  if (format == "table") return std::make_unique<FunctionReporter>(format, render_table);
  if (format == "json") return std::make_unique<FunctionReporter>(format, render_json);
  if (format == "csv") return std::make_unique<FunctionReporter>(format, render_csv);
  std::string valid;
  for (const auto& f : report_formats()) valid += (valid.empty() ? "" : ", ") + f;
  throw ConfigError(flag + " " + format + ": unknown report format; valid: " + valid);
}

}  // namespace fanout
