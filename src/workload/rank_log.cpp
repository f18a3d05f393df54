// RankLog: rank 0's log behind the channel, the others' lines in front of it.
#include "workload/rank_log.hpp"

namespace fanout {

RankLog::~RankLog() {
  // The drain hands lines to the log: it stops first.
  channel_.reset();
  log_.reset();
}

void RankLog::open(const std::string& path, const std::string& option, const std::string& header,
                   std::function<bool()> before, std::function<void(std::string_view)> durable,
                   std::chrono::milliseconds interval) {
  root_ = true;
  log_ = std::make_unique<GroupCommitLog>(
      path, option, header, GroupCommitLog::Hooks{std::move(before), std::move(durable)}, interval);
}

void RankLog::connect(World& world, std::function<bool()> before,
                      std::chrono::milliseconds interval) {
  root_ = world.is_root();
  if (world.size() == 1) return;
  GroupCommitLog* log = log_.get();
  LineChannel::Root root;
  if (log) {
    root.deliver = [log](std::string_view lines) { log->post(lines); };
    root.commit = [log] { return log->commit(); };
  }
  channel_ = std::make_unique<LineChannel>(world, std::move(root), std::move(before), interval);
}

void RankLog::post(std::string_view lines) {
  if (root_) {
    log_->post(lines);
  } else {
    channel_->post(lines);
  }
}

bool RankLog::commit() { return root_ ? log_->commit() : channel_->flush(); }

bool RankLog::failed() const { return root_ ? log_->failed() : channel_->failed(); }

}  // namespace fanout
