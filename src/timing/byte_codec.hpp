// Plain values to bytes and back, for the mergeable summaries that travel between ranks.
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace fanout {

/// Appends `v`'s bytes to `out`.
template <class T>
void put_bytes(std::vector<char>& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* p = reinterpret_cast<const char*>(&v);
  out.insert(out.end(), p, p + sizeof v);
}

/// Reads values off the front of bytes written by put_bytes; throws std::invalid_argument naming
/// `what` (the summary being read) when they run short or some are left over.
class ByteReader {
 public:
  ByteReader(std::span<const char> in, const char* what) : in_(in), what_(what) {}

  template <class T>
  T take() {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in_.size() < sizeof(T)) fail("truncated bytes");
    T v;
    std::memcpy(&v, in_.data(), sizeof v);
    in_ = in_.subspan(sizeof v);
    return v;
  }
  /// A count of items of `item_bytes` each that follow, refused when fewer bytes are left.
  std::size_t take_count(std::size_t item_bytes) {
    const auto n = take<std::uint64_t>();
    if (n > in_.size() / item_bytes) fail("truncated bytes");
    return static_cast<std::size_t>(n);
  }
  /// Throws unless every byte was read.
  void expect_end() const {
    if (!in_.empty()) fail("trailing bytes");
  }

 private:
  [[noreturn]] void fail(const char* why) const {
    throw std::invalid_argument(std::string(what_) + ": " + why);
  }
  std::span<const char> in_;
  const char* what_;
};

}  // namespace fanout
