// mkdir -p, and a file made and removed to prove the directory takes files; the buckets of
// per-task logs.
#include "workload/shell/logs_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

/// Creates what is missing of `path`: "" or why not.
std::string make_missing(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> missing;
  fs::path p = fs::path(path).lexically_normal();
  for (; !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return p.string() + " is not a directory";
      break;
    }
    // ENOTDIR: a file on the way, which the walk up then names.
    if (errno != ENOENT && errno != ENOTDIR) {
      return "cannot reach " + p.string() + " (" + std::strerror(errno) + ")";
    }
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) {
      return "cannot create " + it->string() + " (" + std::strerror(errno) + ")";
    }
  }
  // A file made and removed: access() says yes to root on a read-only mount or under /proc.
  const std::string probe = path + "/.fanout-probe-" + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create files in it (" + std::string(std::strerror(errno)) + ")";
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

}  // namespace

void make_logs_dir(const std::string& path) {
  if (const std::string why = make_missing(path); !why.empty()) {
    throw ConfigError("--shell.logs " + path + ": " + why +
                      "; give a directory fanout can create and write");
  }
}

std::string task_log_path(const std::string& logs_dir, std::uint64_t seq, const char* ext) {
  return logs_dir + "/" + std::to_string(seq / kTasksPerBucket) + "/" + std::to_string(seq) + ext;
}

std::string LogBuckets::make(std::uint64_t seq) {
  const std::uint64_t bucket = seq / kTasksPerBucket;
  std::lock_guard<std::mutex> lock(mutex_);
  if (made_.count(bucket)) return "";
  const std::string path = logs_dir_ + "/" + std::to_string(bucket);
  // Another rank may have made it first.
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return "cannot create " + path + " (" + std::strerror(errno) + ")";
  }
  made_.insert(bucket);
  return "";
}

}  // namespace fanout
