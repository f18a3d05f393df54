// Output paths checked up front: lstat/stat for what a path is, a probe file for writability,
// device and inode for sameness.
#include "report/output_check.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"
#include "report/writer.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

/// The file a path stands for once symlinks are followed; `path` itself when it is no link.
/// Throws ConfigError for a link that points at nothing.
std::string followed(const std::string& path, const std::string& where) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  std::error_code ec;
  const fs::path target = fs::canonical(path, ec);
  if (ec) {
    throw ConfigError(where + "is a symbolic link to a file that cannot be reached (" +
                      ec.message() + "); point it at a regular file, or give another name");
  }
  return target.string();
}

/// Creates and removes a file in `dir`: access(2) says yes to root on a read-only mount's
/// neighbours and on /proc, where creating a file still fails.
void probe_directory(const std::string& dir, const std::string& where) {
  std::string probe = dir + "/.fanout-probe.XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) {
    throw ConfigError(where + "cannot create a file in directory '" + dir + "' (" +
                      std::strerror(errno) + "); choose a writable directory");
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

void check_parent(const std::string& dir, const std::string& where) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    throw ConfigError(where + "directory '" + dir + "' does not exist");
  }
  if (!S_ISDIR(st.st_mode)) {
    throw ConfigError(where + "'" + dir + "' is " + file_type_name(st.st_mode) +
                      ", not a directory");
  }
  probe_directory(dir, where);
}

/// Identity of a file for sameness: its device and inode, or its directory's and its name.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  std::string name;  ///< "" for an existing file
  bool operator==(const FileId&) const = default;
};

std::optional<FileId> file_id(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return FileId{st.st_dev, st.st_ino, ""};
  const std::string target = followed(path, path + ": ");
  if (::stat(directory_of(target).c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino, fs::path(target).filename().string()};
}

}  // namespace

void check_output_path(const std::string& path, const std::string& flag) {
  if (path.empty()) throw ConfigError(flag + ": needs a file name");
  const std::string where = flag + " " + path + ": ";
  const std::string target = followed(path, where);
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    throw ConfigError(where + (target == path ? "is " : "points to " + target + ", ") +
                      file_type_name(st.st_mode) +
                      "; give the name of a regular file to write (it is created, or replaced "
                      "whole)");
  }
  check_parent(directory_of(target), where);
}

void check_output_dir(const std::string& path, const std::string& flag) {
  if (path.empty()) throw ConfigError(flag + ": needs a directory name");
  const std::string where = flag + " " + path + ": ";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      throw ConfigError(where + "is " + file_type_name(st.st_mode) +
                        "; give a directory (created if missing) for the files");
    }
    probe_directory(path, where);
    return;
  }
  std::string parent = directory_of(path);
  // "out/" names the directory out, whose parent is ".".
  if (fs::path(path).filename().empty())
    parent = directory_of(fs::path(path).parent_path().string());
  check_parent(parent, where);
}

void check_distinct_paths(const std::vector<NamedPath>& outputs,
                          const std::vector<NamedPath>& inputs) {
  std::vector<std::pair<FileId, const NamedPath*>> seen;
  for (const NamedPath& in : inputs) {
    if (in.path.empty()) continue;
    if (const auto id = file_id(in.path)) seen.emplace_back(*id, &in);
  }
  const std::size_t input_count = seen.size();
  for (const NamedPath& out : outputs) {
    if (out.path.empty()) continue;
    const auto id = file_id(out.path);
    if (!id) continue;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (!(seen[i].first == *id)) continue;
      const NamedPath& other = *seen[i].second;
      const bool input = i < input_count;
      throw ConfigError(out.flag + " " + out.path + ": is the same file as " +
                        (input
                             ? "the " + other.flag + " " + other.path + ", which it would overwrite"
                             : other.flag + " " + other.path) +
                        "; give every output a file of its own");
    }
    seen.emplace_back(*id, &out);
  }
}

}  // namespace fanout
