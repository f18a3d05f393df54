// The one byte codec: a type's fields listing writes it and reads it back, containers and nested
// listings included, and bytes that are not a value of the type are refused, never trusted.
#include "timing/byte_codec.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <vector>

namespace fanout {
namespace {

struct Inner {
  std::uint32_t tasks = 0;
  std::vector<double> busy;

  template <class Self, class Io>
  static void fields(Self& s, Io& io) {
    io(s.tasks, s.busy);
    io.check(s.busy.size() <= 4, "more than 4 workers");
  }
};

struct Outer {
  std::uint64_t ran = 0;
  double seconds = 0;
  std::array<std::uint64_t, 3> counts{};
  std::map<int, Inner> per_rank;
  std::vector<std::map<int, double>> nested;

  template <class Self, class Io>
  static void fields(Self& s, Io& io) {
    io(s.ran, s.seconds, s.counts, s.per_rank, s.nested);
  }
};

Outer sample() {
  Outer o;
  o.ran = 7;
  o.seconds = 2.5;
  o.counts = {1, 2, 3};
  o.per_rank[0] = Inner{3, {0.5, 1.5}};
  o.per_rank[-2] = Inner{4, {}};
  o.nested = {{{1, 0.25}}, {}, {{5, 5.0}, {6, 6.0}}};
  return o;
}

TEST(ByteCodecTest, ListingWritesAndReadsBack) {
  const Outer o = sample();
  const Outer back = decode<Outer>(encode(o), "Outer");
  EXPECT_EQ(back.ran, 7u);
  EXPECT_DOUBLE_EQ(back.seconds, 2.5);
  EXPECT_EQ(back.counts, o.counts);
  ASSERT_EQ(back.per_rank.size(), 2u);
  EXPECT_EQ(back.per_rank.at(0).tasks, 3u);
  EXPECT_EQ(back.per_rank.at(0).busy, (std::vector<double>{0.5, 1.5}));
  EXPECT_TRUE(back.per_rank.at(-2).busy.empty());
  EXPECT_EQ(back.nested, o.nested);
  // The same value gives the same bytes: the layout depends on nothing but the listing.
  EXPECT_EQ(encode(back), encode(o));
}

TEST(ByteCodecTest, ShortOrLongBytesAreRefusedNamingTheValue) {
  const std::vector<char> bytes = encode(sample());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_THROW(decode<Outer>(std::span(bytes).first(cut), "Outer"), std::invalid_argument)
        << "cut at " << cut;
  }
  std::vector<char> longer = bytes;
  longer.push_back(0);
  try {
    decode<Outer>(longer, "Outer");
    FAIL() << "trailing bytes were accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "Outer: trailing bytes");
  }
}

TEST(ByteCodecTest, AnAbsurdCountIsRefusedBeforeAnyAllocation) {
  std::vector<char> bytes = encode(std::vector<double>{1.0});
  const std::uint64_t huge = std::uint64_t{1} << 60;
  std::memcpy(bytes.data(), &huge, sizeof huge);
  EXPECT_THROW(decode<std::vector<double>>(bytes, "busy"), std::invalid_argument);
}

TEST(ByteCodecTest, AListingsCheckRefusesValuesThatDoNotFit) {
  Inner wide{1, {1, 2, 3, 4, 5}};
  try {
    decode<Inner>(encode(wide), "Inner");
    FAIL() << "a value its own listing refuses was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "Inner: more than 4 workers");
  }
}

}  // namespace
}  // namespace fanout
