// TaskList: command files and templates, GNU parallel's replacement strings and quoting, line
// numbers as sequence numbers, and the errors for bad lists.
#include "workload/shell/task_list.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "../../temp_dir.hpp"

namespace fanout {
namespace {

std::string write(const test::ScratchDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir / name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

ShellSpec tasks(const std::string& path) {
  ShellSpec s;
  s.tasks_file = path;
  return s;
}

ShellSpec templated(const std::string& command, const std::string& inputs) {
  ShellSpec s;
  s.command = command;
  s.inputs_file = inputs;
  return s;
}

/// The TaskListError `spec` throws: "KEY|message", or "" when it reads.
std::string list_error(const ShellSpec& spec) {
  try {
    TaskList list(spec);
  } catch (const TaskListError& e) {
    return e.key + "|" + e.what();
  }
  return "";
}

TEST(TaskList, CommandFileSkipsCommentsAndBlankLinesAndNumbersTasksByLine) {
  test::ScratchDir dir;
  const TaskList list(tasks(write(dir, "t.txt", "echo a\n# comment\n\n  \necho b  \r\nexit 3")));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.command(0, 1), "echo a");
  EXPECT_EQ(list.command(1, 1), "echo b  ");
  EXPECT_EQ(list.command(2, 1), "exit 3") << "a last line without newline is a task";
  EXPECT_EQ(list.seq(0), 1u);
  EXPECT_EQ(list.seq(1), 5u) << "a task's number is its line, as GNU parallel counts lines";
  EXPECT_EQ(list.seq(2), 6u);
  EXPECT_EQ(list.index_of(5), std::optional<TaskId>(1));
  EXPECT_EQ(list.index_of(2), std::nullopt) << "a comment line holds no task";
  EXPECT_EQ(list.index_of(7), std::nullopt);
  EXPECT_FALSE(list.uses_slot());
}

TEST(TaskList, WithoutSkippedLinesTaskNumbersAreIndexPlusOne) {
  test::ScratchDir dir;
  const TaskList list(tasks(write(dir, "t.txt", "a\nb\nc\n")));
  EXPECT_EQ(list.seq(2), 3u);
  EXPECT_EQ(list.index_of(1), std::optional<TaskId>(0));
  EXPECT_EQ(list.index_of(0), std::nullopt);
  EXPECT_EQ(list.index_of(4), std::nullopt);
}

TEST(TaskList, ReplacementStringsAsGnuParallelDefinesThem) {
  test::ScratchDir dir;
  const std::string inputs =
      write(dir, "in.txt", "dir/sub/file.tar.gz\nplain\n.bashrc\n/abs.d/x\n");
  const TaskList list(templated("c {} {.} {/} {//} {/.} {#} {%}", inputs));
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list.command(0, 3),
            "c dir/sub/file.tar.gz dir/sub/file.tar file.tar.gz dir/sub file.tar 1 3");
  EXPECT_EQ(list.command(1, 1), "c plain plain plain . plain 2 1");
  EXPECT_EQ(list.command(2, 2), "c .bashrc '' .bashrc . '' 3 2")
      << "{.} of .bashrc is empty, as in parallel";
  EXPECT_EQ(list.command(3, 1), "c /abs.d/x /abs.d/x x /abs.d x 4 1")
      << "a dot before the last / is no extension";
  EXPECT_TRUE(list.uses_slot());
}

TEST(TaskList, InputsAreQuotedForTheShell) {
  test::ScratchDir dir;
  const std::string inputs = write(dir, "in.txt", "a b\nit's\n$(rm -rf /)\n\nx;y|z\n");
  const TaskList list(templated("echo {}", inputs));
  ASSERT_EQ(list.size(), 5u) << "a blank input is an input, as in parallel";
  EXPECT_EQ(list.command(0, 1), "echo 'a b'");
  EXPECT_EQ(list.command(1, 1), "echo 'it'\"'\"'s'");
  EXPECT_EQ(list.command(2, 1), "echo '$(rm -rf /)'");
  EXPECT_EQ(list.command(3, 1), "echo ''");
  EXPECT_EQ(list.command(4, 1), "echo 'x;y|z'");
}

TEST(TaskList, TemplateWithoutReplacementStringGetsTheInputAppended) {
  test::ScratchDir dir;
  const std::string inputs = write(dir, "in.txt", "f 1\n");
  EXPECT_EQ(TaskList(templated("gzip -9", inputs)).command(0, 1), "gzip -9 'f 1'");
  EXPECT_EQ(TaskList(templated("echo {..} {foo}", inputs)).command(0, 1), "echo {..} {foo} 'f 1'")
      << "text in braces is no replacement string";
  // As parallel: {#} and {%} are replacement strings too, so nothing is appended.
  EXPECT_EQ(TaskList(templated("gzip -9 --name={#}", inputs)).command(0, 1), "gzip -9 --name=1");
  EXPECT_EQ(TaskList(templated("echo {%}", inputs)).command(0, 4), "echo 4");
}

TEST(TaskList, BracesThatAreNoReplacementStringStayText) {
  test::ScratchDir dir;
  const TaskList list(templated("awk '{print $1}' {} ${HOME}", write(dir, "in.txt", "x\n")));
  EXPECT_EQ(list.command(0, 1), "awk '{print $1}' x ${HOME}");
  // GNU parallel keeps what it does not know as text: --plus strings, typos, {{}}.
  const TaskList other(
      templated("c {} {..} {///} {/./} {##} {+.} {foo} { } {{}} {}}", write(dir, "b.txt", "a\n")));
  EXPECT_EQ(other.command(0, 1), "c a {..} {///} {/./} {##} {+.} {foo} { } {a} a}");
}

TEST(TaskList, ExtensionOfNamesEndingInADotIsTheDot) {
  // parallel's {.} is s:\.[^/.]*$:: : an empty extension is an extension.
  test::ScratchDir dir;
  const TaskList list(
      templated("c {.} {/.}", write(dir, "in.txt", "a.\nfoo.tar.\n.\n..\na/.\nd.x/\n")));
  EXPECT_EQ(list.command(0, 1), "c a a");
  EXPECT_EQ(list.command(1, 1), "c foo.tar foo.tar");
  EXPECT_EQ(list.command(2, 1), "c '' ''");
  EXPECT_EQ(list.command(3, 1), "c . .");
  EXPECT_EQ(list.command(4, 1), "c a/ ''");
  EXPECT_EQ(list.command(5, 1), "c d.x/ ''");
}

TEST(TaskList, DirnameIsPerlsDirnameAsInParallel) {
  // parallel's {//} is File::Basename::dirname: trailing slashes are dropped first.
  const std::vector<std::pair<std::string, std::string>> cases{
      {"a/b", "a"}, {"a/b/", "a"}, {"a//b", "a"},   {"a/b//", "a"}, {"a///b///c///", "a///b"},
      {"/", "/"},   {"//", "/"},   {"//a", "/"},    {"/a/", "/"},   {"a", "."},
      {"a/", "."},  {"", "."},     {"a/./b", "a/."}};
  test::ScratchDir dir;
  std::string inputs;
  for (const auto& c : cases) inputs += c.first + "\n";
  const TaskList list(templated("c {//}", write(dir, "in.txt", inputs)));
  ASSERT_EQ(list.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(list.command(i, 1), "c " + cases[i].second) << "{//} of '" << cases[i].first << "'";
  }
}

TEST(TaskList, ReplacementStringInTheFirstWordIsNotQuoted) {
  // parallel: "if the command starts with a replacement string, then the string is not quoted";
  // the first word ends at a space, tab, newline or "=", and then no replacement string is.
  test::ScratchDir dir;
  const std::string inputs = write(dir, "in.txt", "echo a b\n");
  EXPECT_EQ(TaskList(templated("{}", inputs)).command(0, 1), "echo a b");
  EXPECT_EQ(TaskList(templated("{} {}", inputs)).command(0, 1), "echo a b echo a b");
  EXPECT_EQ(TaskList(templated("my_{#} {}", inputs)).command(0, 1), "my_1 echo a b");
  EXPECT_EQ(TaskList(templated(" {}", inputs)).command(0, 1), " 'echo a b'");
  EXPECT_EQ(TaskList(templated("V={} sh", inputs)).command(0, 1), "V='echo a b' sh");
  EXPECT_EQ(TaskList(templated("echo {}", inputs)).command(0, 1), "echo 'echo a b'");
}

TEST(TaskList, NumberedReplacementStringsOfTheOneInputSource) {
  test::ScratchDir dir;
  const std::string inputs = write(dir, "in.txt", "d/f.x\n");
  EXPECT_EQ(TaskList(templated("c {1} {1.} {1/} {1//} {1/.} {01}", inputs)).command(0, 1),
            "c d/f.x d/f f.x d f d/f.x");
  EXPECT_EQ(list_error(templated("c {2}", inputs)),
            "shell.command|{2}: fanout reads one input source, so {1} is the only numbered one; "
            "give {} {.} {/} {//} {/.} {#} or {%}");
  EXPECT_EQ(list_error(templated("c {= s/x/y/ =}", inputs)),
            "shell.command|{= ... =}: fanout has no Perl replacement strings; give {} {.} {/} "
            "{//} {/.} {#} or {%}");
}

TEST(TaskList, CarriageReturnOfACrlfFileIsDroppedButKnownForParallelsJoblog) {
  test::ScratchDir dir;
  const TaskList list(tasks(write(dir, "t.txt", "echo a\r\n\r\necho b\n")));
  ASSERT_EQ(list.size(), 2u) << "a line of only a carriage return is blank";
  EXPECT_EQ(list.command(0, 1), "echo a");
  EXPECT_EQ(list.parallel_command(0, 1), "echo a\r");
  EXPECT_EQ(list.parallel_command(1, 1), "echo b");
  const TaskList t(templated("echo {}", write(dir, "in.txt", "x y\r\nz\r\n")));
  EXPECT_EQ(t.command(0, 1), "echo 'x y'");
  EXPECT_EQ(t.parallel_command(0, 1), "echo 'x y\r'");
  EXPECT_EQ(t.command(1, 1), "echo z");
  EXPECT_EQ(t.parallel_command(1, 1), "echo 'z\r'");
}

TEST(TaskList, MultiLineTemplateIsOneCommand) {
  test::ScratchDir dir;
  const TaskList list(templated("cd {//}\nmake {/}", write(dir, "in.txt", "src/a b\n")));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.command(0, 1), "cd src\nmake 'a b'");
}

TEST(ShellQuote, MatchesGnuParallel) {
  EXPECT_EQ(shell_quote("plain-_.+/09"), "plain-_.+/09");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("'"), "\"'\"");
  EXPECT_EQ(shell_quote("'a'"), "\"'\"'a'\"'\"");
  EXPECT_EQ(shell_quote("a'"), "'a'\"'\"");
}

TEST(TaskList, BadListsNameTheOptionOrTheFileLine) {
  test::ScratchDir dir;
  EXPECT_EQ(list_error(tasks((dir / "missing.txt"))),
            "shell.tasks|cannot read it (No such file or directory); give a file with one command "
            "a line");
  EXPECT_EQ(list_error(tasks(dir.path().string())),
            "shell.tasks|not a regular file; give a file with one command a line");
  EXPECT_EQ(list_error(tasks(write(dir, "empty.txt", ""))),
            "shell.tasks|no commands (only blank lines and # comments); give one command a line");
  EXPECT_EQ(list_error(tasks(write(dir, "c.txt", "# only\n\n"))),
            "shell.tasks|no commands (only blank lines and # comments); give one command a line");
  const std::string bin = write(dir, "bin.txt", std::string("ok\nab\0cd\n", 9));
  EXPECT_EQ(list_error(tasks(bin)),
            "|" + bin + ":2: a NUL byte: not a text file; give one command a line");
  const std::string huge = write(dir, "huge.txt", "x\n" + std::string(2 << 20, 'a'));
  EXPECT_EQ(list_error(tasks(huge)),
            "|" + huge + ":2: a line over 1048576 bytes; give a text file with one command a line");
  EXPECT_EQ(list_error(templated("c {x}", write(dir, "in.txt", "a\n"))), "");
  EXPECT_EQ(
      list_error(templated("c {}", (dir / "none.txt"))),
      "shell.inputs|cannot read it (No such file or directory); give a file with one input a line");
}

TEST(TaskList, FifoIsRefusedWithoutBlocking) {
  test::ScratchDir dir;
  const std::string fifo = (dir / "fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(list_error(tasks(fifo)),
            "shell.tasks|not a regular file; give a file with one command a line");
}

}  // namespace
}  // namespace fanout

namespace fanout {
namespace {

TEST(TaskList, AListOverTheReadersBytesIsTheSameList) {
  test::ScratchDir dir;
  const ShellSpec spec = tasks(write(dir, "t.txt", "# head\necho a\n\necho 'b c'\r\n#x\nexit 3"));
  const TaskList read(spec);
  // What rank 0 sends: the list as one block, which another rank indexes without the file.
  auto bytes = std::make_shared<const std::string>(TaskList::read_bytes(spec));
  std::filesystem::remove(spec.tasks_file);
  const TaskList shared(spec, bytes, *bytes);
  ASSERT_EQ(shared.size(), read.size());
  for (TaskId i = 0; i < read.size(); ++i) {
    EXPECT_EQ(shared.command(i, 1), read.command(i, 1));
    EXPECT_EQ(shared.parallel_command(i, 1), read.parallel_command(i, 1));
    EXPECT_EQ(shared.seq(i), read.seq(i));
    EXPECT_EQ(shared.index_of(read.seq(i)), std::optional<TaskId>(i));
  }
  EXPECT_EQ(shared.seq(1), 4u);
  EXPECT_EQ(shared.index_of(3), std::nullopt);
  EXPECT_EQ(shared.parallel_command(1, 1), "echo 'b c'\r");
}

TEST(TaskList, ATemplateOverTheReadersBytes) {
  test::ScratchDir dir;
  const ShellSpec spec = templated("gzip -k {} # {#} {%}", write(dir, "in.txt", "a b.txt\nc\n"));
  auto bytes = std::make_shared<const std::string>(TaskList::read_bytes(spec));
  const TaskList shared(spec, bytes, *bytes);
  ASSERT_EQ(shared.size(), 2u);
  EXPECT_EQ(shared.command(0, 3), "gzip -k 'a b.txt' # 1 3");
  EXPECT_TRUE(shared.uses_slot());
  // The template is checked apart from the file (every rank does, before rank 0 reads it).
  EXPECT_NO_THROW(TaskList::check_template(spec));
  EXPECT_THROW(TaskList::check_template(templated("x {2}", "none")), TaskListError);
}

}  // namespace
}  // namespace fanout
