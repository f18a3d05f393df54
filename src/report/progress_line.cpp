// Progress text and its live or plain display.
#include "report/progress_line.hpp"

#include <cmath>

#include "cli/format.hpp"

namespace fanout {

const std::vector<std::pair<std::string, ProgressMode>>& progress_modes() {
  static const std::vector<std::pair<std::string, ProgressMode>> modes{
      {"auto", ProgressMode::automatic},
      {"live", ProgressMode::live},
      {"plain", ProgressMode::plain},
      {"none", ProgressMode::none}};
  return modes;
}
namespace {

/// "1.23k tasks/s": format_rate's number and suffix, with the unit before "/s".
std::string rate_text(double per_s, const std::string& unit) {
  std::string text = format_rate(per_s);
  return text.insert(text.size() - 2, " " + unit);
}

}  // namespace

ProgressStyle progress_style(ProgressMode mode, bool stderr_is_terminal,
                             double auto_plain_interval_s) {
  switch (mode) {
    case ProgressMode::automatic:
      return {true, stderr_is_terminal, stderr_is_terminal ? 0 : auto_plain_interval_s};
    case ProgressMode::live:
      return {true, true, 0};
    case ProgressMode::plain:
      return {true, false, 0};
    case ProgressMode::none:
      return {false, false, 0};
  }
  return {};
}

std::string progress_text(const ProgressState& s) {
  std::string out = "fanout " + s.command + ": " + std::to_string(s.done) + "/" +
                    std::to_string(s.total) + " " + s.unit;
  if (!s.detail.empty()) out += ", " + s.detail;
  if (s.elapsed_s > 0 && s.done > 0) {
    const double rate = s.rate_per_s.value_or(static_cast<double>(s.done) / s.elapsed_s);
    if (std::isfinite(rate)) {
      out += ", " + rate_text(rate, s.rate_per_s ? s.rate_unit : s.unit);
    }
    if (s.done < s.total) {
      const double eta =
          s.elapsed_s / static_cast<double>(s.done) * static_cast<double>(s.total - s.done);
      out += ", ETA " + format_seconds(eta);
    }
  }
  if (!s.last.empty()) out += " (last: " + s.last + ")";
  return out;
}

ProgressLine::ProgressLine(std::ostream& out, const ProgressStyle& style)
    : out_(out), style_(style), start_(Clock::now()), last_print_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

double ProgressLine::elapsed_s() const { return seconds_between(start_, Clock::now()); }

void ProgressLine::update(const ProgressState& state) {
  if (!style_.show) return;
  const auto now = Clock::now();
  if (style_.live) {
    // \r back to the start, the text, then erase whatever a longer previous line left.
    out_ << "\r" << progress_text(state) << "\x1b[K" << std::flush;
    shown_ = true;
    return;
  }
  if (seconds_between(last_print_, now) < style_.plain_interval_s) return;
  out_ << progress_text(state) << "\n" << std::flush;
  last_print_ = now;
}

void ProgressLine::finish() {
  if (style_.live && shown_) out_ << "\r\x1b[K" << std::flush;
  shown_ = false;
}

}  // namespace fanout
