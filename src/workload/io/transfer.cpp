// Per-transfer state behind the write callback: byte counting, the max-body limit, saving bodies,
// streaming checksums, and the download's part file.
#include "workload/io/transfer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "workload/io/easy_setup.hpp"

namespace fanout {
namespace {

constexpr long kDownloadBufferBytes = 256 * 1024;

double info_seconds(CURL* easy, CURLINFO what) {
  curl_off_t us = 0;
  if (curl_easy_getinfo(easy, what, &us) != CURLE_OK) return 0;
  return static_cast<double>(us) * 1e-6;
}

int response_code(CURL* easy) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return static_cast<int>(status);
}

}  // namespace

Transfer::Transfer(const IoContext& io, DiskQueue* disk)
    : easy_(curl_easy_init()), plan_(io.plan), max_body_(io.spec.max_body), bodies_(io.bodies) {
  if (!easy_) throw std::runtime_error("curl_easy_init failed");
  apply_io_options(easy_.get(), io.spec);
  CURL* e = easy_.get();
  if (curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf_) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_write) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEDATA, this) != CURLE_OK) {
    throw std::runtime_error("curl_easy_setopt: cannot install the write callback");
  }
  if (io.staging != nullptr) {
    staged_ = std::make_unique<StagedFile>(*io.staging, disk);
    // Files, not small bodies: curl's CLI reads 100 KiB at a time; fewer, larger writes to the
    // part file and wake-ups of the loop per MiB.
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, kDownloadBufferBytes);
  }
}

Transfer::~Transfer() { end_task(); }

void Transfer::start_task(TaskId id) {
  end_task();
  task_ = id;
  index_ = id % plan_.size();
  entry_ = plan_.entry(id);
  if (curl_easy_setopt(easy_.get(), CURLOPT_URL, entry_.url.c_str()) != CURLE_OK) {
    throw std::runtime_error("curl_easy_setopt(CURLOPT_URL): out of memory");
  }
  if (!entry_.checksum.known()) {
    digest_.reset();
  } else if (!digest_ || digest_->algo() != entry_.checksum.algo) {
    digest_ = std::make_unique<Digest>(entry_.checksum.algo);
  }
}

bool Transfer::start_attempt() {
  errbuf_[0] = '\0';
  bytes_ = 0;
  too_large_ = false;
  responded_ = false;
  body_ok_ = false;
  write_error_.clear();
  settle_error_.clear();
  if (digest_) digest_->reset();
  if (staged_) {
    StagedFile::Begin begun = staged_->begin(entry_, index_, digest_.get());
    if (!begun.request) {
      settle_error_ = std::move(begun.error);
      return false;
    }
    CURL* e = easy_.get();
    if_range_.reset();
    if (staged_->resume_from() > 0) {
      const std::string range = std::to_string(staged_->resume_from()) + "-";
      if_range_.reset(curl_slist_append(nullptr, ("If-Range: " + staged_->validator()).c_str()));
      if (!if_range_ || curl_easy_setopt(e, CURLOPT_RANGE, range.c_str()) != CURLE_OK) {
        throw std::runtime_error("curl_easy_setopt(CURLOPT_RANGE): out of memory");
      }
    } else {
      curl_easy_setopt(e, CURLOPT_RANGE, nullptr);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, if_range_.get());
    return true;
  }
  if (fd_ >= 0 && (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)) {
    write_error_ =
        std::string("cannot truncate the body file for a retry: ") + std::strerror(errno);
  }
  return true;
}

AttemptResult Transfer::settled() {
  AttemptResult r;
  r.outcome = static_cast<std::uint8_t>(staged_ ? staged_->outcome() : DownloadOutcome::none);
  if (!settle_error_.empty()) {
    r.error = staged_ && staged_->clash() ? ErrorClass::name_clash : ErrorClass::other;
    r.curl_code = CURLE_WRITE_ERROR;
    r.message = entry_.url + ": " + settle_error_;
    r.message_key = entry_.url + " settle";
  }
  return r;
}

bool Transfer::verify_discarded(std::string& why) {
  if (entry_.size >= 0 && bytes_ != static_cast<std::uint64_t>(entry_.size)) {
    why = std::to_string(bytes_) + " bytes, the list expects " + std::to_string(entry_.size);
    return false;
  }
  if (!digest_) return true;
  const std::string hex = digest_->hex_final();
  if (hex == entry_.checksum.hex) return true;
  why = std::string(to_string(entry_.checksum.algo)) + " " + hex + ", the list expects " +
        entry_.checksum.hex;
  return false;
}

AttemptResult Transfer::finish_attempt(CURLcode code) {
  CURL* e = easy_.get();
  AttemptResult r;
  r.http_status = response_code(e);
  // A complete but empty body still gets its (empty) file, like every other response.
  if (code == CURLE_OK && !staged_ && bodies_ != nullptr && fd_ < 0 && write_error_.empty() &&
      !open_body_file()) {
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
  std::string bad;
  if (staged_) {
    auto [end, why, restart] = staged_->finish(e, code == CURLE_OK, r.http_status);
    r.outcome = static_cast<std::uint8_t>(staged_->outcome());
    r.restart = restart;
    if (end == StagedFile::End::done) {
      r.error = ErrorClass::none;
    } else if (end == StagedFile::End::bad_data) {
      r.error = ErrorClass::checksum;
      bad = why;
    } else if (end == StagedFile::End::clash) {
      r.error = ErrorClass::name_clash;
      write_error_ = why;
    } else if (!why.empty() && r.error == ErrorClass::none) {
      r.error = ErrorClass::other;
      write_error_ = why;
    } else if (!why.empty()) {
      write_error_ = why;
    }
  } else if (r.error == ErrorClass::none && (entry_.checksum.known() || entry_.size >= 0) &&
             !verify_discarded(bad)) {
    r.error = ErrorClass::checksum;
  }
  if (r.error == ErrorClass::none) return r;
  r.message_key =
      entry_.url + " " + std::to_string(r.curl_code) + " " + std::to_string(r.http_status);
  if (r.error == ErrorClass::checksum) {
    r.message_key += " checksum";
    r.message = entry_.url + ": " + bad;
  } else if (too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
    r.message =
        entry_.url + ": body larger than max-body (" + std::to_string(max_body_) + " bytes)";
  } else if (!write_error_.empty()) {
    r.message = entry_.url + ": " + write_error_;
  } else if (code != CURLE_OK) {
    r.message = entry_.url + ": " + (errbuf_[0] != '\0' ? errbuf_ : curl_easy_strerror(code));
  } else {
    r.message = entry_.url + ": HTTP " + std::to_string(r.http_status);
  }
  return r;
}

void Transfer::end_task() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (staged_) staged_->close();
}

bool Transfer::on_first_bytes() {
  responded_ = true;
  const int status = response_code(easy_.get());
  body_ok_ = status >= 200 && status < 300;
  if (!staged_) return true;
  write_error_ = staged_->on_response(easy_.get(), status);
  return write_error_.empty();
}

std::size_t Transfer::on_write(char* data, std::size_t size, std::size_t n, void* self_ptr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  const std::size_t len = size * n;
  if (!self->responded_ && !self->on_first_bytes()) return 0;
  if (self->max_body_ > 0 && self->bytes_ + len > self->max_body_) {
    self->too_large_ = true;
    return 0;  // anything but len makes curl abort the transfer with CURLE_WRITE_ERROR
  }
  if (self->staged_) {
    // The part file feeds the digest as it writes.
    if (self->staged_->saving()) {
      self->write_error_ = self->staged_->write(data, len);
      if (!self->write_error_.empty()) return 0;
    }
  } else {
    if (self->digest_ && self->body_ok_) self->digest_->update(data, len);
    if (self->bodies_ != nullptr && len > 0 && !self->save(data, len)) return 0;
  }
  self->bytes_ += len;
  return len;
}

bool Transfer::open_body_file() {
  std::string name;
  fd_ = bodies_->create(task_, entry_.url, name);
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
