// Helpers for the I/O engine tests: temp dirs, dead-end listeners, running an engine over a plan.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "../../temp_dir.hpp"
#include "exec/executor.hpp"
#include "exec/model.hpp"
#include "workload/io/attempt.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout::test {

/// A socket that listens on 127.0.0.1 but never accepts: connects succeed (kernel backlog),
/// requests are never answered, so every transfer to it times out.
class StallListener {
 public:
  StallListener();
  ~StallListener();
  StallListener(const StallListener&) = delete;
  StallListener& operator=(const StallListener&) = delete;
  std::string url() const;

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

/// A 127.0.0.1 port with nothing listening on it (bound, read back, released).
std::uint16_t free_port();

/// Defaults for tests: short timeouts, no retries, tiny back-off.
IoSpec test_spec(std::vector<std::string> urls, int repeat = 1);

/// Runs every task of `plan` through make_io_executor(model, workers, ...) with ctx.rank = rank
/// and returns the samples sorted by task id; `messages` (if given) gets error_messages(). Bodies
/// go to `bodies` (null: discarded).
std::vector<Sample> run_io(Model model, const UrlPlan& plan, const IoSpec& spec, int workers = 3,
                           std::vector<std::string>* messages = nullptr, int rank = 0,
                           const BodyDir* bodies = nullptr);

}  // namespace fanout::test

namespace fanout {
/// The HTTP fields of an I/O task's sample.
inline HttpFields http(const Sample& s) { return kind_fields<HttpFields>(s); }

}  // namespace fanout
