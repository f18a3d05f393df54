// OutputSpools: the files a rank's slots hand their tasks as stdout and stderr when the output goes
// to records: one pair per slot, reused by every task of the slot, with no name left in any folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fanout {

/// A slot's pair: descriptors the child gets as its stdout and stderr (O_APPEND, so that after
/// clear() its writes start at byte 0 again).
struct SpoolPair {
  int out = -1;
  int err = -1;
};

/// `slots` pairs made in `dir` and unlinked at once: each is a file of its own while open, but the
/// folder keeps no entry (a run leaves none behind, however it ends). Each slot uses its own pair
/// alone, so no lock is needed.
class OutputSpools {
 public:
  /// Throws ConfigError naming --shell.logs when the files cannot be made.
  OutputSpools(const std::string& dir, int rank, int slots);
  ~OutputSpools();
  OutputSpools(const OutputSpools&) = delete;
  OutputSpools& operator=(const OutputSpools&) = delete;

  const SpoolPair& slot(int worker) const { return pairs_[static_cast<std::size_t>(worker)]; }
  /// Empties both of a slot's files for its next attempt. False on an error (errno set).
  bool clear(int worker) const;

 private:
  void close_all();
  std::vector<SpoolPair> pairs_;
};

/// The size of the open file `fd`; 0 when fstat fails.
std::uint64_t open_file_size(int fd);

}  // namespace fanout
