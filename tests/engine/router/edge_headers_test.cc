#include "engine/router/edge_headers.h"

#include <algorithm>

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
  r.headers = {{"X-Forwarded-For", "1.1.1.1"},
               {"X-Forwarded-Proto", "https"},
               {"Connection", "close"},
               {"X-Envoy-Internal", "true"},
               {"X-Custom", "v"},
               {"x-request-id", "given"}};
  lb::Random rng(1);
  http::Headers out;
  mutate_request_headers(table, r, "", rng, out);
  EXPECT_EQ(*find(out, "x-forwarded-for"), "1.1.1.1,10.1.2.3");
  EXPECT_EQ(*find(out, "x-forwarded-proto"), "http");  // no trusted hop: the connection's
  // No address is internal at an Istio gateway: the client's claim is dropped, the peer recorded.
  EXPECT_EQ(find(out, "x-envoy-internal"), nullptr);
  EXPECT_EQ(*find(out, "x-envoy-external-address"), "10.1.2.3");
  EXPECT_EQ(*find(out, "x-custom"), "v");
  EXPECT_NE(*find(out, "x-request-id"), "given");  // an edge request gets its own id
  EXPECT_EQ(find(out, "connection"), nullptr);
}

TEST(EdgeHeaders, TheTrustedClientAddressIsTheExternalAddress) {
  // Istio's XFFGatewayCase (tests/integration/pilot/common/routing.go): numTrustedProxies 2.
  route::RouteTable table;
  table.proxy.num_trusted_proxies = 2;
  http::Request r;
  r.source_ip = "10.244.0.7";
  r.headers = {{"X-Forwarded-For", "56.5.6.7, 72.9.5.6, 98.1.2.3"},
               {"X-Envoy-External-Address", "6.6.6.6"},
               {"x-envoy-external-address", "7.7.7.7"}};
  lb::Random rng(1);
  http::Headers out;
  mutate_request_headers(table, r, "72.9.5.6", rng, out);
  EXPECT_EQ(*find(out, "x-forwarded-for"), "56.5.6.7, 72.9.5.6, 98.1.2.3,10.244.0.7");
  EXPECT_EQ(*find(out, "x-envoy-external-address"), "72.9.5.6");
  EXPECT_EQ(std::count_if(out.begin(), out.end(), [](const auto& h) { return h.first == "x-envoy-external-address"; }),
            1);  // the client's, however many, are dropped
  EXPECT_EQ(find(out, "x-envoy-internal"), nullptr);
}

TEST(EdgeHeaders, ARequestIdIsDrawnWhenTheClientSentNone) {
  route::RouteTable table;
  http::Request r;
  r.source_ip = "8.8.8.8";
  lb::Random a(5), b(5);
  http::Headers out;
  mutate_request_headers(table, r, "", a, out);
  ASSERT_NE(find(out, "x-request-id"), nullptr);
  EXPECT_EQ(*find(out, "x-request-id"), request_id(b));  // the same draws, the same id
  EXPECT_EQ(find(out, "x-request-id")->size(), 36u);
  EXPECT_EQ(*find(out, "x-envoy-external-address"), "8.8.8.8");
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
