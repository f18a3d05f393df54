// curl transfers in engine slots: add a handle per attempt, drain CURLMSG_DONE after each wake-up.
#include "workload/io/curl_slot_work.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "workload/io/curl_sockets.hpp"
#include "workload/io/disk_queue.hpp"
#include "workload/io/transfer.hpp"

namespace fanout {
namespace {

void check(CURLMcode rc, const char* what) {
  if (rc != CURLM_OK) throw std::runtime_error(std::string(what) + ": " + curl_multi_strerror(rc));
}

/// The disk thread's blocks: small enough that most of a file is written and hashed while the rest
/// still arrives (its end waits for its last block only), large enough that a job's hand-over is
/// cheap beside it; and the most bytes queued before the transfers wait for the disk.
constexpr std::size_t kDiskBlockBytes = 128 * 1024;
constexpr std::size_t kDiskQueueBytes = 16 * 1024 * 1024;

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};

}  // namespace

/// One slot's reused transfer and where its task stands.
struct CurlSlotWork::Slot {
  std::unique_ptr<Transfer> transfer;
  int attempt = 0;
  bool in_multi = false;
  long fresh = 0;  ///< CURLOPT_FRESH_CONNECT as last set on the handle
  /// Open loop: the task's place in the schedule, and when its first attempt was sent.
  std::optional<PacedStart> paced;
  Clock::time_point sent{};
  bool awaiting_start = false;  ///< its deadline is the intended start
};

/// Wakes the loop when the disk thread has written the blocks a finished transfer waits for.
class DiskWake : public EventLoop::Watcher {
 public:
  DiskWake(EventLoop& loop, DiskQueue& disk) : loop_(loop), disk_(disk) {
    loop_.watch(disk_.wake_fd(), EPOLLIN, this);
  }
  ~DiskWake() override { loop_.unwatch(disk_.wake_fd()); }
  DiskWake(const DiskWake&) = delete;
  DiskWake& operator=(const DiskWake&) = delete;
  /// after_wake() then looks at what the disk has done.
  void on_ready(int, std::uint32_t) override { disk_.clear_wake(); }

 private:
  EventLoop& loop_;
  DiskQueue& disk_;
};

/// A transfer that has ended and waits for the disk thread before its file can be completed.
struct Awaiting {
  int index;
  CURLcode code;
  std::uint64_t ticket;
};

/// What outlives a run: declared so that the socket watch goes first, then the multi handle
/// (closing its pooled connections), then the easy handles it no longer holds, then the disk
/// thread their downloads wrote through.
struct CurlSlotWork::Multi {
  std::unique_ptr<DiskQueue> disk;  ///< io.download only
  std::unique_ptr<DiskWake> disk_wake;
  std::vector<Awaiting> awaiting;  ///< in the order their transfers ended
  std::vector<Slot> slots;
  std::unique_ptr<CURLM, MultiDeleter> handle;
  std::unique_ptr<CurlSockets> sockets;
  /// No transfer has ended yet, so no connection is idle in the pool: a new transfer has nothing to
  /// reuse, and curl need not look (it walks every connection to the host, in use or not).
  bool pool_empty = true;
  /// io.per-host holds fewer connections than slots: transfers queue in curl for a connection to
  /// free up, and one marked fresh would open another beside the idle one (past the cap).
  bool capped = false;
};

CurlSlotWork::CurlSlotWork(const IoContext& io) : io_(io), policy_(io.spec) {}

CurlSlotWork::~CurlSlotWork() { abandon(); }

CurlSlotWork::Slot& CurlSlotWork::slot(int index) {
  Slot& s = multi_->slots[static_cast<std::size_t>(index)];
  if (!s.transfer) {
    s.transfer = std::make_unique<Transfer>(io_, multi_->disk.get());
    // CURLOPT_PRIVATE carries the slot's index back from CURLMSG_DONE.
    if (curl_easy_setopt(s.transfer->easy(), CURLOPT_PRIVATE,
                         reinterpret_cast<void*>(static_cast<std::intptr_t>(index))) != CURLE_OK) {
      throw std::runtime_error("curl_easy_setopt(CURLOPT_PRIVATE) failed");
    }
    multi_->sockets->adopt(s.transfer->easy());
  }
  return s;
}

void CurlSlotWork::prepare(EventLoop& loop, int slots, TaskId tasks) {
  if (multi_) return;
  auto m = std::make_unique<Multi>();
  // Downloads hash and write on a thread of their own: the loop's thread only moves bytes.
  if (io_.staging != nullptr) {
    m->disk = std::make_unique<DiskQueue>(kDiskQueueBytes, kDiskBlockBytes);
    m->disk_wake = std::make_unique<DiskWake>(loop, *m->disk);
  }
  // Sized once: slots are addressed by index from CURLOPT_PRIVATE.
  m->slots.resize(static_cast<std::size_t>(slots));
  m->handle.reset(curl_multi_init());
  if (!m->handle) throw std::runtime_error("curl_multi_init failed");
  // io.per-host: this rank's share of the job's cap; transfers beyond it wait in curl's queue.
  const int cap = io_.spec.host_connections;
  const int per_host = cap > 0 ? std::min(slots, cap) : slots;
  m->capped = per_host < slots;
  check(curl_multi_setopt(m->handle.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(per_host)),
        "curl_multi_setopt(CURLMOPT_MAX_HOST_CONNECTIONS)");
  check(curl_multi_setopt(m->handle.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(slots)),
        "curl_multi_setopt(CURLMOPT_MAXCONNECTS)");
  m->sockets = std::make_unique<CurlSockets>(m->handle.get(), loop);
  multi_ = std::move(m);
  const auto needed = static_cast<int>(std::min<TaskId>(tasks, static_cast<TaskId>(slots)));
  for (int i = 0; i < needed; ++i) slot(i);
}

void CurlSlotWork::start(SlotControl& control, int index, TaskId id, int attempt) {
  Slot& s = slot(index);
  s.attempt = attempt;
  if (attempt == 1) {
    s.paced.reset();
    if (io_.pacer) {
      // Open loop: the slot waits on its timer for the intended start, or drops a request it
      // took too late (every slot was busy: the in-flight cap).
      const Clock::time_point now = Clock::now();
      s.paced = io_.pacer->take(control.context().t0, now);
      s.sent = now;
      if (s.paced->queued && io_.spec.drop_at_cap) {
        errors_.add(kDroppedMessage, kDroppedMessage);
        control.finish(index, dropped_request(*s.paced));
        return;
      }
    }
    s.transfer->start_task(id);
    if (s.paced && s.paced->intended > s.sent) {
      s.awaiting_start = true;
      control.arm_deadline(index, s.paced->intended);
      return;
    }
  }
  begin_attempt(control, index);
}

void CurlSlotWork::begin_attempt(SlotControl& control, int index) {
  Slot& s = multi_->slots[static_cast<std::size_t>(index)];
  if (!s.transfer->start_attempt()) {
    // Settled without a request (a download already complete): done at once.
    const AttemptResult r = s.transfer->settled();
    s.transfer->end_task();
    if (!r.message.empty()) errors_.add(r.message_key, r.message);
    control.finish(index, result_of(s, r));
    return;
  }
  if (io_.gate) {
    // The host's rate or its Retry-After: the slot waits on its timer, others go on.
    if (const double wait_s = io_.gate->admit(url_host(s.transfer->url())); wait_s > 0) {
      control.arm_deadline(index, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(wait_s)));
      return;
    }
  }
  launch(index);
}

void CurlSlotWork::launch(int index) {
  Slot& s = multi_->slots[static_cast<std::size_t>(index)];
  // HTTP/2 multiplexes transfers over the connections still in use, and under a per-host cap they
  // wait for one: there curl must always look.
  const long fresh = multi_->pool_empty && !io_.spec.http2 && !multi_->capped ? 1L : 0L;
  if (fresh != s.fresh) {
    if (curl_easy_setopt(s.transfer->easy(), CURLOPT_FRESH_CONNECT, fresh) != CURLE_OK) {
      throw std::runtime_error("curl_easy_setopt(CURLOPT_FRESH_CONNECT) failed");
    }
    s.fresh = fresh;
  }
  check(curl_multi_add_handle(multi_->handle.get(), s.transfer->easy()), "curl_multi_add_handle");
  s.in_multi = true;
  if (s.paced && s.attempt == 1) s.sent = Clock::now();
}

void CurlSlotWork::on_deadline(SlotControl& control, int index) {
  Slot& s = multi_->slots[static_cast<std::size_t>(index)];
  if (s.awaiting_start) {
    s.awaiting_start = false;
    begin_attempt(control, index);
  } else if (!s.in_multi) {
    launch(index);
  }
}

Sample CurlSlotWork::result_of(const Slot& s, const AttemptResult& r) const {
  Sample out = http_result(r);
  if (s.paced) record_pacing(out, *s.paced, s.sent);
  return out;
}

void CurlSlotWork::after_wake(SlotControl& control) {
  // Open loop: a slot may hold a request whose intended start is far off; a stop ends it unsent.
  if (io_.pacer && stop_requested(control.context().stop)) {
    for (std::size_t i = 0; i < multi_->slots.size(); ++i) {
      Slot& s = multi_->slots[i];
      if (!s.awaiting_start) continue;
      s.awaiting_start = false;
      s.transfer->end_task();
      control.finish(static_cast<int>(i), stopped_before_start());
    }
  }
  CURLM* multi = multi_->handle.get();
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    multi_->pool_empty = false;
    CURL* easy = msg->easy_handle;
    // msg is invalid once the handle is removed: copy what we need first.
    const CURLcode code = msg->data.result;
    void* index_ptr = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &index_ptr);
    const auto index = static_cast<int>(reinterpret_cast<std::intptr_t>(index_ptr));
    check(curl_multi_remove_handle(multi, easy), "curl_multi_remove_handle");
    Slot& s = multi_->slots[static_cast<std::size_t>(index)];
    s.in_multi = false;
    // The file is completed once the disk thread has its last block: the loop goes on meanwhile.
    const std::uint64_t ticket = s.transfer->post_body_tail();
    if (ticket > 0 && ticket > multi_->disk->done()) {
      multi_->awaiting.push_back({index, code, ticket});
      continue;
    }
    conclude(control, index, code);
  }
  auto& awaiting = multi_->awaiting;
  if (awaiting.empty()) return;
  const std::uint64_t done = multi_->disk->done();
  std::uint64_t next = 0;
  std::size_t kept = 0;
  for (const Awaiting& a : awaiting) {
    if (a.ticket <= done) {
      conclude(control, a.index, a.code);
    } else {
      next = next == 0 ? a.ticket : std::min(next, a.ticket);
      awaiting[kept++] = a;
    }
  }
  awaiting.resize(kept);
  if (next != 0) multi_->disk->wake_at(next);
}

void CurlSlotWork::conclude(SlotControl& control, int index, CURLcode code) {
  Slot& s = multi_->slots[static_cast<std::size_t>(index)];
  const AttemptResult r = s.transfer->finish_attempt(code);
  if (io_.gate && (r.http_status == 429 || r.http_status == 503)) {
    io_.gate->back_off(url_host(s.transfer->url()),
                       policy_.delay_s(s.attempt - 1, 0.5, r.retry_after_s));
  }
  if (policy_.should_retry(r, s.attempt - 1)) {
    if (!rng_) rng_ = make_jitter_rng(control.context().rank);
    control.retry(index, policy_.delay_s(s.attempt - 1, r.retry_after_s, *rng_));
    return;
  }
  s.transfer->end_task();
  if (!r.message.empty()) errors_.add(r.message_key, r.message);
  control.finish(index, result_of(s, r));
}

void CurlSlotWork::abandon() {
  if (!multi_) return;
  // Their files are closed (their blocks written) when the slots start their next tasks.
  multi_->awaiting.clear();
  multi_->pool_empty = false;
  for (Slot& s : multi_->slots) {
    if (s.in_multi) curl_multi_remove_handle(multi_->handle.get(), s.transfer->easy());
    s.in_multi = false;
    s.awaiting_start = false;
  }
}

}  // namespace fanout
