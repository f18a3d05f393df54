// The curl-multi loop: wait for events -> let curl act -> drain CURLMSG_DONE (record, reuse the
// handle).
#include "http/multi_driver.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>

#include "http/multi_events.hpp"
#include "http/retry_policy.hpp"
#include "http/transfer.hpp"

namespace fanout {
namespace {

/// Upper bound of one wait for events; curl's timer and retries due sooner shorten it.
constexpr int kMaxWaitMs = 1000;

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
  bool waiting = false;  ///< backing off before a retry
};

/// Makes a slot's Transfer, whose CURLOPT_PRIVATE points back at the slot.
void make_transfer(Slot& s, const IoSpec& spec, const BodyDir* bodies) {
  s.transfer = std::make_unique<Transfer>(spec, bodies);
  if (curl_easy_setopt(s.transfer->easy(), CURLOPT_PRIVATE, &s) != CURLE_OK) {
    throw std::runtime_error("curl_easy_setopt(CURLOPT_PRIVATE) failed");
  }
}

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
  Loop(CURLM* multi, MultiEvents& events, std::vector<Slot>& slots, TaskFeed& feed,
       const IoPlan& plan, const IoSpec& spec, const BodyDir* bodies, const RetryPolicy& policy,
       DistinctErrors& errors, const RunContext& ctx)
      : multi_(multi),
        events_(events),
        slots_(slots),
        feed_(feed),
        plan_(plan),
        spec_(spec),
        bodies_(bodies),
        policy_(policy),
        errors_(errors),
        ctx_(ctx),
        rng_(make_jitter_rng(ctx.rank)) {}

  std::vector<Sample> run() {
    for (Slot& s : slots_) {
      if (!start_next_task(s)) break;
    }
    while (in_multi_ + waiting_ > 0) {
      events_.wait_and_act(wait_ms());
      drain_done();
      start_due_retries();
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

  /// Gives the slot the next task, if any; its easy handle is made here if prepare() did not.
  bool start_next_task(Slot& s) {
    const auto id = feed_.next();
    if (!id) return false;
    if (!s.transfer) make_transfer(s, spec_, bodies_);
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
      retries_due_.emplace(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(wait_s)),
                           &s);
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
    const auto now = Clock::now();
    while (!retries_due_.empty() && retries_due_.top().first <= now) {
      Slot& s = *retries_due_.top().second;
      retries_due_.pop();
      s.waiting = false;
      --waiting_;
      add(s);
    }
  }

  std::chrono::milliseconds wait_ms() const {
    if (retries_due_.empty()) return std::chrono::milliseconds(kMaxWaitMs);
    const auto ms =
        std::chrono::ceil<std::chrono::milliseconds>(retries_due_.top().first - Clock::now());
    return std::clamp(ms, std::chrono::milliseconds(0), std::chrono::milliseconds(kMaxWaitMs));
  }

  /// Backing-off slots by due time, earliest on top: a wake-up looks at those due, not every slot.
  using Due = std::pair<Clock::time_point, Slot*>;
  struct Later {
    bool operator()(const Due& a, const Due& b) const { return a.first > b.first; }
  };

  CURLM* multi_;
  MultiEvents& events_;
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
  std::priority_queue<Due, std::vector<Due>, Later> retries_due_;
  std::vector<Sample> samples_;
};

}  // namespace

/// What outlives a run(): declared so that the socket watch goes first, then the multi handle
/// (closing its pooled connections), then the easy handles it no longer holds.
struct MultiDriver::Handles {
  std::vector<Slot> slots;
  std::unique_ptr<CURLM, MultiDeleter> multi;
  std::unique_ptr<MultiEvents> events;
};

MultiDriver::MultiDriver(int concurrency, const IoPlan& plan, const IoSpec& spec)
    : concurrency_(std::max(1, concurrency)),
      plan_(plan),
      spec_(spec),
      bodies_(spec.output_dir.empty() ? nullptr : std::make_unique<BodyDir>(spec.output_dir)) {}

MultiDriver::~MultiDriver() = default;

void MultiDriver::prepare() {
  set_up();
  const auto needed =
      static_cast<std::size_t>(std::min<TaskId>(plan_.count(), static_cast<TaskId>(concurrency_)));
  for (std::size_t i = 0; i < needed; ++i) {
    Slot& s = handles_->slots[i];
    if (!s.transfer) make_transfer(s, spec_, bodies_.get());
  }
}

void MultiDriver::set_up() {
  if (handles_) return;
  auto h = std::make_unique<Handles>();
  // Sized once: every easy handle's CURLOPT_PRIVATE points into this vector.
  h->slots.resize(concurrency_);
  for (int i = 0; i < concurrency_; ++i) h->slots[i].index = i;
  h->multi.reset(curl_multi_init());
  if (!h->multi) throw std::runtime_error("curl_multi_init failed");
  check(curl_multi_setopt(h->multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(concurrency_)),
        "curl_multi_setopt(CURLMOPT_MAX_HOST_CONNECTIONS)");
  check(curl_multi_setopt(h->multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(concurrency_)),
        "curl_multi_setopt(CURLMOPT_MAXCONNECTS)");
  h->events = std::make_unique<MultiEvents>(h->multi.get());
  handles_ = std::move(h);
}

std::vector<Sample> MultiDriver::run(TaskSource& source, const RunContext& ctx) {
  set_up();
  std::vector<Slot>& slots = handles_->slots;
  CURLM* multi = handles_->multi.get();
  TaskFeed feed(source);
  const RetryPolicy policy(spec_);
  Loop loop(multi, *handles_->events, slots, feed, plan_, spec_, bodies_.get(), policy, errors_,
            ctx);
  try {
    return loop.run();
  } catch (...) {
    for (Slot& s : slots) {
      if (s.in_multi) curl_multi_remove_handle(multi, s.transfer->easy());
      s.in_multi = false;
      s.waiting = false;
    }
    throw;
  }
}

}  // namespace fanout
