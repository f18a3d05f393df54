// sha256 and md5 through OpenSSL 3's EVP interface, which picks the CPU's fastest implementation.
#include "workload/io/digest.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace fanout {
namespace {

const EVP_MD* evp_of(DigestAlgo algo) {
  switch (algo) {
    case DigestAlgo::sha256:
      return EVP_sha256();
    case DigestAlgo::md5:
      return EVP_md5();
    case DigestAlgo::none:
      break;
  }
  return nullptr;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string_view to_string(DigestAlgo algo) {
  switch (algo) {
    case DigestAlgo::sha256:
      return "sha256";
    case DigestAlgo::md5:
      return "md5";
    case DigestAlgo::none:
      break;
  }
  return "";
}

std::size_t hex_length(DigestAlgo algo) {
  switch (algo) {
    case DigestAlgo::sha256:
      return 64;
    case DigestAlgo::md5:
      return 32;
    case DigestAlgo::none:
      break;
  }
  return 0;
}

std::optional<Checksum> parse_checksum(std::string_view text, std::string& why) {
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  Checksum c;
  if (name == "sha256")
    c.algo = DigestAlgo::sha256;
  else if (name == "md5")
    c.algo = DigestAlgo::md5;
  if (colon == std::string_view::npos || c.algo == DigestAlgo::none) {
    why = "unknown checksum \"" + std::string(name) +
          "\"; give sha256:HEX (64 hex digits) or md5:HEX (32)";
    return std::nullopt;
  }
  const std::string_view hex = text.substr(colon + 1);
  bool hex_only = true;
  for (char ch : hex) hex_only = hex_only && is_hex(ch);
  if (hex.size() != hex_length(c.algo) || !hex_only) {
    why = std::string(name) + " checksum needs " + std::to_string(hex_length(c.algo)) +
          " hex digits, got " + std::to_string(hex.size()) + (hex_only ? "" : " (not all hex)");
    return std::nullopt;
  }
  c.hex.reserve(hex.size());
  for (char ch : hex)
    c.hex.push_back(ch >= 'A' && ch <= 'F' ? static_cast<char>(ch - 'A' + 'a') : ch);
  return c;
}

struct Digest::Ctx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(ctx); }
};

Digest::Digest(DigestAlgo algo) : algo_(algo), ctx_(std::make_unique<Ctx>()) {
  if (!ctx_->ctx) throw std::runtime_error("EVP_MD_CTX_new failed");
  reset();
}

Digest::~Digest() = default;

void Digest::reset() {
  if (algo_ == DigestAlgo::none) return;
  if (EVP_DigestInit_ex(ctx_->ctx, evp_of(algo_), nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex failed for " + std::string(to_string(algo_)));
  }
}

void Digest::update(const void* data, std::size_t len) {
  if (algo_ != DigestAlgo::none && len > 0) EVP_DigestUpdate(ctx_->ctx, data, len);
}

std::string Digest::hex_final() {
  if (algo_ == DigestAlgo::none) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->ctx, md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

bool digest_file_prefix(int fd, std::uint64_t bytes, Digest& digest) {
  std::vector<char> block(1 << 20);
  std::uint64_t at = 0;
  while (at < bytes) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), bytes - at));
    const ssize_t n = ::pread(fd, block.data(), want, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    digest.update(block.data(), static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace fanout
