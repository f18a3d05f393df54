// Transfer: one reusable easy handle plus the state of the task it is fetching (bytes, body file).
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <string>

#include "workload/io/attempt.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/io_spec.hpp"

namespace fanout {

/// Owns one easy handle configured by apply_io_options. Reused for task after task so its
/// connections (or the multi handle's pool) are reused. Never shared between threads. Not movable:
/// the handle's callbacks point at this object.
class Transfer {
 public:
  /// `bodies` may be null (bodies are counted and discarded); it must outlive the Transfer.
  Transfer(const IoSpec& spec, const BodyDir* bodies);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_.get(); }
  /// Points the handle at task `id`'s URL. Call start_attempt() before each attempt.
  void start_task(TaskId id, const std::string& url);
  /// Clears counters, the error buffer and any partial body file, for the first attempt or a retry.
  void start_attempt();
  /// Reads the attempt that just ended with `code` (from curl_easy_perform or CURLMSG_DONE).
  AttemptResult finish_attempt(CURLcode code);
  /// Closes the task's body file, if one was created.
  void end_task();

 private:
  struct EasyDeleter {
    void operator()(CURL* e) const { curl_easy_cleanup(e); }
  };
  static std::size_t on_write(char* data, std::size_t size, std::size_t n, void* self);
  /// Appends to the body file, creating it on first use; false (and write_error_) on failure.
  bool save(const char* data, std::size_t len);
  bool open_body_file();

  std::unique_ptr<CURL, EasyDeleter> easy_;
  char errbuf_[CURL_ERROR_SIZE] = {};
  std::uint64_t max_body_;
  const BodyDir* bodies_;
  TaskId task_ = 0;
  std::string url_;
  std::uint64_t bytes_ = 0;
  bool too_large_ = false;
  std::string write_error_;
  int fd_ = -1;
};

}  // namespace fanout
