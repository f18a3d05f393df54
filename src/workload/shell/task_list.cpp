// Reading the task list, and GNU parallel's replacement strings applied to one input.
#include "workload/shell/task_list.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "cli/config_error.hpp"
#include "cli/text.hpp"

namespace fanout {
namespace {

/// Longest line accepted; a longer one is almost surely not a list of commands.
constexpr std::size_t kMaxLineBytes = 1 << 20;

/// GNU parallel's {.} (s:\.[^/.]*$::): drops the last "." and what follows it, unless a "/" does
/// (so "a." becomes "a", ".bashrc" "" and "a.b/c" stays).
std::string strip_extension(std::string_view s) {
  const auto dot = s.rfind('.');
  if (dot == std::string_view::npos || s.find('/', dot) != std::string_view::npos) {
    return std::string(s);
  }
  return std::string(s.substr(0, dot));
}

/// GNU parallel's {/} (s:.*/::): what follows the last "/" ("" for "a/").
std::string basename_of(std::string_view s) {
  const auto slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

/// GNU parallel's {//}: Perl's File::Basename::dirname, which follows dirname(1): trailing
/// slashes are no part of the last name ("a/b/" -> "a"), the slashes before it go with it
/// ("a//b" -> "a"), "/" and "//a" -> "/", "a" and "" -> ".".
std::string dirname_of(std::string_view s) {
  // fileparse(): everything up to the last "/" (with it), else "./"; and whether no name follows.
  const auto split = [](std::string_view p) {
    const auto slash = p.rfind('/');
    if (slash == std::string_view::npos) return std::pair<std::string, bool>("./", p.empty());
    return std::pair<std::string, bool>(std::string(p.substr(0, slash + 1)), slash + 1 == p.size());
  };
  const auto strip_slashes = [](std::string& d) {
    while (d.size() > 1 && d.back() == '/') d.pop_back();
  };
  auto [dir, no_name] = split(s);
  strip_slashes(dir);
  if (no_name) {
    dir = split(dir).first;
    strip_slashes(dir);
  }
  return dir;
}

/// Opens `path` for the list, refusing what is not a regular file (a FIFO would block forever).
std::ifstream open_list(const std::string& path, const std::string& key, const char* noun) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw TaskListError(key, std::string("cannot read it (") + std::strerror(errno) +
                                 "); give a file with one " + noun + " a line");
  }
  if (!S_ISREG(st.st_mode)) {
    throw TaskListError(
        key, std::string("not a regular file; give a file with one ") + noun + " a line");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TaskListError(key, std::string("cannot open it (") + std::strerror(errno) + ")");
  return in;
}

}  // namespace

std::string shell_quote(std::string_view word) {
  if (word.empty()) return "''";
  const bool plain = word.find_first_not_of(
                         "-_.+abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/") ==
                     std::string_view::npos;
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\"'\"'";
    } else {
      out += c;
    }
  }
  out += "'";
  // GNU parallel drops the empty '' a leading or trailing quote leaves.
  if (out.rfind("''", 0) == 0) out.erase(0, 2);
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, "''") == 0) out.resize(out.size() - 2);
  return out;
}

namespace {

using Kind = TaskList::Piece::Kind;

/// What the brace group {inner} stands for: GNU parallel's replacement strings, and {1} {1.} {1/}
/// {1//} {1/.} (the first input source's, which is the only one) as the same; nullopt for text.
/// Throws for {2} and the like: parallel's other input sources, which fanout does not read.
std::optional<Kind> replacement_kind(std::string_view inner) {
  if (inner == "#") return Kind::seq;
  if (inner == "%") return Kind::slot;
  const std::size_t digits = inner.find_first_not_of("0123456789");
  const std::string_view source = inner.substr(0, digits);
  const std::string_view rest = digits == std::string_view::npos ? "" : inner.substr(digits);
  std::optional<Kind> kind;
  if (rest.empty())
    kind = Kind::input;
  else if (rest == ".")
    kind = Kind::no_extension;
  else if (rest == "/")
    kind = Kind::basename;
  else if (rest == "//")
    kind = Kind::dirname;
  else if (rest == "/.")
    kind = Kind::basename_no_extension;
  if (!kind) return std::nullopt;  // as parallel: {..}, {foo}, {///} stay text
  // {1}, {01}: the value 1; leading zeros are allowed, as parallel reads the number.
  const bool first_source = source.empty() || (source.back() == '1' &&
                                               source.find_first_not_of('0') == source.size() - 1);
  if (!first_source) {
    throw TaskListError("shell.command",
                        "{" + std::string(inner) +
                            "}: fanout reads one input source, so {1} is the only numbered one; "
                            "give {} {.} {/} {//} {/.} {#} or {%}");
  }
  return kind;
}

}  // namespace

void TaskList::parse_template(std::string_view t) {
  // parallel quotes no replacement string when one is (part of) the command's first word, before
  // any space, tab, newline or "=": `{}` runs each input as a command, `my_{}` a name made of it.
  const std::size_t first_word_end = t.find_first_of(" \t\n=");
  bool any = false;
  std::string text;
  for (std::size_t i = 0; i < t.size();) {
    if (t.compare(i, 2, "{=") == 0 && t.find("=}", i + 2) != std::string_view::npos) {
      throw TaskListError("shell.command",
                          "{= ... =}: fanout has no Perl replacement strings; give {} {.} {/} "
                          "{//} {/.} {#} or {%}");
    }
    const std::size_t close = t[i] == '{' ? t.find('}', i + 1) : std::string_view::npos;
    const std::optional<Kind> kind = close == std::string_view::npos
                                         ? std::nullopt
                                         : replacement_kind(t.substr(i + 1, close - i - 1));
    if (!kind) {
      text += t[i++];
      continue;
    }
    if (!text.empty()) pieces_.push_back({Kind::text, std::move(text)});
    text.clear();
    pieces_.push_back({*kind, ""});
    any = true;
    uses_slot_ = uses_slot_ || *kind == Kind::slot;
    if (i < first_word_end) quote_ = false;
    i = close + 1;
  }
  if (!text.empty()) pieces_.push_back({Kind::text, std::move(text)});
  // As GNU parallel does, a template with no replacement string at all gets the input appended.
  if (!any) {
    pieces_.push_back({Kind::text, " "});
    pieces_.push_back({Kind::input, ""});
  }
}

void TaskList::check_template(const ShellSpec& spec) {
  if (!spec.command.empty()) TaskList().parse_template(spec.command);
}

TaskList::TaskList(const ShellSpec& spec) {
  if (!spec.command.empty()) parse_template(spec.command);
  auto bytes = std::make_shared<const std::string>(read_bytes(spec));
  view(*bytes);
  owner_ = std::move(bytes);
}

TaskList::TaskList(const ShellSpec& spec, std::shared_ptr<const void> owner, std::string_view bytes)
    : owner_(std::move(owner)) {
  if (!spec.command.empty()) parse_template(spec.command);
  view(bytes);
}

TaskList::Reading TaskList::read(const ShellSpec& spec) {
  const bool templated = !spec.command.empty();
  const std::string& path = templated ? spec.inputs_file : spec.tasks_file;
  const std::string key = templated ? "shell.inputs" : "shell.tasks";
  const char* noun = templated ? "input" : "command";
  std::ifstream in = open_list(path, key, noun);
  Reading r;
  std::string& text = r.text;
  std::vector<std::uint64_t>& offsets = r.offsets;
  offsets.push_back(0);
  std::vector<std::uint64_t>& lines = r.lines;  // each task's line number, once one was skipped
  // Read in blocks and split here, so that a file without newlines never becomes one huge line.
  std::string raw;
  std::size_t lineno = 0;
  bool skipped = false;
  const auto take_line = [&] {
    ++lineno;
    if (raw.find('\0') != std::string::npos) {
      throw TaskListError("", path + ":" + std::to_string(lineno) +
                                  ": a NUL byte: not a text file; give one " + noun + " a line");
    }
    // A CRLF file's carriage return is kept in the text (parallel_command() needs it) but is no
    // part of the line (line() drops it).
    if (!templated) {
      const std::string_view t = trim(raw);
      if (t.empty() || t.front() == '#') {
        // The first skipped line: every task so far sat on its own number.
        if (!skipped) {
          for (std::uint64_t i = 0; i + 1 < offsets.size(); ++i) lines.push_back(i + 1);
        }
        skipped = true;
        return;
      }
    }
    text += raw;
    offsets.push_back(text.size());
    if (skipped) lines.push_back(lineno);
  };
  char block[1 << 16];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    const std::string_view data(block, static_cast<std::size_t>(in.gcount()));
    for (std::size_t from = 0; from < data.size();) {
      const std::size_t nl = data.find('\n', from);
      const std::size_t end = nl == std::string_view::npos ? data.size() : nl;
      raw.append(data.substr(from, end - from));
      if (raw.size() > kMaxLineBytes) {
        throw TaskListError("", path + ":" + std::to_string(lineno + 1) + ": a line over " +
                                    std::to_string(kMaxLineBytes) +
                                    " bytes; give a text file with one " + noun + " a line");
      }
      if (nl == std::string_view::npos) break;
      take_line();
      raw.clear();
      from = nl + 1;
    }
  }
  if (!raw.empty()) take_line();  // a last line without its newline
  if (in.bad())
    throw TaskListError(key, std::string("cannot read it (") + std::strerror(errno) + ")");
  if (offsets.size() == 1) {
    throw TaskListError(key,
                        std::string("no ") +
                            (templated ? "inputs" : "commands (only blank lines and # comments)") +
                            "; give one " + noun + " a line");
  }
  return r;
}

std::uint64_t TaskList::Reading::bytes() const {
  return 8 * (2 + offsets.size() + lines.size()) + text.size();
}

void TaskList::Reading::write(char* into) const {
  // The block: counts, offsets, line numbers, text; the words first, so that they are aligned
  // wherever the block starts on an 8-byte boundary (a string's buffer, a page).
  const std::uint64_t head[2] = {offsets.size() - 1, lines.size()};
  // An empty vector's data() may be null, which memcpy must not be given even for 0 bytes.
  const auto put = [&into](const void* from, std::size_t n) {
    if (n > 0) std::memcpy(into, from, n);
    into += n;
  };
  put(head, sizeof head);
  put(offsets.data(), 8 * offsets.size());
  put(lines.data(), 8 * lines.size());
  put(text.data(), text.size());
}

std::string TaskList::read_bytes(const ShellSpec& spec) {
  const Reading r = read(spec);
  std::string out(r.bytes(), '\0');
  r.write(out.data());
  return out;
}

std::uint64_t TaskList::word(std::size_t i) const {
  std::uint64_t w = 0;
  std::memcpy(&w, bytes_.data() + 8 * i, 8);
  return w;
}

void TaskList::view(std::string_view bytes) {
  bytes_ = bytes;
  size_ = word(0);
  const std::size_t lines = word(1);
  lines_ = lines == 0 ? 0 : 2 + size_ + 1;
  text_ = bytes.substr(8 * (2 + size_ + 1 + lines));
}

std::optional<TaskId> TaskList::index_of(std::uint64_t seq) const {
  if (lines_ == 0) {
    if (seq < 1 || seq > size()) return std::nullopt;
    return seq - 1;
  }
  // Line numbers rise with the task: a binary search over them.
  TaskId lo = 0, hi = size_;
  while (lo < hi) {
    const TaskId mid = lo + (hi - lo) / 2;
    if (word(lines_ + mid) < seq) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == size_ || word(lines_ + lo) != seq) return std::nullopt;
  return lo;
}

std::string_view TaskList::raw_line(TaskId index) const {
  const std::uint64_t from = word(2 + index);
  return text_.substr(from, word(2 + index + 1) - from);
}

std::string_view TaskList::line(TaskId index) const {
  std::string_view in = raw_line(index);
  if (!in.empty() && in.back() == '\r') in.remove_suffix(1);
  return in;
}

std::string TaskList::command(TaskId index, int slot) const {
  return apply(line(index), index, slot);
}

std::string TaskList::parallel_command(TaskId index, int slot) const {
  return apply(raw_line(index), index, slot);
}

std::string TaskList::apply(std::string_view in, TaskId index, int slot) const {
  if (pieces_.empty()) return std::string(in);
  const auto value = [&](std::string_view v) { return quote_ ? shell_quote(v) : std::string(v); };
  std::string out;
  for (const Piece& p : pieces_) {
    using K = Piece::Kind;
    switch (p.kind) {
      case K::text:
        out += p.text;
        break;
      case K::input:
        out += value(in);
        break;
      case K::no_extension:
        out += value(strip_extension(in));
        break;
      case K::basename:
        out += value(basename_of(in));
        break;
      case K::dirname:
        out += value(dirname_of(in));
        break;
      case K::basename_no_extension:
        out += value(strip_extension(basename_of(in)));
        break;
      case K::seq:
        out += std::to_string(seq(index));
        break;
      case K::slot:
        out += std::to_string(slot);
        break;
    }
  }
  return out;
}

}  // namespace fanout
