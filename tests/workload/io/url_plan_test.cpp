// UrlPlan: URL list from flags and files, serve: rewriting, and the file:line errors for bad input.
#include "workload/io/url_plan.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/config_error.hpp"
#include "test_support.hpp"

namespace fanout {
namespace {

std::string write_list(const test::ScratchDir& dir, const std::string& text) {
  const auto path = (dir.path() / "urls.txt").string();
  std::ofstream(path) << text;
  return path;
}

/// The ConfigError message UrlPlan throws for `spec`, or "" if it does not throw.
std::string plan_error(const IoSpec& spec, const std::string& base = "") {
  try {
    UrlPlan plan(spec, base);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(UrlPlan, MapsTaskIdsOntoTheListRepeatedly) {
  IoSpec spec;
  spec.urls = {"http://a.example/1", "https://b.example/2", "http://c.example:8080/3?x=1"};
  spec.repeat = 4;
  const UrlPlan plan(spec);
  EXPECT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan.count(), 12u);
  EXPECT_EQ(plan.url(0), "http://a.example/1");
  EXPECT_EQ(plan.url(4), "https://b.example/2");
  EXPECT_EQ(plan.url(11), "http://c.example:8080/3?x=1");
}

TEST(UrlPlan, ReadsFileSkippingCommentsAndBlankLinesAfterFlagUrls) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.urls = {"http://first.example/"};
  // A comment may follow a URL after whitespace; a '#' inside the URL is its fragment.
  spec.url_file = write_list(dir,
                             "# sites\n\nhttp://a.example/x\n   \n  # indented comment\n"
                             "  https://b.example/y  \r\nhttp://c.example/p#frag   # c\n"
                             "http://d.example/\t# tab\n");
  const UrlPlan plan(spec);
  ASSERT_EQ(plan.size(), 5u);
  EXPECT_EQ(plan.url(0), "http://first.example/");
  EXPECT_EQ(plan.url(1), "http://a.example/x");
  EXPECT_EQ(plan.url(2), "https://b.example/y");
  EXPECT_EQ(plan.url(3), "http://c.example/p#frag");
  EXPECT_EQ(plan.url(4), "http://d.example/");
  EXPECT_EQ(plan.entry(4).line, 8u);
}

TEST(UrlPlan, MalformedFileLineNamesFileAndLine) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.url_file = write_list(dir, "http://ok.example/\n# comment\nhttp://bad_host^/x\n");
  const std::string msg = plan_error(spec);
  EXPECT_EQ(msg.rfind(spec.url_file + ":3: http://bad_host^/x: malformed URL", 0), 0u) << msg;
  EXPECT_NE(msg.find("http://"), std::string::npos) << "says what is valid: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
}

TEST(UrlPlan, UnsupportedSchemeInFileNamesTheScheme) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.url_file = write_list(dir, "http://ok.example/\nftp://files.example/a.txt\n");
  const std::string msg = plan_error(spec);
  EXPECT_EQ(
      msg.rfind(spec.url_file + ":2: ftp://files.example/a.txt: scheme \"ftp\" is not supported",
                0),
      0u)
      << msg;
}

TEST(UrlPlan, BadCommandLineUrlNamesTheFlag) {
  IoSpec spec;
  spec.urls = {"gopher://old.example/"};
  EXPECT_EQ(plan_error(spec).rfind("--io.url gopher://old.example/: scheme \"gopher\"", 0), 0u)
      << plan_error(spec);
  spec.urls = {"not a url"};
  EXPECT_EQ(plan_error(spec).rfind("--io.url not a url: ", 0), 0u) << plan_error(spec);
  spec.urls = {"file:///etc/passwd"};
  EXPECT_NE(plan_error(spec).find("scheme \"file\" is not supported"), std::string::npos)
      << plan_error(spec);
  spec.urls = {"example.com/no-scheme"};
  EXPECT_EQ(plan_error(spec).rfind("--io.url example.com/no-scheme: ", 0), 0u) << plan_error(spec);
}

TEST(UrlPlan, ServeUrlsUseTheEmbeddedServerBase) {
  IoSpec spec;
  spec.urls = {"serve:/delay/100", "serve:bytes/10", "http://other.example/"};
  const UrlPlan plan(spec, "http://127.0.0.1:4567/");
  EXPECT_EQ(plan.url(0), "http://127.0.0.1:4567/delay/100");
  EXPECT_EQ(plan.url(1), "http://127.0.0.1:4567/bytes/10");
  EXPECT_EQ(plan.url(2), "http://other.example/");
}

TEST(UrlPlan, ServeUrlWithoutServerIsAConfigError) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.urls = {"serve:/delay/100"};
  EXPECT_NE(
      plan_error(spec).find("--io.url serve:/delay/100: \"serve:\" URLs need the embedded server"),
      std::string::npos)
      << plan_error(spec);
  spec.urls.clear();
  spec.url_file = write_list(dir, "serve:/x\n");
  EXPECT_EQ(plan_error(spec).rfind(spec.url_file + ":1: serve:/x: ", 0), 0u) << plan_error(spec);
}

TEST(UrlPlan, EmptyListMissingFileAndBadRepeatAreConfigErrors) {
  test::ScratchDir dir;
  IoSpec spec;
  EXPECT_NE(plan_error(spec).find("no URLs"), std::string::npos) << plan_error(spec);
  spec.url_file = write_list(dir, "# only a comment\n\n");
  EXPECT_NE(plan_error(spec).find("no URLs"), std::string::npos) << plan_error(spec);
  spec.url_file = (dir.path() / "missing.txt").string();
  EXPECT_EQ(plan_error(spec).rfind(
                "--io.url-file " + spec.url_file + ": cannot read it: No such file", 0),
            0u)
      << plan_error(spec);
  spec.url_file.clear();
  spec.urls = {"http://a.example/"};
  spec.repeat = 0;
  EXPECT_EQ(plan_error(spec).rfind("--io.repeat 0: ", 0), 0u) << plan_error(spec);
}

TEST(UrlPlan, AUrlFileThatIsNoFileIsRefusedAtOnce) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.url_file = (dir.path() / "fifo").string();
  ASSERT_EQ(::mkfifo(spec.url_file.c_str(), 0644), 0);
  // Opening a FIFO for reading waits for a writer: this returns only because it is not opened.
  EXPECT_NE(plan_error(spec).find("cannot read it: it is a FIFO (named pipe), not a regular file"),
            std::string::npos)
      << plan_error(spec);
  spec.url_file = "/dev/zero";  // stat'ed only
  EXPECT_NE(plan_error(spec).find("it is a character device"), std::string::npos);
}

TEST(UrlPlan, StreamsALongFileInAnyOrderWithItsColumns) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.download = true;
  const TaskId n = 3 * UrlPlan::kStride + 17;
  std::string text = "# a long list\n";
  for (TaskId i = 0; i < n; ++i) {
    text += "http://h.example/" + std::to_string(i) + " f" + std::to_string(i) +
            " size:" + std::to_string(i) + (i % 7 == 0 ? "\n\n" : "\n");
  }
  spec.url_file = write_list(dir, text);
  const UrlPlan plan(spec);
  ASSERT_EQ(plan.size(), n);
  // In order, backwards and jumping across the marks: the same entries.
  std::vector<TaskId> order;
  for (TaskId i = 0; i < n; ++i) order.push_back(i);
  for (TaskId i = n; i-- > 0;) order.push_back(i);
  for (TaskId i = 0; i < n; i += 611) order.push_back((i * 7919) % n);
  for (TaskId i : order) {
    const UrlEntry e = plan.entry(i);
    ASSERT_EQ(e.url, "http://h.example/" + std::to_string(i));
    ASSERT_EQ(e.name, "f" + std::to_string(i));
    ASSERT_EQ(e.size, static_cast<std::int64_t>(i));
  }
}

TEST(UrlPlan, APlanOverTheReadersBytesAndIndexIsTheSamePlan) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.urls = {"http://first.example/"};
  const TaskId n = 2 * UrlPlan::kStride + 5;
  std::string text = "# list\n";
  for (TaskId i = 0; i < n; ++i) text += "http://h.example/" + std::to_string(i) + "\n\n";
  spec.url_file = write_list(dir, text);
  const UrlPlan read(spec);
  // What rank 0 does once (read, check, index) and sends; the others index the bytes it read.
  auto bytes = std::make_shared<const std::string>(read_url_file(spec.url_file));
  const UrlFileIndex index = check_url_file(spec, *bytes, "");
  EXPECT_EQ(index.entries, n);
  EXPECT_EQ(index.marks.size(), 3u);
  std::filesystem::remove(spec.url_file);
  const UrlPlan shared(spec, "", {bytes, *bytes}, UrlFileIndex::from_bytes(index.to_bytes()));
  ASSERT_EQ(shared.size(), read.size());
  for (TaskId i = shared.size(); i-- > 0;) {
    ASSERT_EQ(shared.url(i), read.url(i));
    ASSERT_EQ(shared.entry(i).line, read.entry(i).line);
  }
  EXPECT_EQ(shared.entry(n).line, 2 * n);
  // A last line without its newline is an entry too.
  EXPECT_EQ(check_url_file(spec, "http://a.example/\nhttp://b.example/", "").entries, 2u);
  try {
    check_url_file(spec, "http://a.example/\nftp://b.example/\n", "");
    FAIL() << "ftp";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(spec.url_file + ":2: ", 0), 0u) << e.what();
  }
}

TEST(UrlPlan, BadColumnsNameFileAndLine) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.download = true;
  spec.url_file = write_list(dir, "http://ok.example/ a\nhttp://ok.example/b b md5:12\n");
  EXPECT_EQ(plan_error(spec).rfind(spec.url_file + ":2: ", 0), 0u) << plan_error(spec);
  EXPECT_NE(plan_error(spec).find("md5 checksum needs 32 hex digits, got 2"), std::string::npos)
      << plan_error(spec);
}

TEST(UrlPlan, ANameOutsideADownloadIsRefusedWithItsLine) {
  test::ScratchDir dir;
  IoSpec spec;
  const std::string sha(64, 'a');
  spec.url_file = write_list(dir, "http://ok.example/a size:3 sha256:" + sha +
                                      "\n# a comment\nhttp://ok.example/b b.bin\n");
  const std::string error = plan_error(spec);
  const std::string want = spec.url_file +
                           ":3: http://ok.example/b b.bin: column 2 b.bin: a NAME names the file "
                           "io.download saves, and this job does not download; ";
  EXPECT_EQ(error.rfind(want, 0), 0u) << error;
  EXPECT_NE(error.find("set --io.download (with --io.output DIR), or give only URL [size:BYTES] "
                       "[sha256:HEX|md5:HEX]"),
            std::string::npos)
      << error;
  spec.download = true;
  EXPECT_EQ(plan_error(spec), "") << "the same list is a download's";
  spec.download = false;
  spec.url_file.clear();
  spec.urls = {"http://ok.example/c c.bin"};
  EXPECT_EQ(plan_error(spec).rfind("--io.url http://ok.example/c c.bin: column 2 c.bin: a NAME", 0),
            0u)
      << plan_error(spec);
  spec.urls = {"http://ok.example/c size:3 sha256:" + sha};
  const UrlPlan plan(spec);
  EXPECT_EQ(plan.entry(0).size, 3) << "size and checksum columns are checked on any fetch";
  EXPECT_EQ(plan.entry(0).checksum.hex, sha);
}

TEST(UrlPlan, ChecksumManifestFillsEntriesThatGiveNone) {
  test::ScratchDir dir;
  IoSpec spec;
  spec.download = true;
  const std::string sha(64, 'a'), md5(32, 'b'), own(64, 'c');
  spec.url_file = write_list(dir,
                             "http://h.example/x/a.bin\nhttp://h.example/b named.bin\n"
                             "http://h.example/c.bin sha256:" +
                                 own + "\nhttp://h.example/d.bin\n");
  const auto manifest = (dir.path() / "SHA256SUMS").string();
  std::ofstream(manifest) << "# made by sha256sum\n"
                          << sha << "  a.bin\n"
                          << md5 << " *named.bin\n"
                          << sha << "  c.bin\n";
  spec.checksums_file = manifest;
  const UrlPlan plan(spec);
  EXPECT_EQ(plan.entry(0).checksum.algo, DigestAlgo::sha256);
  EXPECT_EQ(plan.entry(0).checksum.hex, sha);
  EXPECT_EQ(plan.entry(1).checksum.algo, DigestAlgo::md5);
  EXPECT_EQ(plan.entry(2).checksum.hex, own) << "the list's own column wins";
  EXPECT_FALSE(plan.entry(3).checksum.known());
  std::ofstream(manifest) << sha << "  a.bin\nabc  short.bin\n";
  EXPECT_EQ(plan_error(spec).rfind(manifest + ":2: not a checksum line", 0), 0u)
      << plan_error(spec);
  std::ofstream(manifest) << sha << "  a.bin\n" << own << "  a.bin\n";
  EXPECT_NE(plan_error(spec).find(manifest + ":2: a.bin is listed before"), std::string::npos)
      << plan_error(spec);
}

TEST(UrlPlan, CheckHttpUrl) {
  EXPECT_EQ(check_http_url("http://127.0.0.1:80/a?b=c"), "");
  EXPECT_EQ(check_http_url("HTTPS://Example.COM/"), "");
  EXPECT_NE(check_http_url("http://"), "");
  EXPECT_NE(check_http_url(""), "");
  EXPECT_NE(check_http_url("ftp://x/"), "");
}

// curl's own verdict: an http or https URL with a host.
bool curl_accepts(const std::string& url) {
  CURLU* u = curl_url();
  bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  char* part = nullptr;
  if (ok && curl_url_get(u, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
    ok = std::string(part) == "http" || std::string(part) == "https";
    curl_free(part);
  } else {
    ok = false;
  }
  if (ok && curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    curl_free(part);
  } else {
    ok = false;
  }
  curl_url_cleanup(u);
  return ok;
}

TEST(UrlPlan, PlainUrlsAreOnlyWhatCurlAccepts) {
  const std::vector<std::string> plain = {"http://127.0.0.1:8080/f?1",
                                          "https://example.com",
                                          "http://a-b.c-d.org:1/x/y.z?q=1&r=%20#f",
                                          "http://0.0.0.0/",
                                          "http://255.255.255.255:65535/",
                                          "http://node-01.cluster.local/a:b@c",
                                          "https://x/~user/!$&'()*+,;=",
                                          "http://A.B.C/",
                                          "http://1.example/"};
  for (const std::string& url : plain) {
    EXPECT_TRUE(plainly_http_url(url)) << url;
    EXPECT_TRUE(curl_accepts(url)) << url;
    EXPECT_EQ(check_http_url(url), "") << url;
  }
  // Not plain: curl decides (some of these it accepts, some it refuses), with its own reasons.
  const std::vector<std::string> other = {
      "HTTP://x/",         "http://",
      "http://:80/",       "http://x:0/",
      "http://x:65536/",   "http://x:080/",
      "http://256.1.1.1/", "http://1.2.3/",
      "http://01.2.3.4/",  "http://1.2.3.4a/",
      "http://x./",        "http://-x/",
      "http://x-/",        "http://a..b/",
      "http://[::1]/",     "http://u@x/",
      "http://x/a b",      "http://x/\x01",
      "http://x/<>",       "http://x/\xc3\xa9",
      "http://x_y/",       "ftp://x/",
      "http:/x/",          "http://x?q",
      "http://x#f",        std::string("http://x/") + std::string(5000, 'a')};
  for (const std::string& url : other) {
    EXPECT_FALSE(plainly_http_url(url)) << url;
    EXPECT_EQ(check_http_url(url).empty(), curl_accepts(url)) << url;
  }
}

}  // namespace
}  // namespace fanout
