// Per-transfer state behind the write callback: byte counting, the max-body limit, saving bodies.
#include "workload/io/transfer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "workload/io/easy_setup.hpp"

namespace fanout {
namespace {

double info_seconds(CURL* easy, CURLINFO what) {
  curl_off_t us = 0;
  if (curl_easy_getinfo(easy, what, &us) != CURLE_OK) return 0;
  return static_cast<double>(us) * 1e-6;
}

}  // namespace

Transfer::Transfer(const IoSpec& spec, const BodyDir* bodies)
    : easy_(curl_easy_init()), max_body_(spec.max_body), bodies_(bodies) {
  if (!easy_) throw std::runtime_error("curl_easy_init failed");
  apply_io_options(easy_.get(), spec);
  CURL* e = easy_.get();
  if (curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf_) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_write) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEDATA, this) != CURLE_OK) {
    throw std::runtime_error("curl_easy_setopt: cannot install the write callback");
  }
}

Transfer::~Transfer() { end_task(); }

void Transfer::start_task(TaskId id, const std::string& url) {
  end_task();
  task_ = id;
  url_ = url;
  if (curl_easy_setopt(easy_.get(), CURLOPT_URL, url_.c_str()) != CURLE_OK) {
    throw std::runtime_error("curl_easy_setopt(CURLOPT_URL): out of memory");
  }
}

void Transfer::start_attempt() {
  errbuf_[0] = '\0';
  bytes_ = 0;
  too_large_ = false;
  write_error_.clear();
  if (fd_ >= 0 && (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)) {
    write_error_ = std::string("cannot truncate the body file for a retry: ") + std::strerror(errno);
  }
}

AttemptResult Transfer::finish_attempt(CURLcode code) {
  CURL* e = easy_.get();
  AttemptResult r;
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  r.http_status = static_cast<int>(status);
  // A complete but empty body still gets its (empty) file, like every other response.
  if (code == CURLE_OK && bodies_ != nullptr && fd_ < 0 && write_error_.empty() && !open_body_file()) {
    code = CURLE_WRITE_ERROR;
  }
  r.curl_code = static_cast<int>(code);
  r.error = classify(r.curl_code, r.http_status);
  r.bytes = bytes_;
  r.dns_s = info_seconds(e, CURLINFO_NAMELOOKUP_TIME_T);
  r.connect_s = info_seconds(e, CURLINFO_CONNECT_TIME_T);
  r.tls_s = info_seconds(e, CURLINFO_APPCONNECT_TIME_T);
  r.ttfb_s = info_seconds(e, CURLINFO_STARTTRANSFER_TIME_T);
  r.total_s = info_seconds(e, CURLINFO_TOTAL_TIME_T);
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
    r.retry_after_s = static_cast<double>(retry_after);
  }
  if (r.error == ErrorClass::none) return r;
  r.message_key = url_ + " " + std::to_string(r.curl_code) + " " + std::to_string(r.http_status);
  if (too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
    r.message = url_ + ": body larger than max-body (" + std::to_string(max_body_) + " bytes)";
  } else if (!write_error_.empty()) {
    r.message = url_ + ": " + write_error_;
  } else if (code != CURLE_OK) {
    r.message = url_ + ": " + (errbuf_[0] != '\0' ? errbuf_ : curl_easy_strerror(code));
  } else {
    r.message = url_ + ": HTTP " + std::to_string(r.http_status);
  }
  return r;
}

void Transfer::end_task() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::size_t Transfer::on_write(char* data, std::size_t size, std::size_t n, void* self_ptr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  const std::size_t len = size * n;
  if (self->max_body_ > 0 && self->bytes_ + len > self->max_body_) {
    self->too_large_ = true;
    return 0;  // anything but len makes curl abort the transfer with CURLE_WRITE_ERROR
  }
  if (self->bodies_ != nullptr && len > 0 && !self->save(data, len)) return 0;
  self->bytes_ += len;
  return len;
}

bool Transfer::open_body_file() {
  std::string name;
  fd_ = bodies_->create(task_, url_, name);
  if (fd_ >= 0) return true;
  write_error_ = "cannot create a body file in " + bodies_->path() + " for \"" + name +
                 "\": " + std::strerror(errno);
  return false;
}

bool Transfer::save(const char* data, std::size_t len) {
  if (!write_error_.empty()) return false;
  if (fd_ < 0 && !open_body_file()) return false;
  while (len > 0) {
    const ssize_t w = ::write(fd_, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      write_error_ = "cannot write the body file: " + std::string(std::strerror(errno));
      return false;
    }
    data += w;
    len -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace fanout
