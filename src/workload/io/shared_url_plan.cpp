// The URL list's one reader: rank 0 reads it straight into the memory share_bytes gives its node,
// checks it there, and the node leaders pass the bytes on.
#include "workload/io/shared_url_plan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"
#include "mpi/agree.hpp"
#include "mpi/shared_bytes.hpp"
#include "workload/append_log.hpp"

namespace fanout {
namespace {

/// An open file, closed when it goes.
class OpenFile {
 public:
  OpenFile() = default;
  ~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  /// Opens `path`, a regular file, without blocking on a FIFO; its size in `bytes`. Throws
  /// InputFileError with the reason.
  void open(const std::string& path, std::uint64_t& bytes) {
    check_input_file(path);
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) throw InputFileError(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) {
      throw InputFileError("it is " + file_type_name(st.st_mode) + ", not a regular file");
    }
    bytes = static_cast<std::uint64_t>(st.st_size);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

}  // namespace

UrlPlan shared_url_plan(World& world, const IoSpec& spec, const std::string& serve_base_url) {
  if (spec.url_file.empty()) return UrlPlan(spec, serve_base_url);
  const auto cannot = [&](const std::string& why) {
    return ConfigError("--io.url-file " + spec.url_file + ": cannot read it: " + why +
                       "; give a readable file with one URL a line");
  };
  OpenFile file;
  std::uint64_t bytes = 0;
  agreed(world, true, [&] {
    try {
      file.open(spec.url_file, bytes);
    } catch (const InputFileError& e) {
      throw cannot(e.what());
    }
  });
  std::string read_error;
  std::shared_ptr<const SharedBytes> shared = share_bytes(world, bytes, [&](char* into) {
    errno = 0;
    if (read_all_at(file.fd(), into, bytes, 0)) return;
    read_error = errno != 0 ? std::strerror(errno) : "it became shorter while it was read";
  });
  std::string index;
  agreed(world, true, [&] {
    if (!read_error.empty()) throw cannot(read_error);
    index = check_url_file(spec, shared->view(), serve_base_url).to_bytes();
  });
  index = world.bcast_string(index);
  const std::string_view view = shared->view();
  return UrlPlan(spec, serve_base_url, {std::move(shared), view}, UrlFileIndex::from_bytes(index));
}

}  // namespace fanout
