// share_bytes: rank 0's bytes broadcast over the node leaders into a shared-memory object each
// leader made, which the other ranks of its node map read-only.
#include "mpi/shared_bytes.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <random>

#include "mpi/check.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"

namespace fanout {
namespace {

using mpi::check_mpi;
using mpi::mpi_mutex;
using mpi::MpiGuard;
using mpi::run_idle;

/// Room for a shared-memory object's name in the node's broadcast of it.
constexpr std::size_t kNameBytes = 64;
/// Largest piece of one broadcast (its count is an int).
constexpr std::uint64_t kPiece = 1ull << 30;

void bcast_pieces(MPI_Comm comm, char* data, std::uint64_t len) {
  for (std::uint64_t off = 0; off < len; off += kPiece) {
    const int n = static_cast<int>(std::min(kPiece, len - off));
    run_idle([&](MPI_Request* r) { return MPI_Ibcast(data + off, n, MPI_CHAR, 0, comm, r); },
             "MPI_Ibcast");
  }
}

/// The leader's new shared-memory object of `len` bytes, mapped read-write; its name is set in
/// `name`, "" when it could not be made (then nothing is left behind).
char* make_object(std::size_t len, std::array<char, kNameBytes>& name) {
  std::random_device random;
  const std::string n = "/fanout-" + std::to_string(::getpid()) + "-" +
                        std::to_string((static_cast<std::uint64_t>(random()) << 32) | random());
  name.fill('\0');
  const int fd = ::shm_open(n.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return nullptr;
  void* at = MAP_FAILED;
  if (::ftruncate(fd, static_cast<off_t>(len)) == 0) {
    at = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }
  ::close(fd);
  if (at == MAP_FAILED) {
    ::shm_unlink(n.c_str());
    return nullptr;
  }
  std::copy_n(n.begin(), std::min(n.size(), kNameBytes - 1), name.begin());
  return static_cast<char*>(at);
}

/// The object `name` mapped read-only; null when it cannot be.
const char* map_object(const char* name, std::size_t len) {
  const int fd = ::shm_open(name, O_RDONLY, 0);
  if (fd < 0) return nullptr;
  void* at = ::mmap(nullptr, len, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  return at == MAP_FAILED ? nullptr : static_cast<const char*>(at);
}

}  // namespace

SharedBytes::~SharedBytes() {
  if (mapped_bytes_ > 0) ::munmap(const_cast<char*>(data_), mapped_bytes_);
}

std::shared_ptr<const SharedBytes> share_bytes(World& world, std::string from_root) {
  const std::uint64_t size = from_root.size();
  return share_bytes(world, size, [&](char* at) {
    std::memcpy(at, from_root.data(), size);
    from_root = std::string();
  });
}

std::shared_ptr<const SharedBytes> share_bytes(World& world, std::uint64_t size,
                                               const std::function<void(char*)>& fill) {
  const World::Impl& m = world.impl();
  auto out = std::make_shared<SharedBytes>();
  std::uint64_t len = size;
  run_idle([&](MPI_Request* r) { return MPI_Ibcast(&len, 1, MPI_UINT64_T, 0, m.comm, r); },
           "MPI_Ibcast");
  const auto keep_private = [&] {
    out->private_.assign(len, '\0');
    if (m.rank == 0) fill(out->private_.data());
    bcast_pieces(m.comm, out->private_.data(), len);
    out->data_ = out->private_.data();
    out->size_ = out->private_.size();
    return out;
  };
  if (m.size == 1) return keep_private();

  // A mapping is never empty: an empty list still gets one byte.
  const std::size_t mapped = std::max<std::size_t>(len, 1);
  const bool leader = m.node_rank == 0;
  std::array<char, kNameBytes> name{};
  char* writable = leader ? make_object(mapped, name) : nullptr;
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Ibcast(name.data(), kNameBytes, MPI_CHAR, 0, m.node_comm, r);
      },
      "MPI_Ibcast");
  const char* at = writable;
  if (!leader && name[0] != '\0') at = map_object(name.data(), mapped);
  // Every rank mapped it (or one could not): the name may go, the memory stays while mapped.
  int ok = at != nullptr ? 1 : 0, all_ok = 0;
  run_idle(
      [&](MPI_Request* r) { return MPI_Iallreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, m.comm, r); },
      "MPI_Iallreduce");
  if (leader && writable != nullptr) ::shm_unlink(name.data());
  if (all_ok == 0) {
    // Shared memory failed on some node (e.g. /dev/shm full): every rank gets its own copy.
    if (at != nullptr) ::munmap(const_cast<char*>(at), mapped);
    return keep_private();
  }

  // Rank 0 leads node 0 (a node's leader is its lowest rank), so it is rank 0 of the leaders.
  MPI_Comm leaders = MPI_COMM_NULL;
  {
    MpiGuard lock(mpi_mutex());
    check_mpi(MPI_Comm_split(m.comm, leader ? 0 : MPI_UNDEFINED, m.rank, &leaders),
              "MPI_Comm_split");
  }
  if (leader) {
    if (m.rank == 0) fill(writable);
    bcast_pieces(leaders, writable, len);
    MpiGuard lock(mpi_mutex());
    MPI_Comm_free(&leaders);
  }
  // The leader's writes before the node's barrier, every read after it.
  std::atomic_thread_fence(std::memory_order_release);
  run_idle([&](MPI_Request* r) { return MPI_Ibarrier(m.node_comm, r); }, "MPI_Ibarrier");
  std::atomic_thread_fence(std::memory_order_acquire);
  if (leader) ::mprotect(writable, mapped, PROT_READ);
  out->data_ = at;
  out->size_ = len;
  out->mapped_bytes_ = mapped;
  return out;
}

}  // namespace fanout
