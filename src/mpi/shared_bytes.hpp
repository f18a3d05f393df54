// share_bytes: what one rank read (a task list, a URL list) sent once to each node and held there
// once, in memory the node's ranks share, so that no other rank reads the file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mpi/world.hpp"

namespace fanout {

/// Bytes every rank of a node sees in one copy: a read-only mapping of a POSIX shared-memory
/// object the node's leader (its lowest rank) filled, or, where that could not be made on some
/// node, a copy of this rank's own. Released by the last rank of the node that drops it; its
/// destruction is local (no collective), so ranks may keep it for different lengths of time.
class SharedBytes {
 public:
  SharedBytes() = default;
  ~SharedBytes();
  SharedBytes(const SharedBytes&) = delete;
  SharedBytes& operator=(const SharedBytes&) = delete;

  std::string_view view() const { return {data_, size_}; }
  /// True when the node's ranks share one copy; false for a private copy (one rank, or shared
  /// memory unavailable).
  bool node_shared() const { return mapped_bytes_ > 0; }

 private:
  friend std::shared_ptr<const SharedBytes> share_bytes(World& world, std::uint64_t size,
                                                        const std::function<void(char*)>& fill);
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_bytes_ = 0;  ///< the mapping's length; 0 when private_ holds the bytes
  std::string private_;
};

/// Collective: rank 0's `from_root` (other ranks' argument is ignored) on every rank, sent once to
/// each node's leader (over a communicator of the leaders) and held there once per node. Rank 0
/// passes its bytes by value, so that its own private copy is gone once they are shared.
std::shared_ptr<const SharedBytes> share_bytes(World& world, std::string from_root);

/// Collective: the same for `size` bytes (rank 0's value; other ranks' is ignored) that `fill`
/// writes on rank 0, once, straight into the memory its node will share (or its own copy), so
/// that they never exist twice on rank 0: a file read into place. `fill` must not throw; what it
/// writes is what every rank sees.
std::shared_ptr<const SharedBytes> share_bytes(World& world, std::uint64_t size,
                                               const std::function<void(char*)>& fill);

}  // namespace fanout
