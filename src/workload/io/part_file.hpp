// PartFile: a download's NAME.fanout-part on disk, its lock, its validator and its rename to NAME.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "workload/io/body_file.hpp"

namespace fanout {

/// Suffixes of the partial data and of its validator (ETag or Last-Modified) beside the final name.
inline constexpr std::string_view kPartSuffix = ".fanout-part";
inline constexpr std::string_view kMetaSuffix = ".fanout-part.meta";
/// Extended attribute of a file fanout renamed into place: the list entry (1-based) it is, so a
/// later run tells another line's file of the same name from a stale one.
inline constexpr const char* kEntryXattr = "user.fanout.entry";
/// Extended attribute of a part (kept by the file it becomes): the validator (ETag or
/// Last-Modified) its bytes came with. Where the file system has none, NAME.fanout-part.meta.
inline constexpr const char* kValidatorXattr = "user.fanout.validator";

/// The list entry (0-based) that kEntryXattr of file `name` in directory `dfd` says it is;
/// nullopt when it says none.
std::optional<std::uint64_t> written_as_entry(int dfd, const std::string& name);

/// The part of one file under final name `name` in a directory: opened and locked by claim(),
/// written through its descriptor by others, renamed into place once complete. Owns the
/// descriptor; movable, so an attempt starts with a fresh one in one assignment.
///
/// The lock is an OFD lock on the part: one writer per part at a time over every transfer, rank
/// and node of a job, released with its holder's descriptor (a killed run's parts are free again).
/// Every change of the part's name (drop, rename) happens while the lock is held.
class PartFile {
 public:
  PartFile() = default;
  /// Names only: nothing is opened until claim().
  PartFile(const BodyDir& dir, std::string name);
  ~PartFile();
  PartFile(PartFile&& other) noexcept;
  PartFile& operator=(PartFile&& other) noexcept;
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  /// The final name, and the part's path (for messages).
  const std::string& name() const { return name_; }
  std::string part_path() const;
  /// The part's descriptor, -1 before claim() or after close().
  int fd() const { return fd_; }

  /// What claim() found.
  struct Claim {
    std::string error;        ///< "" when the part is ours
    bool clash = false;       ///< another transfer of this job holds or completed it
    std::uint64_t bytes = 0;  ///< the part's size (an earlier run's bytes)
  };
  /// Opens (creating) and locks the part.
  Claim claim();
  /// The validator the part was stored with ("" none), from its extended attribute or sidecar.
  std::string read_validator();
  /// Stores `validator` with the part ("" removes one); "" or what failed.
  std::string store_validator(const std::string& validator);
  /// Empties the part; "" or what failed.
  std::string truncate();
  /// The final name holds a file begin judged stale: rename_into_place() replaces that one file.
  void replace_final(const struct stat& st);
  /// Tags the part with the list entry (0-based) it is, where the file system keeps attributes.
  void mark_entry(std::uint64_t index);
  /// What rename_into_place() did.
  struct Rename {
    std::string error;   ///< "" when the part is now under its final name
    bool clash = false;  ///< the final name was taken by another entry meanwhile
  };
  /// Renames the part to its final name: never over another file, but the stale one
  /// replace_final() named. On success the sidecar goes.
  Rename rename_into_place();
  /// Unlinks the part (and its sidecar) and closes it: nothing of it is left. Without the lock
  /// (not claimed, or closed) it does nothing but close, since the name may be another's by then.
  void drop();
  /// Closes the descriptor (and with it the lock), keeping the part.
  void close();

 private:
  const BodyDir* dir_ = nullptr;
  std::string name_, part_, meta_;
  int fd_ = -1;
  std::string stored_validator_;  ///< what read_validator() found
  bool sidecar_ = false;  ///< the validator is in the .meta file (no extended attributes here)
  bool stale_final_ = false;
  dev_t stale_dev_ = 0;
  ino_t stale_ino_ = 0;
};

}  // namespace fanout
