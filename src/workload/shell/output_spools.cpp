// Create, open, unlink: a spool file is reached through its descriptor alone.
#include "workload/shell/output_spools.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

int make_spool(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw ConfigError("--shell.logs: cannot make " + path + " for the tasks' output (" +
                      std::strerror(errno) + ")");
  }
  ::unlink(path.c_str());
  return fd;
}

}  // namespace

OutputSpools::OutputSpools(const std::string& dir, int rank, int slots) {
  const std::string stem =
      dir + "/.spool-" + std::to_string(rank) + "-" + std::to_string(::getpid()) + "-";
  try {
    for (int w = 0; w < slots; ++w) {
      SpoolPair p;
      p.out = make_spool(stem + std::to_string(w) + ".out");
      pairs_.push_back(p);
      pairs_.back().err = make_spool(stem + std::to_string(w) + ".err");
    }
  } catch (...) {
    close_all();
    throw;
  }
}

OutputSpools::~OutputSpools() { close_all(); }

void OutputSpools::close_all() {
  for (SpoolPair& p : pairs_) {
    if (p.out >= 0) ::close(p.out);
    if (p.err >= 0) ::close(p.err);
    p = SpoolPair{};
  }
}

bool OutputSpools::clear(int worker) const {
  const SpoolPair& p = slot(worker);
  return ::ftruncate(p.out, 0) == 0 && ::ftruncate(p.err, 0) == 0;
}

std::uint64_t open_file_size(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace fanout
