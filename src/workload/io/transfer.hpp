// Transfer: one reusable easy handle plus the state of the task it is fetching (bytes, body file,
// the download's part file and running checksum).
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <string>

#include "workload/io/attempt.hpp"
#include "workload/io/digest.hpp"
#include "workload/io/io_context.hpp"
#include "workload/io/staging.hpp"

namespace fanout {

/// Owns one easy handle configured by apply_io_options. Reused for task after task so its
/// connections (or the multi handle's pool) are reused. Never shared between threads. Not movable:
/// the handle's callbacks point at this object.
class Transfer {
 public:
  /// Fetches `io.plan`'s entries with `io.spec`'s options; `io.staging` non-null makes every task
  /// a download into its directory (io.download), and `io.bodies` is then unused. `disk` (may be
  /// null) writes and checksums the download's blocks on its own thread. All outlive the Transfer.
  explicit Transfer(const IoContext& io, DiskQueue* disk = nullptr);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_.get(); }
  /// The URL of the current task.
  const std::string& url() const { return entry_.url; }
  /// Points the handle at task `id`'s entry of the plan. Call start_attempt() before each attempt.
  void start_task(TaskId id);
  /// Clears counters, the error buffer and any partial body file, for the first attempt or a retry.
  /// False when the task needs no request (a download already complete, or one that cannot start):
  /// its result is settled().
  bool start_attempt();
  /// The result of a task start_attempt() settled without a request.
  AttemptResult settled();
  /// The attempt's transfer ended: the ticket of its download's last queued block, to wait for
  /// before finish_attempt() (0: none, finish_attempt() will not wait).
  std::uint64_t post_body_tail() { return staged_ ? staged_->post_tail() : 0; }
  /// Reads the attempt that just ended with `code` (from curl_easy_perform or CURLMSG_DONE).
  AttemptResult finish_attempt(CURLcode code);
  /// Closes the task's body file, if one was created.
  void end_task();

 private:
  struct EasyDeleter {
    void operator()(CURL* e) const { curl_easy_cleanup(e); }
  };
  struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  static std::size_t on_write(char* data, std::size_t size, std::size_t n, void* self);
  /// Appends to the body file, creating it on first use; false (and write_error_) on failure.
  bool save(const char* data, std::size_t len);
  bool open_body_file();
  /// The first body bytes are here: what the status says about them.
  bool on_first_bytes();
  /// Checks size and checksum of a body that was not saved as a download; false: bad_data.
  bool verify_discarded(std::string& why);

  std::unique_ptr<CURL, EasyDeleter> easy_;
  char errbuf_[CURL_ERROR_SIZE] = {};
  const UrlPlan& plan_;
  std::uint64_t max_body_;
  const BodyDir* bodies_;
  std::unique_ptr<StagedFile> staged_;
  std::unique_ptr<curl_slist, SlistDeleter> if_range_;
  std::unique_ptr<Digest> digest_;  ///< of the entry's checksum algorithm, when it has one
  TaskId task_ = 0;
  TaskId index_ = 0;
  UrlEntry entry_;
  std::uint64_t bytes_ = 0;
  bool too_large_ = false;
  bool responded_ = false;
  bool body_ok_ = false;  ///< a 2xx body: the bytes to checksum
  std::string write_error_;
  std::string settle_error_;
  int fd_ = -1;
};

}  // namespace fanout
