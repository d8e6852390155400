#include "engine/http/path_normalization.h"

#include <gtest/gtest.h>

namespace gwsim::http {
namespace {

// Istio's table for pathNormalization BASE, the default (tests/integration/security/
// normalization_test.go, TestNormalization, case "Base"): what the workload receives for each
// request path. Its "/app#foo" row is left out: the Go client drops the fragment before sending.
TEST(PathNormalization, IstiosBaseTable) {
  const std::pair<std::string_view, std::string_view> kBase[] = {
      {"/", "/"},
      {"/app/", "/app/"},
      {"/app/../admin", "/admin"},
      {"/app", "/app"},
      {"/app//", "/app//"},
      {"/app/%2f", "/app/%2f"},
      {"/app%2f/", "/app%2f/"},
      {"/xyz%30..//abc", "/xyz0..//abc"},
      {"/app/%2E./admin", "/admin"},
      {R"(/app\admin)", "/app/admin"},
      {R"(/app/\/\/\admin)", "/app//////admin"},
      {"/%2Fapp%5cadmin%5Cabc", "/%2Fapp%5cadmin%5Cabc"},
      {R"(/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\abc)", "/%5Capp%2f%5c%2F..%2fadmin%5c/abc"},
      {"/app//../admin", "/app/admin"},
      {"/app//../../admin", "/admin"},
  };
  for (const auto& [in, want] : kBase) {
    std::optional<std::string> got = normalize_path(in);
    ASSERT_TRUE(got) << in;
    EXPECT_EQ(*got, want) << in;
  }
}

TEST(PathNormalization, DotSegmentsNeverClimbAboveTheRoot) {
  EXPECT_EQ(normalize_path("/../ping"), "/ping");
  EXPECT_EQ(normalize_path("/a/b/../../../../c"), "/c");
  EXPECT_EQ(normalize_path("/a/.."), "/");
  EXPECT_EQ(normalize_path("/a/."), "/a/");
  EXPECT_EQ(normalize_path("/a/./b/%2e/c"), "/a/b/c");
  EXPECT_EQ(normalize_path("/a/.b/..c/...d"), "/a/.b/..c/...d");  // dots inside names stay
}

TEST(PathNormalization, TheQueryIsKeptAsSent) {
  EXPECT_EQ(normalize_path("/a/../b?x=/../&y=%41"), "/b?x=/../&y=%41");
  EXPECT_EQ(normalize_path("/?"), "/?");
}

TEST(PathNormalization, UnreservedEscapesAreDecodedOthersKeepTheirCase) {
  EXPECT_EQ(normalize_path("/%41%7e%2D%5f%7A"), "/A~-_z");
  EXPECT_EQ(normalize_path("/%3a%3F%23%25"), "/%3a%3F%23%25");
  EXPECT_EQ(normalize_path("/%zz%4"), "/%zz%4");  // not escapes: copied
}

TEST(PathNormalization, CharactersAUrlCannotHoldAreEscaped) {
  EXPECT_EQ(normalize_path("/a b\"<>^`{|}"), "/a%20b%22%3C%3E%5E%60%7B%7C%7D");
  EXPECT_EQ(normalize_path("/caf\xc3\xa9"), "/caf%C3%A9");
}

TEST(PathNormalization, APercentThatBeganNoEscapeNeverBecomesOne) {
  // "%%30%30" would read "%00" once its inner escapes are decoded.
  EXPECT_EQ(normalize_path("/%%30%30"), "/%2500");
  EXPECT_EQ(normalize_path("/%%300"), "/%2500");
}

TEST(PathNormalization, ANulMakesThePathInvalid) {
  EXPECT_EQ(normalize_path("/admin%00"), std::nullopt);
  EXPECT_EQ(normalize_path(std::string_view("/a\0b", 4)), std::nullopt);
}

TEST(PathNormalization, APathWithoutALeadingSlashGetsOne) {
  EXPECT_EQ(normalize_path(""), "/");
  EXPECT_EQ(normalize_path("a/../b"), "/b");
}

}  // namespace
}  // namespace gwsim::http
