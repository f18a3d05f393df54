// The columns of a URL-list line and the rules for what each may hold.
#include "workload/io/url_entry.hpp"

#include <charconv>

#include "cli/ini_reader.hpp"
#include "cli/text.hpp"

namespace fanout {
namespace {

constexpr const char* kColumns = "columns are URL [NAME] [size:BYTES] [sha256:HEX|md5:HEX]";

constexpr std::size_t kMaxDerivedName = 200;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/// "key" of "key:value" when the key is a lower-case word (a column tag), else "".
std::string_view column_key(std::string_view token) {
  const std::size_t colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0) return "";
  for (char c : token.substr(0, colon)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return "";
  }
  return token.substr(0, colon);
}

}  // namespace

std::optional<std::string_view> url_line_content(std::string_view line) {
  const std::string_view text = trim(strip_inline_comment(trim(line)));
  if (text.empty() || text.front() == '#') return std::nullopt;
  return text;
}

std::string download_name(const UrlEntry& e) {
  if (!e.name.empty()) return e.name;
  std::string_view url = e.url;
  if (const auto p = url.find("://"); p != std::string_view::npos) url.remove_prefix(p + 3);
  url = url.substr(0, url.find_first_of("?#"));
  const auto slash = url.rfind('/');
  const std::string_view last =
      slash == std::string_view::npos ? std::string_view{} : url.substr(slash + 1);
  std::string name;
  for (char c : last) {
    if (name.size() >= kMaxDerivedName) break;
    name.push_back(is_name_char(c) ? c : '_');
  }
  if (name.empty()) return "index.html";
  if (name == "." || name == "..") return std::string(name.size(), '_');
  return name;
}

std::string check_output_name(std::string_view name) {
  if (name.empty() || name.size() > 255) return "a NAME must be 1 to 255 bytes long";
  if (name == "." || name == "..") return "a NAME cannot be \".\" or \"..\"";
  for (char c : name) {
    if (c == '/') return "a NAME is one plain file name inside io.output, without '/'";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "a NAME cannot hold control bytes";
  }
  return "";
}

std::string parse_url_columns(std::string_view text, UrlEntry& out, bool download) {
  std::size_t at = 0;
  int column = 0;
  bool have_name = false;
  bool have_size = false;
  while (at < text.size()) {
    while (at < text.size() && is_blank(text[at])) ++at;
    if (at >= text.size()) break;
    std::size_t end = at;
    while (end < text.size() && !is_blank(text[end])) ++end;
    const std::string_view token = text.substr(at, end - at);
    at = end;
    ++column;
    if (column == 1) {
      out.url = std::string(token);
      continue;
    }
    const std::string where = "column " + std::to_string(column) + " " + shown(token) + ": ";
    const std::string_view key = column_key(token);
    if (key == "sha256" || key == "md5") {
      if (out.checksum.known()) return where + "a second checksum; " + kColumns;
      std::string why;
      const auto c = parse_checksum(token, why);
      if (!c) return where + why;
      out.checksum = *c;
    } else if (key == "size") {
      const std::string_view digits = token.substr(5);
      std::int64_t v = -1;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (have_size || digits.empty() || ec != std::errc{} ||
          ptr != digits.data() + digits.size() || v < 0) {
        return where +
               (have_size ? "a second size; " : "size:BYTES needs a whole number of bytes; ") +
               kColumns;
      }
      out.size = v;
      have_size = true;
    } else if (!key.empty() && key != "http" && key != "https") {
      return where + "unknown column \"" + std::string(key) + ":\"; " + kColumns;
    } else if (!download) {
      return where +
             "a NAME names the file io.download saves, and this job does not download; "
             "set --io.download (with --io.output DIR), or give only URL [size:BYTES] "
             "[sha256:HEX|md5:HEX]";
    } else {
      if (have_name) return where + "a second NAME; " + kColumns;
      if (const std::string why = check_output_name(token); !why.empty()) return where + why;
      out.name = std::string(token);
      have_name = true;
    }
  }
  return "";
}

}  // namespace fanout
