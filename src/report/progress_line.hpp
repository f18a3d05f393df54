// The progress line of long commands on stderr: live (one line rewritten with \r) on a terminal,
// plain lines at a bounded rate otherwise, so batch logs stay short.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "timing/clock.hpp"

namespace fanout {

/// --progress: how a command shows its progress on stderr.
enum class ProgressMode {
  automatic,  ///< live on a terminal, plain lines otherwise (bounded rate for run and compare)
  live,       ///< one line rewritten in place, e.g. under mpirun, where ranks see no terminal
  plain,      ///< a line per update
  none,
};

/// The --progress choices by name: auto, live, plain, none.
const std::vector<std::pair<std::string, ProgressMode>>& progress_modes();

/// How a ProgressLine should behave.
struct ProgressStyle {
  bool show = true;
  bool live = false;
  double plain_interval_s = 0;  ///< least time between plain lines
};

/// automatic picks live on a terminal and plain lines at most every `auto_plain_interval_s`
/// otherwise; an explicit plain prints every update.
ProgressStyle progress_style(ProgressMode mode, bool stderr_is_terminal,
                             double auto_plain_interval_s);

/// What a progress line says.
struct ProgressState {
  std::string command;  ///< "scale", "compare", "run"
  std::size_t done = 0;
  std::size_t total = 0;
  std::string unit;  ///< plural noun of done/total: "points", "measurements"
  double elapsed_s = 0;
  /// Work rate to show, e.g. tasks per second; absent: done/total per second is shown.
  std::optional<double> rate_per_s;
  std::string rate_unit;  ///< e.g. "tasks"
  std::string last;       ///< what just finished, e.g. "r2-t1 in 1.3 s"
  std::string detail;     ///< after the counts, e.g. "3 failed, 16 running"
};

/// "fanout scale: 3/7 points, 0.42 points/s, ETA 9.5 s (last: r2-t1 in 1.3 s)", or with a detail
/// "fanout run: 120/1000 tasks, 3 failed, 16 running, 41.2 tasks/s, ETA 21.4 s". The ETA assumes
/// the remaining items take as long as the finished ones did on average; it is left out until
/// something finished and once everything has.
std::string progress_text(const ProgressState& state);

class ProgressLine {
 public:
  /// live: rewrite one line in place (a terminal); otherwise print a plain line, but only when
  /// `plain_interval_s` has passed since the start or the last line (0: every update).
  /// show false: print nothing.
  ProgressLine(std::ostream& out, const ProgressStyle& style);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Seconds since construction.
  double elapsed_s() const;
  /// False when it prints nothing (--progress none, --quiet, not rank 0).
  bool shows() const { return style_.show; }
  void update(const ProgressState& state);
  /// Clears a live line, so what follows starts on a clean line. Idempotent.
  void finish();

 private:
  std::ostream& out_;
  ProgressStyle style_;
  Clock::time_point start_;
  Clock::time_point last_print_;
  bool shown_ = false;
};

}  // namespace fanout
