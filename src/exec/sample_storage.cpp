// Geometric reservation of Sample vectors, with MADV_HUGEPAGE on the large ones (Linux).
#include "exec/sample_storage.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>

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

}  // namespace fanout
