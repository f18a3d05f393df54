// The curl-multi loop: perform -> drain CURLMSG_DONE (record, reuse the handle) -> poll.
#include "http/multi_driver.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "http/retry_policy.hpp"
#include "http/transfer.hpp"

namespace fanout {
namespace {

/// Upper bound of one curl_multi_poll wait; curl shortens it for its own timers.
constexpr int kMaxPollMs = 1000;

void check(CURLMcode rc, const char* what) {
  if (rc != CURLM_OK) throw std::runtime_error(std::string(what) + ": " + curl_multi_strerror(rc));
}

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};

/// One in-flight position: a reused Transfer and the task it currently carries.
struct Slot {
  std::unique_ptr<Transfer> transfer;
  int index = 0;
  TaskId task = 0;
  Clock::time_point start;  ///< first attempt of the current task
  int retries = 0;
  bool in_multi = false;
  bool waiting = false;      ///< backing off before a retry
  Clock::time_point due;     ///< when the retry may start
};

/// Task ids from the source, one at a time, fetching ranges lazily.
class TaskFeed {
 public:
  explicit TaskFeed(TaskSource& source) : source_(source) {}
  std::optional<TaskId> next() {
    while (current_.empty()) {
      if (dry_) return std::nullopt;
      const auto range = source_.next();
      if (!range) {
        dry_ = true;
        return std::nullopt;
      }
      current_ = *range;
    }
    return current_.begin++;
  }

 private:
  TaskSource& source_;
  TaskRange current_;
  bool dry_ = false;
};

/// The loop state of one run(); members instead of a long function with many locals.
class Loop {
 public:
  Loop(CURLM* multi, std::vector<Slot>& slots, TaskFeed& feed, const IoPlan& plan,
       const IoSpec& spec, const BodyDir* bodies, const RetryPolicy& policy,
       DistinctErrors& errors, const RunContext& ctx)
      : multi_(multi), slots_(slots), feed_(feed), plan_(plan), spec_(spec), bodies_(bodies),
        policy_(policy), errors_(errors), ctx_(ctx), rng_(make_jitter_rng(ctx.rank)) {}

  std::vector<Sample> run() {
    for (Slot& s : slots_) {
      if (!start_next_task(s)) break;
    }
    while (in_multi_ + waiting_ > 0) {
      int running = 0;
      check(curl_multi_perform(multi_, &running), "curl_multi_perform");
      drain_done();
      start_due_retries();
      if (in_multi_ + waiting_ == 0) break;
      check(curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr), "curl_multi_poll");
    }
    return std::move(samples_);
  }

 private:
  void add(Slot& s) {
    s.transfer->start_attempt();
    check(curl_multi_add_handle(multi_, s.transfer->easy()), "curl_multi_add_handle");
    s.in_multi = true;
    ++in_multi_;
  }

  /// Gives the slot the next task, if any; the slot's easy handle is made on first use, so a
  /// large concurrency over few tasks costs no idle handles.
  bool start_next_task(Slot& s) {
    const auto id = feed_.next();
    if (!id) return false;
    if (!s.transfer) {
      s.transfer = std::make_unique<Transfer>(spec_, bodies_);
      if (curl_easy_setopt(s.transfer->easy(), CURLOPT_PRIVATE, &s) != CURLE_OK) {
        throw std::runtime_error("curl_easy_setopt(CURLOPT_PRIVATE) failed");
      }
    }
    s.task = *id;
    s.retries = 0;
    s.start = Clock::now();
    s.transfer->start_task(s.task, plan_.url(s.task));
    add(s);
    return true;
  }

  void drain_done() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      // msg is invalid once the handle is removed: copy what we need first.
      const CURLcode code = msg->data.result;
      Slot* s = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &s);
      check(curl_multi_remove_handle(multi_, easy), "curl_multi_remove_handle");
      s->in_multi = false;
      --in_multi_;
      finish(*s, s->transfer->finish_attempt(code));
    }
  }

  void finish(Slot& s, const AttemptResult& r) {
    if (policy_.should_retry(r, s.retries)) {
      const double wait_s = policy_.delay_s(s.retries, r.retry_after_s, rng_);
      ++s.retries;
      s.waiting = true;
      s.due = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(wait_s));
      ++waiting_;
      return;
    }
    s.transfer->end_task();
    if (!r.message.empty()) errors_.add(r.message_key, r.message);
    samples_.push_back(to_sample(s.task, s.start, Clock::now(), ctx_, s.index,
                                 static_cast<std::uint32_t>(s.retries), r));
    start_next_task(s);
  }

  void start_due_retries() {
    if (waiting_ == 0) return;
    const auto now = Clock::now();
    for (Slot& s : slots_) {
      if (!s.waiting || s.due > now) continue;
      s.waiting = false;
      --waiting_;
      add(s);
    }
  }

  int poll_timeout_ms() const {
    if (waiting_ == 0) return kMaxPollMs;
    auto earliest = Clock::time_point::max();
    for (const Slot& s : slots_) {
      if (s.waiting) earliest = std::min(earliest, s.due);
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(earliest - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, kMaxPollMs));
  }

  CURLM* multi_;
  std::vector<Slot>& slots_;
  TaskFeed& feed_;
  const IoPlan& plan_;
  const IoSpec& spec_;
  const BodyDir* bodies_;
  const RetryPolicy& policy_;
  DistinctErrors& errors_;
  const RunContext& ctx_;
  std::mt19937_64 rng_;
  int in_multi_ = 0;
  int waiting_ = 0;
  std::vector<Sample> samples_;
};

}  // namespace

MultiDriver::MultiDriver(int concurrency, const IoPlan& plan, const IoSpec& spec)
    : concurrency_(std::max(1, concurrency)),
      plan_(plan),
      spec_(spec),
      bodies_(spec.output_dir.empty() ? nullptr : std::make_unique<BodyDir>(spec.output_dir)) {}

std::vector<Sample> MultiDriver::run(TaskSource& source, const RunContext& ctx) {
  std::vector<Slot> slots(concurrency_);
  for (int i = 0; i < concurrency_; ++i) slots[i].index = i;
  // Declared after the slots so it is cleaned up first, while the easy handles still exist.
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!multi) throw std::runtime_error("curl_multi_init failed");
  check(curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(concurrency_)),
        "curl_multi_setopt(CURLMOPT_MAX_HOST_CONNECTIONS)");
  check(curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(concurrency_)),
        "curl_multi_setopt(CURLMOPT_MAXCONNECTS)");
  TaskFeed feed(source);
  const RetryPolicy policy(spec_);
  Loop loop(multi.get(), slots, feed, plan_, spec_, bodies_.get(), policy, errors_, ctx);
  try {
    return loop.run();
  } catch (...) {
    for (Slot& s : slots) {
      if (s.in_multi) curl_multi_remove_handle(multi.get(), s.transfer->easy());
    }
    throw;
  }
}

}  // namespace fanout
