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
constexpr const char* kReplacements = "{} {.} {/} {//} {/.} {#} {%}";

/// GNU parallel's {.}: drops a final "." and the characters after it up to the end, if none of them
/// is a "/" or "." (so ".bashrc" becomes "" and "a.b/c" stays).
std::string strip_extension(std::string_view s) {
  const auto dot = s.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == s.size() ||
      s.find('/', dot) != std::string_view::npos) {
    return std::string(s);
  }
  return std::string(s.substr(0, dot));
}

std::string basename_of(std::string_view s) {
  const auto slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

std::string dirname_of(std::string_view s) {
  const auto slash = s.rfind('/');
  if (slash == std::string_view::npos) return ".";
  return slash == 0 ? "/" : std::string(s.substr(0, slash));
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

TaskList::TaskList(const ShellSpec& spec) {
  const bool templated = !spec.command.empty();
  const std::string& path = templated ? spec.inputs_file : spec.tasks_file;
  const std::string key = templated ? "shell.inputs" : "shell.tasks";
  const char* noun = templated ? "input" : "command";
  if (templated) {
    // The template's pieces; a brace group of only . / # % characters is a replacement string.
    std::string_view t = spec.command;
    bool has_input = false;
    std::string text;
    for (std::size_t i = 0; i < t.size();) {
      const std::size_t close = t[i] == '{' ? t.find('}', i) : std::string_view::npos;
      const std::string_view inner =
          close == std::string_view::npos ? std::string_view() : t.substr(i + 1, close - i - 1);
      if (close == std::string_view::npos ||
          inner.find_first_not_of("./#%") != std::string_view::npos) {
        text += t[i++];
        continue;
      }
      using K = Piece::Kind;
      K kind;
      if (inner.empty())
        kind = K::input;
      else if (inner == ".")
        kind = K::no_extension;
      else if (inner == "/")
        kind = K::basename;
      else if (inner == "//")
        kind = K::dirname;
      else if (inner == "/.")
        kind = K::basename_no_extension;
      else if (inner == "#")
        kind = K::seq;
      else if (inner == "%")
        kind = K::slot;
      else {
        throw TaskListError("shell.command", "unknown replacement string {" + std::string(inner) +
                                                 "}; valid: " + kReplacements);
      }
      if (!text.empty()) pieces_.push_back({K::text, std::move(text)});
      text.clear();
      pieces_.push_back({kind, ""});
      has_input = has_input || (kind != K::seq && kind != K::slot);
      uses_slot_ = uses_slot_ || kind == K::slot;
      i = close + 1;
    }
    if (!text.empty()) pieces_.push_back({Piece::Kind::text, std::move(text)});
    // As GNU parallel does, a template that names no input gets it appended.
    if (!has_input) {
      pieces_.push_back({Piece::Kind::text, " "});
      pieces_.push_back({Piece::Kind::input, ""});
    }
  }

  std::ifstream in = open_list(path, key, noun);
  // Read in blocks and split here, so that a file without newlines never becomes one huge line.
  std::string raw;
  std::size_t lineno = 0;
  bool skipped = false;  // a line was skipped: lines_ holds each task's line number
  const auto take_line = [&] {
    ++lineno;
    if (raw.find('\0') != std::string::npos) {
      throw TaskListError("", path + ":" + std::to_string(lineno) +
                                  ": a NUL byte: not a text file; give one " + noun + " a line");
    }
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (!templated) {
      const std::string_view t = trim(raw);
      if (t.empty() || t.front() == '#') {
        // The first skipped line: every task so far sat on its own number.
        if (lines_.empty()) {
          for (TaskId i = 0; i < size(); ++i) lines_.push_back(i + 1);
        }
        skipped = true;
        return;
      }
    }
    text_ += raw;
    offsets_.push_back(text_.size());
    if (skipped) lines_.push_back(lineno);
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
  text_.shrink_to_fit();
  offsets_.shrink_to_fit();
  lines_.shrink_to_fit();
  if (in.bad())
    throw TaskListError(key, std::string("cannot read it (") + std::strerror(errno) + ")");
  if (size() == 0) {
    throw TaskListError(key,
                        std::string("no ") +
                            (templated ? "inputs" : "commands (only blank lines and # comments)") +
                            "; give one " + noun + " a line");
  }
}

std::optional<TaskId> TaskList::index_of(std::uint64_t seq) const {
  if (lines_.empty()) {
    if (seq < 1 || seq > size()) return std::nullopt;
    return seq - 1;
  }
  const auto it = std::lower_bound(lines_.begin(), lines_.end(), seq);
  if (it == lines_.end() || *it != seq) return std::nullopt;
  return static_cast<TaskId>(it - lines_.begin());
}

std::string_view TaskList::line(TaskId index) const {
  return std::string_view(text_).substr(offsets_[index], offsets_[index + 1] - offsets_[index]);
}

std::string TaskList::command(TaskId index, int slot) const {
  const std::string_view in = line(index);
  if (pieces_.empty()) return std::string(in);
  std::string out;
  for (const Piece& p : pieces_) {
    using K = Piece::Kind;
    switch (p.kind) {
      case K::text:
        out += p.text;
        break;
      case K::input:
        out += shell_quote(in);
        break;
      case K::no_extension:
        out += shell_quote(strip_extension(in));
        break;
      case K::basename:
        out += shell_quote(basename_of(in));
        break;
      case K::dirname:
        out += shell_quote(dirname_of(in));
        break;
      case K::basename_no_extension:
        out += shell_quote(strip_extension(basename_of(in)));
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
