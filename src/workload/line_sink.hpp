// LineSink: where a rank's finished tasks' lines go (the joblog, the download journal): straight
// into the log on the rank that writes it, over a channel to that rank on the others.
#pragma once

#include <string_view>

namespace fanout {

class LineSink {
 public:
  virtual ~LineSink() = default;
  /// Thread-safe; `lines` are whole lines, each with its newline. Returns at once: the lines are
  /// durable within the writer's stated bound, or at the next commit().
  virtual void post(std::string_view lines) = 0;
  /// Blocks until every line posted here before the call is durable in the log. False when a
  /// write or a sync failed, or the writer is lost.
  virtual bool commit() = 0;
  /// Whether lines were lost (a failed write, sync or send); thread-safe.
  virtual bool failed() const = 0;
};

}  // namespace fanout
