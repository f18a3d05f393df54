// The download's pure parts: list columns, checksums, digests, names, the journal.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/config_error.hpp"
#include "test_support.hpp"
#include "workload/group_commit_log.hpp"
#include "workload/io/digest.hpp"
#include "workload/io/download_journal.hpp"
#include "workload/io/host_gate.hpp"
#include "workload/io/staging.hpp"
#include "workload/io/url_entry.hpp"

namespace fanout {
namespace {

constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kAbcMd5 = "900150983cd24fb0d6963f7d28e17f72";

TEST(UrlColumns, UrlAloneOrWithNameSizeAndChecksumInAnyOrder) {
  UrlEntry e;
  EXPECT_EQ(parse_url_columns("http://a.example/x", e), "");
  EXPECT_EQ(e.url, "http://a.example/x");
  EXPECT_EQ(e.name, "");
  EXPECT_EQ(e.size, -1);
  EXPECT_FALSE(e.checksum.known());
  UrlEntry f;
  EXPECT_EQ(parse_url_columns(
                std::string("http://a.example/x\tsha256:") + kAbcSha256 + "  data.bin size:3", f),
            "");
  EXPECT_EQ(f.name, "data.bin");
  EXPECT_EQ(f.size, 3);
  EXPECT_EQ(f.checksum.algo, DigestAlgo::sha256);
  EXPECT_EQ(f.checksum.hex, kAbcSha256);
  UrlEntry g;
  EXPECT_EQ(parse_url_columns("http://a.example/x md5:900150983CD24FB0D6963F7D28E17F72", g), "");
  EXPECT_EQ(g.checksum.hex, kAbcMd5) << "hex is kept in lower case";
}

TEST(UrlColumns, BadColumnsSayWhichAndWhatIsValid) {
  const auto error = [](const char* text) {
    UrlEntry e;
    return parse_url_columns(text, e);
  };
  EXPECT_NE(error("http://a/ sha256:abc").find("column 2"), std::string::npos);
  EXPECT_NE(error("http://a/ sha256:abc").find("64 hex digits, got 3"), std::string::npos);
  EXPECT_NE(error("http://a/ md5:zz900150983cd24fb0d6963f7d28e17f").find("not all hex"),
            std::string::npos);
  EXPECT_NE(error("http://a/ sha1:00").find("unknown column \"sha1:\""), std::string::npos);
  EXPECT_NE(error("http://a/ a b").find("a second NAME"), std::string::npos);
  EXPECT_NE(error("http://a/ size:1 size:2").find("a second size"), std::string::npos);
  EXPECT_NE(error("http://a/ size:x").find("size:BYTES"), std::string::npos);
  EXPECT_NE(error("http://a/ ../etc").find("without '/'"), std::string::npos);
  EXPECT_NE(error("http://a/ ..").find("cannot be"), std::string::npos);
  const std::string two = std::string("http://a/ md5:") + kAbcMd5 + " md5:" + kAbcMd5;
  EXPECT_NE(error(two.c_str()).find("a second checksum"), std::string::npos);
  EXPECT_NE(error("http://a/ x").find(""), std::string::npos);
  EXPECT_EQ(error("http://a/ x"), "");
}

TEST(UrlColumns, ANameOnlyWhereADownloadSavesTheFile) {
  UrlEntry e;
  const std::string error = parse_url_columns("http://a/x size:3 data.bin", e, false);
  EXPECT_EQ(error.rfind("column 3 data.bin: a NAME names the file io.download saves", 0), 0u)
      << error;
  UrlEntry f;
  EXPECT_EQ(parse_url_columns(std::string("http://a/x size:3 md5:") + kAbcMd5, f, false), "");
  EXPECT_EQ(f.size, 3);
  EXPECT_EQ(f.checksum.hex, kAbcMd5);
  EXPECT_EQ(f.name, "");
}

TEST(UrlColumns, LineContentSkipsCommentsAndBlanks) {
  EXPECT_FALSE(url_line_content("  # note"));
  EXPECT_FALSE(url_line_content("   "));
  EXPECT_EQ(*url_line_content(" http://a/#frag name  # note\r"), "http://a/#frag name");
}

TEST(Digest, KnownVectorsInPiecesAndAfterReset) {
  Digest sha(DigestAlgo::sha256);
  sha.update("a", 1);
  sha.update("bc", 2);
  EXPECT_EQ(sha.hex_final(), kAbcSha256);
  sha.reset();
  sha.update("abc", 3);
  EXPECT_EQ(sha.hex_final(), kAbcSha256);
  Digest md5(DigestAlgo::md5);
  md5.update("abc", 3);
  EXPECT_EQ(md5.hex_final(), kAbcMd5);
  std::string why;
  EXPECT_FALSE(parse_checksum("crc32:00", why));
  EXPECT_NE(why.find("sha256:HEX"), std::string::npos);
}

TEST(DownloadName, NameColumnElseTheUrlsLastSegmentSanitised) {
  UrlEntry e;
  e.url = "https://data.example/a/b/file%201.nc?token=x#y";
  EXPECT_EQ(download_name(e), "file_201.nc");
  e.url = "https://data.example/dir/";
  EXPECT_EQ(download_name(e), "index.html");
  e.url = "https://data.example/..";
  EXPECT_EQ(download_name(e), "__");
  e.name = "chosen.bin";
  EXPECT_EQ(download_name(e), "chosen.bin");
}

TEST(Journal, RoundTripSkipsACutLastLineAndRefusesAnotherList) {
  test::ScratchDir dir;
  const std::string path = (dir.path() / "journal").string();
  {
    JournalWriter w(std::make_shared<GroupCommitLog>(path, "--io.journal", journal_header()));
    EXPECT_TRUE(w.append({2, 100, std::string("sha256:") + kAbcSha256, "b.bin", "http://a/b"}));
    EXPECT_TRUE(w.append({5, 7, "", "e.bin", "http://a/e"}));
    EXPECT_TRUE(w.append({2, 100, "", "b.bin", "http://a/b"}));
  }
  std::ofstream(path, std::ios::app) << "3\t9\t-\tc.bin\thttp://a/c";  // a kill mid-write
  const JournalRecord r = read_journal(path, 6);
  EXPECT_EQ(r.count, 2u);
  EXPECT_EQ(r.bytes, 107u);
  EXPECT_TRUE(r.finished[1]);
  EXPECT_TRUE(r.finished[4]);
  EXPECT_FALSE(r.finished[2]) << "a line without its newline is no finished file";
  EXPECT_EQ(read_journal((dir.path() / "none").string(), 3).count, 0u);
  try {
    read_journal(path, 4);
    FAIL() << "entry 5 of a 4-entry list";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ":3: entry 5 is beyond", 0), 0u) << e.what();
  }
  std::ofstream(path, std::ios::app) << "\nnot a line\n";
  try {
    read_journal(path, 6);
    FAIL() << "a bad line";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(":6: not a download journal line"), std::string::npos)
        << e.what();
  }
}

TEST(Journal, ARecordTravelsAsABitmap) {
  JournalRecord r;
  r.finished.assign(11, false);
  r.finished[0] = r.finished[7] = r.finished[8] = r.finished[10] = true;
  r.count = 4;
  r.bytes = 1234567;
  const std::string bytes = to_bytes(r);
  EXPECT_EQ(bytes.size(), 16u + 2u);
  const JournalRecord back = journal_record_from(bytes, 11);
  EXPECT_EQ(back.finished, r.finished);
  EXPECT_EQ(back.count, 4u);
  EXPECT_EQ(back.bytes, 1234567u);
  EXPECT_THROW(journal_record_from(bytes, 17), std::runtime_error) << "another list's record";
  EXPECT_EQ(journal_record_from(to_bytes(JournalRecord{}), 0).count, 0u);
}

TEST(HostGate, RateTurnsPerHostAndABackOffForThatHostOnly) {
  EXPECT_EQ(url_host("https://user:pw@data.example:8443/a/b?c#d"), "data.example:8443");
  EXPECT_EQ(url_host("http://h/"), "h");
  HostGate gate(10);  // one start per 100 ms per host
  EXPECT_EQ(gate.admit("a"), 0);
  // Reserved turns: the second and third wait about 0.1 and 0.2 s (less the time since).
  EXPECT_GT(gate.admit("a"), 0.05);
  EXPECT_GT(gate.admit("a"), 0.15);
  EXPECT_EQ(gate.admit("b"), 0) << "another host has its own turns";
  HostGate polite(0);
  EXPECT_EQ(polite.admit("a"), 0);
  polite.back_off("a", 5);
  EXPECT_GT(polite.admit("a"), 4.0);
  EXPECT_EQ(polite.admit("b"), 0) << "a 503 from a holds back a only";
}

}  // namespace
}  // namespace fanout
