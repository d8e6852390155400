#include "engine/router/edge_headers.h"

#include <gtest/gtest.h>

namespace gwsim::router {
namespace {

const std::string* find(const http::Headers& h, const std::string& name) {
  for (const auto& [k, v] : h)
    if (k == name) return &v;
  return nullptr;
}

TEST(EdgeHeaders, EnvoyOwnsForwardingHeadersOnAnEdgeProxy) {
  route::RouteTable table;
  http::Request r;
  r.source_ip = "10.1.2.3";
  r.headers = {{"X-Forwarded-For", "1.1.1.1"}, {"X-Forwarded-Proto", "https"}, {"Connection", "close"},
               {"X-Envoy-Internal", "false"}, {"X-Custom", "v"}, {"x-request-id", "given"}};
  lb::Random rng(1);
  http::Headers out;
  mutate_request_headers(table, r, rng, out);
  EXPECT_EQ(*find(out, "x-forwarded-for"), "1.1.1.1,10.1.2.3");
  EXPECT_EQ(*find(out, "x-forwarded-proto"), "http");  // no trusted hop: the connection's
  EXPECT_EQ(*find(out, "x-envoy-internal"), "true");   // RFC 1918 source
  EXPECT_EQ(*find(out, "x-custom"), "v");
  EXPECT_EQ(*find(out, "x-request-id"), "given");
  EXPECT_EQ(find(out, "connection"), nullptr);
}

TEST(EdgeHeaders, ARequestIdIsDrawnWhenTheClientSentNone) {
  route::RouteTable table;
  http::Request r;
  r.source_ip = "8.8.8.8";
  lb::Random a(5), b(5);
  http::Headers out;
  mutate_request_headers(table, r, a, out);
  ASSERT_NE(find(out, "x-request-id"), nullptr);
  EXPECT_EQ(*find(out, "x-request-id"), request_id(b));  // the same draws, the same id
  EXPECT_EQ(find(out, "x-request-id")->size(), 36u);
  EXPECT_EQ(find(out, "x-envoy-internal"), nullptr);  // a public source
}

TEST(EdgeHeaders, InternalAddressesAreLoopbackAndRfc1918) {
  EXPECT_TRUE(is_internal_address("127.0.0.1"));
  EXPECT_TRUE(is_internal_address("172.16.0.1"));
  EXPECT_TRUE(is_internal_address("192.168.1.1"));
  EXPECT_FALSE(is_internal_address("172.32.0.1"));
  EXPECT_FALSE(is_internal_address("8.8.8.8"));
}

TEST(EdgeHeaders, HeaderOperationsRemoveThenSetThenAdd) {
  http::Headers h = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  route::HeaderOps ops;
  ops.remove = {"a"};
  ops.set = {{"b", "set"}, {"c", "new"}};
  ops.add = {{"b", "added"}};
  apply_header_ops(h, ops);
  EXPECT_EQ(h, (http::Headers{{"b", "set"}, {"c", "new"}, {"b", "added"}}));
}

}  // namespace
}  // namespace gwsim::router
