// ASCII case folding and trimming as HTTP header names, SNI and hosts need them.
#include "engine/text/ascii.h"

#include <gtest/gtest.h>

namespace gwsim::text {
namespace {

TEST(Ascii, ToLowerFoldsOnlyAsciiLetters) {
  EXPECT_EQ(to_lower("Content-Type"), "content-type");
  EXPECT_EQ(to_lower("X-Envoy-Attempt-Count"), "x-envoy-attempt-count");
  EXPECT_EQ(to_lower("X-B3-TraceId_9"), "x-b3-traceid_9");
  EXPECT_EQ(to_lower("caf\xC3\x89"), "caf\xC3\x89");  // UTF-8 bytes untouched
  EXPECT_EQ(to_lower(""), "");
}

TEST(Ascii, ToUpperFoldsOnlyAsciiLetters) {
  EXPECT_EQ(to_upper("grpc-web"), "GRPC-WEB");
  EXPECT_EQ(to_upper("Http2"), "HTTP2");
}

TEST(Ascii, IequalsIgnoresCaseButNotOtherBytes) {
  EXPECT_TRUE(iequals("Host", "host"));
  EXPECT_TRUE(iequals("WWW.Example.COM", "www.example.com"));
  EXPECT_FALSE(iequals("host", "hosts"));
  EXPECT_FALSE(iequals("content-length", "content\rlength"));  // '-' and '\r' differ
  EXPECT_FALSE(iequals("@", "`"));                             // not letters: no folding
  EXPECT_TRUE(iequals("", ""));
}

TEST(Ascii, TrimDropsSurroundingWhitespaceOnly) {
  EXPECT_EQ(trim("  app = web \t\n"), "app = web");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim(" \t "), "");
}

}  // namespace
}  // namespace gwsim::text
