// CurlSlotWork: I/O tasks as curl transfers in the slots of the event-loop engine.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "exec/error_log.hpp"
#include "exec/work.hpp"
#include "workload/io/attempt.hpp"
#include "workload/io/io_context.hpp"
#include "workload/io/retry_policy.hpp"

namespace fanout {

class Transfer;
class CurlSockets;

/// One curl multi handle on the engine's loop (curl's 10-at-a-time shape, on curl's socket API):
/// each slot reuses its easy handle task after task, connections are pooled by the multi handle
/// (sized to the slots), and a failed attempt that may be retried is handed back to the engine,
/// whose timer starts the next one without blocking the other transfers. Handles are made in
/// prepare() and live as long as the work, so a run is timed from its first request to its last
/// response, without handle set-up before or closing the pooled connections after.
class CurlSlotWork : public SlotWork {
 public:
  /// Transfers over `io` (which outlives the work).
  explicit CurlSlotWork(const IoContext& io);
  ~CurlSlotWork() override;
  /// Makes the multi handle and min(slots, tasks) easy handles. Throws std::runtime_error if
  /// libcurl cannot be set up.
  void prepare(EventLoop& loop, int slots, TaskId tasks) override;
  void start(SlotControl& control, int slot, TaskId id, int attempt) override;
  /// Reads the finished transfers: each is done, or backs off before another attempt.
  void after_wake(SlotControl& control) override;
  /// A transfer the host gate held back may start now.
  void on_deadline(SlotControl& control, int slot) override;
  void abandon() override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  struct Slot;
  struct Multi;
  Slot& slot(int index);
  /// Starts the slot's attempt (its task's intended start has come, in an open-loop run).
  void begin_attempt(SlotControl& control, int index);
  void launch(int index);
  /// The task's Sample from its last attempt, with its open-loop fields.
  Sample result_of(const Slot& s, const AttemptResult& r) const;
  /// Reads slot `index`'s attempt that ended with `code`: the task is done, or backs off.
  void conclude(SlotControl& control, int index, CURLcode code);

  IoContext io_;
  RetryPolicy policy_;
  std::optional<std::mt19937_64> rng_;  ///< jitter, seeded by rank on the first retry
  ErrorLog errors_;
  std::unique_ptr<Multi> multi_;
};

}  // namespace fanout
