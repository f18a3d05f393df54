// Digest: sha256 or md5 over a stream of bytes, fed as they arrive (OpenSSL EVP), and the
// "sha256:HEX" / "md5:HEX" notation of URL lists and SHA256SUMS files.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fanout {

enum class DigestAlgo : unsigned char { none, sha256, md5 };

/// "sha256", "md5" ("" for none).
std::string_view to_string(DigestAlgo algo);
/// Hex digits of the algorithm's digest: 64 (sha256), 32 (md5), 0 (none).
std::size_t hex_length(DigestAlgo algo);

/// An expected checksum: the algorithm and its lower-case hex digest.
struct Checksum {
  DigestAlgo algo = DigestAlgo::none;
  std::string hex;
  bool known() const { return algo != DigestAlgo::none; }
};

/// Parses "sha256:HEX" or "md5:HEX" (hex of the right length, either case). nullopt and `why`
/// (what is wrong and what is valid) when `text` is not one.
std::optional<Checksum> parse_checksum(std::string_view text, std::string& why);

/// A running digest. Not copyable; reset() starts over for a retry.
class Digest {
 public:
  explicit Digest(DigestAlgo algo);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  DigestAlgo algo() const { return algo_; }
  void reset();
  void update(const void* data, std::size_t len);
  /// Lower-case hex of everything fed since the last reset(); ends the digest (reset() to reuse).
  std::string hex_final();

 private:
  struct Ctx;
  DigestAlgo algo_;
  std::unique_ptr<Ctx> ctx_;
};

/// The digest of the first `bytes` bytes of the file open at `fd` (read with pread), fed into
/// `digest`: how a resumed download hashes the part an earlier run wrote. False on a read error
/// or a short file.
bool digest_file_prefix(int fd, std::uint64_t bytes, Digest& digest);

}  // namespace fanout
