// Tests of engine/model/detail_convert.h's parse_go_duration_ns against Go's own table for
// time.ParseDuration (go/src/time/time_test.go, parseDurationTests and parseDurationErrorTests,
// reproduced as test data): every duration gwsim reads (Istio's timeouts, a scenario's delays)
// must be the nanoseconds Go would read, so that Istio's "only durations to ms precision are
// supported" refuses what it refuses (issue #15: "2.000000001s" was read as 2 s).
#include "engine/model/detail_convert.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace gwsim::model::detail {
namespace {

constexpr std::int64_t kNs = 1, kUs = 1000, kMs = 1000 * kUs, kS = 1000 * kMs, kMin = 60 * kS, kH = 60 * kMin;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinValue = std::numeric_limits<std::int64_t>::min();

TEST(ParseGoDuration, GoParseDurationTests) {
  const struct {
    const char* in;
    std::int64_t want;
  } cases[] = {
      {"0", 0}, {"5s", 5 * kS}, {"30s", 30 * kS}, {"1478s", 1478 * kS},
      {"-5s", -5 * kS}, {"+5s", 5 * kS}, {"-0", 0}, {"+0", 0},
      {"5.0s", 5 * kS}, {"5.6s", 5 * kS + 600 * kMs}, {"5.s", 5 * kS}, {".5s", 500 * kMs}, {"1.0s", kS},
      {"1.00s", kS}, {"1.004s", kS + 4 * kMs}, {"1.0040s", kS + 4 * kMs}, {"100.00100s", 100 * kS + kMs},
      {"10ns", 10 * kNs}, {"11us", 11 * kUs}, {"12\xC2\xB5s", 12 * kUs}, {"12\xCE\xBCs", 12 * kUs},
      {"13ms", 13 * kMs}, {"14s", 14 * kS}, {"15m", 15 * kMin}, {"16h", 16 * kH},
      {"3h30m", 3 * kH + 30 * kMin}, {"10.5s4m", 4 * kMin + 10 * kS + 500 * kMs},
      {"-2m3.4s", -(2 * kMin + 3 * kS + 400 * kMs)},
      {"1h2m3s4ms5us6ns", kH + 2 * kMin + 3 * kS + 4 * kMs + 5 * kUs + 6 * kNs},
      {"39h9m14.425s", 39 * kH + 9 * kMin + 14 * kS + 425 * kMs},
      {"52763797000ns", 52763797000 * kNs},
      {"0.3333333333333333333h", 20 * kMin},
      {"9007199254740993ns", (std::int64_t{1} << 53) + 1},
      {"9223372036854775807ns", kMax}, {"9223372036854775.807us", kMax}, {"9223372036s854ms775us807ns", kMax},
      {"-9223372036854775808ns", kMinValue}, {"-9223372036854775.808us", kMinValue},
      {"-9223372036s854ms775us808ns", kMinValue}, {"-2562047h47m16.854775808s", kMinValue},
      {"0.100000000000000000000h", 6 * kMin},
      {"0.830103483285477580700h", 49 * kMin + 48 * kS + 372539827 * kNs},
      // Istio's cases: whole milliseconds, and the nanosecond Istio's ValidateDuration refuses.
      {"0.001s", kMs}, {"2.000000001s", 2 * kS + 1}, {"1.5s", 1500 * kMs},
  };
  for (const auto& c : cases) {
    auto got = parse_go_duration_ns(c.in);
    ASSERT_TRUE(got.has_value()) << c.in;
    EXPECT_EQ(*got, c.want) << c.in;
  }
}

TEST(ParseGoDuration, GoParseDurationErrorTests) {
  for (const char* in : {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\x85\x85", "\xff" "ff", "hello \xff" "ff world",
                         "\xEF\xBF\xBD", "9223372036854775810ns", "9223372036854775808ns", "-9223372036854775809ns",
                         "9223372036854776us", "3000000h", "9223372036854775.808us", "9223372036854ms775us808ns"})
    EXPECT_FALSE(parse_go_duration_ns(in).has_value()) << in;
}

}  // namespace
}  // namespace gwsim::model::detail
