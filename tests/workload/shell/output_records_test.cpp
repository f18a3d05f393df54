// The farm's output records: the header's bytes, a rank's file written and read back, a record
// a kill cut short (ignored by the reader, cut by the next writer), and a file of something else.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../temp_dir.hpp"
#include "cli/config_error.hpp"
#include "workload/shell/output_index.hpp"
#include "workload/shell/output_log.hpp"

namespace fanout {
namespace {

/// A file holding `text`, open for reading: what a spool is when an attempt ends.
struct Spool {
  int fd = -1;
  Spool(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  ~Spool() { ::close(fd); }
};

OutputRecordHeader header(std::uint64_t seq, std::uint32_t attempt, std::uint64_t end_ns) {
  OutputRecordHeader h;
  h.seq = seq;
  h.attempt = attempt;
  h.rank = 3;
  h.end_ns = end_ns;
  return h;
}

struct Logs {
  test::ScratchDir dir{"records"};
  std::string logs = dir / "logs";
  Logs() { std::filesystem::create_directories(output_records_dir(logs)); }
  std::string file(int rank) const { return output_records_path(logs, rank); }
  void append(int rank, const OutputRecordHeader& h, const std::string& out,
              const std::string& err) {
    RankOutputLog log(file(rank));
    const Spool o(dir / "o", out), e(dir / "e", err);
    ASSERT_TRUE(log.append(
        h, {{OutputStream::out, o.fd, out.size()}, {OutputStream::err, e.fd, err.size()}}));
  }
  std::string print(std::uint64_t seq, OutputStream s, std::size_t attempt = 0) const {
    const OutputIndex index(logs);
    const auto attempts = index.attempts(seq);
    if (attempts.empty()) return "(none)";
    std::ostringstream out;
    EXPECT_TRUE(index.copy(attempts[attempt ? attempt - 1 : attempts.size() - 1], s, out));
    return out.str();
  }
};

TEST(OutputRecord, HeaderRoundTripsThroughItsFortyBytes) {
  OutputRecordHeader h = header(4'000'000'123, 7, 1'796'685'557'000'000'001);
  h.stream = OutputStream::err;
  h.bytes = (1ull << 40) + 5;
  const auto bytes = encode_header(h);
  ASSERT_EQ(bytes.size(), 40u);
  EXPECT_EQ(std::string(bytes.data(), 4), "FOR1");
  const auto back = decode_header(bytes.data());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->seq, h.seq);
  EXPECT_EQ(back->attempt, 7u);
  EXPECT_EQ(back->rank, 3u);
  EXPECT_EQ(back->end_ns, h.end_ns);
  EXPECT_EQ(back->stream, OutputStream::err);
  EXPECT_EQ(back->bytes, h.bytes);
  auto wrong = bytes;
  wrong[0] = 'X';
  EXPECT_FALSE(decode_header(wrong.data()));
}

TEST(OutputRecord, EachTasksLastAttemptAcrossRanksAndRuns) {
  Logs l;
  l.append(0, header(1, 1, 100), "one\n", "");
  l.append(1, header(2, 1, 110), "", "two-err\n");
  l.append(0, header(2, 2, 120), "two-again\n", "");
  // A resumed run numbers its attempts from 1 again: the later end decides.
  l.append(1, header(1, 1, 300), "one-resumed\n", "warn\n");
  const OutputIndex index(l.logs);
  const auto tasks = index.tasks();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks.at(1).attempts, 2u);
  EXPECT_EQ(tasks.at(1).last.out.bytes, 12u);
  EXPECT_EQ(tasks.at(1).last.err.bytes, 5u);
  EXPECT_EQ(tasks.at(2).last.out.bytes, 10u);
  EXPECT_EQ(tasks.at(2).last.err.bytes, 0u);
  EXPECT_EQ(l.print(1, OutputStream::out), "one-resumed\n");
  EXPECT_EQ(l.print(1, OutputStream::out, 1), "one\n");
  EXPECT_EQ(l.print(1, OutputStream::err), "warn\n");
  EXPECT_EQ(l.print(2, OutputStream::err, 1), "two-err\n");
  EXPECT_EQ(l.print(2, OutputStream::err), "") << "the last attempt wrote no stderr";
  EXPECT_EQ(l.print(3, OutputStream::out), "(none)");
  EXPECT_TRUE(index.notes().empty());
  EXPECT_EQ(render_output_list(tasks),
            "task\tattempts\tstdout_bytes\tstderr_bytes\trank\n1\t2\t12\t5\t3\n2\t2\t10\t0\t3\n");
}

TEST(OutputRecord, ATornLastRecordIsIgnoredThenCutByTheNextWriter) {
  Logs l;
  l.append(0, header(1, 1, 100), "whole\n", "");
  {
    // A kill mid-copy: a header that promises 100 bytes, 3 of them written.
    OutputRecordHeader h = header(2, 1, 200);
    h.bytes = 100;
    const auto bytes = encode_header(h);
    std::ofstream out(l.file(0), std::ios::app | std::ios::binary);
    out.write(bytes.data(), bytes.size());
    out << "cut";
  }
  {
    const OutputIndex index(l.logs);
    EXPECT_EQ(index.tasks().size(), 1u);
    ASSERT_EQ(index.notes().size(), 1u);
    EXPECT_NE(describe(index.notes()[0]).find("cut short"), std::string::npos);
    EXPECT_NE(describe(index.notes()[0]).find("43 bytes"), std::string::npos);
  }
  RankOutputLog reopened(l.file(0));
  EXPECT_EQ(reopened.cut_bytes(), 43u);
  const Spool o(l.dir / "o", "rerun\n");
  ASSERT_TRUE(reopened.append(header(2, 1, 300), {{OutputStream::out, o.fd, 6}}));
  EXPECT_EQ(l.print(2, OutputStream::out), "rerun\n");
  EXPECT_EQ(l.print(1, OutputStream::out), "whole\n");
  EXPECT_TRUE(OutputIndex(l.logs).notes().empty());
}

TEST(OutputRecord, AFileOfSomethingElseIsRefusedByTheWriterAndNotedByTheReader) {
  Logs l;
  std::ofstream(l.file(0)) << "not records, but longer than one header of forty bytes\n";
  EXPECT_THROW(RankOutputLog{l.file(0)}, ConfigError);
  const OutputIndex index(l.logs);
  EXPECT_TRUE(index.tasks().empty());
  ASSERT_EQ(index.notes().size(), 1u);
  EXPECT_NE(describe(index.notes()[0]).find("not fanout's output records"), std::string::npos);
}

TEST(OutputRecord, LogsWithoutRecordsSayWhereFilesModeKeepsOutput) {
  test::ScratchDir dir{"records"};
  try {
    OutputIndex index(dir / "");
    FAIL() << "no LOGS/output accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("LOGS/B/N.out"), std::string::npos) << e.what();
  }
}

TEST(OutputRecord, CopyRangeCopiesWhatItIsAskedAndNoMore) {
  test::ScratchDir dir{"records"};
  const Spool from(dir / "from", std::string(200'000, 'x') + "tail");
  const int to = ::open((dir / "to").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(to, 0);
  ASSERT_TRUE(copy_range(from.fd, to, 10, 200'004));
  const std::string got = test::slurp(dir / "to");
  EXPECT_EQ(got.size(), 200'014u);
  EXPECT_EQ(got.substr(got.size() - 5), "xtail");
  EXPECT_FALSE(copy_range(from.fd, to, 0, 300'000)) << "the source holds fewer bytes";
  ::close(to);
}

}  // namespace
}  // namespace fanout
