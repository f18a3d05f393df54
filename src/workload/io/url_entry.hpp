// UrlEntry: one line of a URL list, "URL [NAME] [size:BYTES] [sha256:HEX|md5:HEX]", parsed and
// checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "workload/io/digest.hpp"

namespace fanout {

/// One entry of the list: where to fetch it from, and what a download of it must come out as.
struct UrlEntry {
  std::string url;
  std::string name;        ///< output file name (NAME column); "" derives it from the URL
  std::int64_t size = -1;  ///< expected bytes (size:BYTES column); -1 unknown
  Checksum checksum;       ///< expected digest (sha256:HEX or md5:HEX column)
  std::uint64_t line = 0;  ///< line in the URL file (1-based); 0 for --io.url
};

/// The text of a URL-file line without its comment and surrounding blanks, or nullopt when the
/// line holds no entry (blank, or a comment). A comment starts at a '#' that begins the line or
/// follows a space or tab (a '#' inside a URL is its fragment).
std::optional<std::string_view> url_line_content(std::string_view line);

/// Splits `text` (a line's content) into its columns: the URL first, then, in any order, at most
/// one NAME, one size:BYTES and one sha256:HEX or md5:HEX, separated by spaces or tabs. The URL is
/// not checked here (check_http_url does). A NAME says where io.download saves the file: without
/// `download` there is no such file, and a NAME is refused rather than ignored (size and checksum
/// columns are checked on any fetch). Returns "" and fills `out`, or what is wrong and what is
/// valid.
std::string parse_url_columns(std::string_view text, UrlEntry& out, bool download = true);

/// The final file name of `e`: its NAME column, else the URL path's last segment (bytes outside
/// [A-Za-z0-9._-] as '_', at most 200 bytes), else "index.html".
std::string download_name(const UrlEntry& e);

/// Why `name` cannot be an output file name ("" when it can): it must be one plain file name,
/// 1..255 bytes, not "." or "..", without '/', NUL or control bytes.
std::string check_output_name(std::string_view name);

}  // namespace fanout
