// Geometric reservation of Sample vectors, with MADV_HUGEPAGE on the large ones (Linux), and the
// spill of full ones to the run's sink.
#include "exec/sample_storage.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fanout {

namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;

// Advises the whole 2 MiB pages inside [data, data + bytes). Only advice: if the kernel has
// transparent huge pages off, or refuses, the buffer works the same with small pages.
void advise_huge_pages(const void* data, std::size_t bytes) {
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace

void make_room(std::vector<Sample>& samples, const SampleSink& sink) {
  if (sink && samples.size() >= kSpillSamples) {
    sink(std::span<const Sample>(samples.data(), samples.size()));
    samples.clear();
    return;
  }
  reserve_samples(samples, 1);
}

void reserve_samples(std::vector<Sample>& samples, std::size_t more) {
  const std::size_t need = samples.size() + more;
  if (need <= samples.capacity()) return;
  const std::size_t capacity = std::max(need, 2 * samples.capacity());
  if (capacity * sizeof(Sample) < 2 * kHugePage) {
    samples.reserve(capacity);
    return;
  }
  // Advise before the old samples are copied in, or the copy would fault in small pages first.
  std::vector<Sample> grown;
  grown.reserve(capacity);
  advise_huge_pages(grown.data(), capacity * sizeof(Sample));
  grown.insert(grown.end(), samples.begin(), samples.end());
  samples.swap(grown);
}

SpoolFile::SpoolFile(SpoolFile&& other) noexcept : fd_(other.fd_), size_(other.size_) {
  other.fd_ = -1;
  other.size_ = 0;
}

SpoolFile& SpoolFile::operator=(SpoolFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    size_ = other.size_;
    other.fd_ = -1;
    other.size_ = 0;
  }
  return *this;
}

SpoolFile::~SpoolFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SpoolFile::append(const void* data, std::size_t bytes) {
  if (bytes == 0) return;
  if (fd_ < 0) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/fanout-records.XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot create " + path);
    ::unlink(path.c_str());
  }
  const auto* p = static_cast<const char*>(data);
  std::size_t left = bytes;
  auto at = static_cast<off_t>(size_);
  while (left > 0) {
    const ssize_t n = ::pwrite(fd_, p, left, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "cannot keep task records");
    p += n;
    at += n;
    left -= static_cast<std::size_t>(n);
  }
  size_ += bytes;
}

void SpoolFile::read(std::uint64_t offset, void* into, std::size_t bytes) const {
  if (bytes == 0) return;
  if (offset + bytes > size_) throw std::out_of_range("SpoolFile: read past the end");
  auto* p = static_cast<char*>(into);
  std::size_t left = bytes;
  auto at = static_cast<off_t>(offset);
  while (left > 0) {
    const ssize_t n = ::pread(fd_, p, left, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::system_error(n < 0 ? errno : EIO, std::generic_category(),
                              "cannot read task records back");
    }
    p += n;
    at += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace fanout
