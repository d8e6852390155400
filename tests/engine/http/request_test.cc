#include "engine/http/request.h"

#include <gtest/gtest.h>

namespace gwsim::http {
namespace {

TEST(HttpRequest, HeaderLookupIgnoresCaseAndTakesTheFirstValue) {
  Request r;
  r.headers = {{"X-Trace", "a"}, {"x-trace", "b"}, {"Origin", "o"}};
  ASSERT_NE(r.header("x-TRACE"), nullptr);
  EXPECT_EQ(*r.header("x-TRACE"), "a");
  EXPECT_EQ(*r.header("origin"), "o");
  EXPECT_EQ(r.header("x-trac"), nullptr);
}

TEST(HttpRequest, HostWithoutPortKeepsIpv6Brackets) {
  EXPECT_EQ(host_without_port("a.example.com:8080"), "a.example.com");
  EXPECT_EQ(host_without_port("a.example.com"), "a.example.com");
  EXPECT_EQ(host_without_port("[::1]:443"), "[::1]");
  EXPECT_EQ(host_without_port("::1"), "::1");  // several colons: not a port
}

TEST(HttpRequest, ServerNameIsTheSniElseTheHostForTlsOnly) {
  Request r;
  r.host = "a.example.com:443";
  EXPECT_EQ(server_name(r), "");  // plaintext: no SNI
  r.scheme = "https";
  EXPECT_EQ(server_name(r), "a.example.com");
  r.sni = "b.example.com";
  EXPECT_EQ(server_name(r), "b.example.com");
}

}  // namespace
}  // namespace gwsim::http
