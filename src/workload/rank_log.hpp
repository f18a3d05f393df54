// RankLog: a log of finished tasks written by one process of the run, rank 0, and fed by every
// rank: rank 0 appends to it with group commit (GroupCommitLog), the others send it their lines
// (LineChannel). With one rank there is no channel.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mpi/line_channel.hpp"
#include "mpi/world.hpp"
#include "workload/group_commit_log.hpp"
#include "workload/line_sink.hpp"

namespace fanout {

class RankLog : public LineSink {
 public:
  RankLog() = default;
  ~RankLog() override;
  RankLog(const RankLog&) = delete;
  RankLog& operator=(const RankLog&) = delete;

  /// Rank 0, before connect(): opens the log (GroupCommitLog's constructor, which may throw
  /// ConfigError). `before` makes this rank's output records durable before each batch (may be
  /// empty); `durable` is called with each batch once it is durable (progress counts it).
  void open(const std::string& path, const std::string& option, const std::string& header,
            std::function<bool()> before, std::function<void(std::string_view)> durable,
            std::chrono::milliseconds interval = GroupCommitLog::kInterval);
  /// Collective, after open() on rank 0: with more than one rank, the channel that carries the
  /// other ranks' lines to rank 0, each batch sent after `before` (this rank's records durable).
  void connect(World& world, std::function<bool()> before,
               std::chrono::milliseconds interval = GroupCommitLog::kInterval);

  void post(std::string_view lines) override;
  /// Every line this rank posted is durable in the log: at once on rank 0, after a round trip
  /// on the others.
  bool commit() override;
  bool failed() const override;

 private:
  std::unique_ptr<GroupCommitLog> log_;   ///< rank 0
  std::unique_ptr<LineChannel> channel_;  ///< more than one rank; destroyed before log_
  bool root_ = false;
};

}  // namespace fanout
