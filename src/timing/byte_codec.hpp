// One byte codec for the mergeable summaries that travel between ranks. A type lists its fields
// once, in a static member template
//
//   template <class Self, class Io> static void fields(Self& self, Io& io) {
//     io(self.count, self.sketch, self.per_rank);
//   }
//
// and that one listing both writes the value (Self const, Io a ByteWriter) and reads it back
// (Self mutable, Io a ByteReader): encode(value) and decode<T>(bytes, "T"). A field is a
// trivially copyable value (its bytes as they are), a std::vector or std::map of fields (a count,
// then each item), or a type with its own `fields`. `io.check(condition, why)` in a listing
// refuses bytes whose values do not fit the type (a bucket array of the wrong size).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace fanout {

namespace byte_codec_detail {

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class K, class V, class C, class A>
struct is_map<std::map<K, V, C, A>> : std::true_type {};

class Probe;
/// T lists its fields (checked with a reader-like Io that accepts anything).
template <class T>
concept HasFields = requires(T& t, Probe& io) {
  T::fields(t, io);
};

/// The fewest bytes one item of T can take, to refuse a count larger than the bytes left.
template <class T>
constexpr std::size_t min_bytes() {
  if constexpr (HasFields<T>)
    return 1;
  else if constexpr (std::is_trivially_copyable_v<T>)
    return sizeof(T);
  else
    return sizeof(std::uint64_t);  // a container's count
}

class Probe {
 public:
  template <class... T>
  void operator()(T&...) {}
  void check(bool, const char*) {}
};

}  // namespace byte_codec_detail

/// Appends values to bytes, as their types' field listings say.
class ByteWriter {
 public:
  template <class... T>
  void operator()(const T&... v) {
    (put(v), ...);
  }
  /// Writing never refuses: what was written was a value of its type.
  void check(bool, const char*) {}
  std::vector<char> bytes() && { return std::move(out_); }

 private:
  template <class T>
  void put(const T& v) {
    using namespace byte_codec_detail;
    if constexpr (HasFields<T>) {
      T::fields(v, *this);
    } else if constexpr (is_vector<T>::value || is_map<T>::value) {
      raw(static_cast<std::uint64_t>(v.size()));
      for (const auto& item : v) {
        if constexpr (is_map<T>::value) {
          put(item.first);
          put(item.second);
        } else {
          put(item);
        }
      }
    } else {
      raw(v);
    }
  }
  template <class T>
  void raw(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>, "a field must be plain, a container or listed");
    const std::size_t at = out_.size();
    out_.resize(at + sizeof v);
    std::memcpy(out_.data() + at, &v, sizeof v);
  }

  std::vector<char> out_;
};

/// Reads values off the front of bytes a ByteWriter wrote; throws std::invalid_argument naming
/// `what` (the summary being read) when they run short, do not fit, or some are left over.
class ByteReader {
 public:
  ByteReader(std::span<const char> in, const char* what) : in_(in), what_(what) {}

  template <class... T>
  void operator()(T&... v) {
    (get(v), ...);
  }
  void check(bool ok, const char* why) const {
    if (!ok) fail(why);
  }
  /// Throws unless every byte was read.
  void expect_end() const {
    if (!in_.empty()) fail("trailing bytes");
  }

 private:
  template <class T>
  void get(T& v) {
    using namespace byte_codec_detail;
    if constexpr (HasFields<T>) {
      T::fields(v, *this);
    } else if constexpr (is_vector<T>::value) {
      v.assign(count(min_bytes<typename T::value_type>()), typename T::value_type{});
      for (auto& item : v) get(item);
    } else if constexpr (is_map<T>::value) {
      v.clear();
      const std::size_t n =
          count(min_bytes<typename T::key_type>() + min_bytes<typename T::mapped_type>());
      for (std::size_t i = 0; i < n; ++i) {
        typename T::key_type key{};
        get(key);
        typename T::mapped_type value{};
        get(value);
        v.insert_or_assign(std::move(key), std::move(value));
      }
    } else {
      static_assert(std::is_trivially_copyable_v<T>,
                    "a field must be plain, a container or listed");
      check(in_.size() >= sizeof v, "truncated bytes");
      std::memcpy(&v, in_.data(), sizeof v);
      in_ = in_.subspan(sizeof v);
    }
  }
  /// A count of items of at least `item_bytes` each, refused when fewer bytes are left.
  std::size_t count(std::size_t item_bytes) {
    std::uint64_t n = 0;
    get(n);
    check(n <= in_.size() / item_bytes, "truncated bytes");
    return static_cast<std::size_t>(n);
  }
  [[noreturn]] void fail(const char* why) const {
    throw std::invalid_argument(std::string(what_) + ": " + why);
  }

  std::span<const char> in_;
  const char* what_;
};

/// `value` as bytes, as its fields listing says.
template <class T>
std::vector<char> encode(const T& value) {
  ByteWriter out;
  out(value);
  return std::move(out).bytes();
}

/// The T that encode wrote as `bytes`; throws std::invalid_argument naming `what` for bytes that
/// are not one.
template <class T>
T decode(std::span<const char> bytes, const char* what) {
  ByteReader in(bytes, what);
  T value{};
  in(value);
  in.expect_end();
  return value;
}

}  // namespace fanout
