// LiveProgress: on rank 0, the progress line of a measurement under way, for kinds that can tell
// it while their tasks run (the farm, from its joblog): a thread that looks once a second.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "report/progress_line.hpp"
#include "workload/workload.hpp"

namespace fanout {

class LiveProgressThread {
 public:
  /// Starts looking when `workload` tells live progress and `line` shows anything; `lock` guards
  /// `line`, which the session's own updates share.
  LiveProgressThread(const BoundWorkload& workload, ProgressLine& line, std::mutex& lock,
                     std::string command);
  /// Stops the thread (within its wait).
  ~LiveProgressThread();
  LiveProgressThread(const LiveProgressThread&) = delete;
  LiveProgressThread& operator=(const LiveProgressThread&) = delete;

 private:
  void loop();

  const BoundWorkload& workload_;
  ProgressLine& line_;
  std::mutex& line_lock_;
  std::string command_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace fanout
