#include "conformance/expectations.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

Observation routed(const std::string& pod, const std::string& subset, const std::string& version, int status = 200) {
  Observation o;
  o.trace.outcome = match::Outcome::kRouted;
  o.trace.listener = "0.0.0.0_8080";
  o.trace.route_config = "http.8080";
  o.trace.virtual_host = "www.service1.io:80";
  o.trace.virtual_service = "default/vs";
  o.trace.gateway = "default/gw";
  o.trace.route_name = "default";
  o.trace.http_index = 0;
  o.trace.route_index = 0;
  o.trace.service = "default/svc";
  o.trace.subset = subset;
  o.trace.service_port_upstream = 8081;
  o.trace.cluster = "outbound|8081|" + subset + "|svc.default.svc.cluster.local";
  o.trace.pod = "default/" + pod;
  o.trace.status = status;
  o.trace.attempts.push_back({"127.0.0.2:8081", "default/" + pod, status, ""});
  o.response.status = status;
  o.response.body = "ServiceVersion=" + version + "\nHostname=" + pod + "\n";
  o.response.headers = {{"x-extra", "1"}};
  o.pod_labels = {{"app", "svc"}, {"version", version}};
  http::UpstreamRequest u;
  u.authority = "www.service1.io";
  u.path = "/ping";
  u.headers = {{"x-forwarded-proto", "http"}};
  o.upstream_request = u;
  return o;
}

std::string joined(const std::vector<Mismatch>& ms) {
  std::string out;
  for (const auto& m : ms) out += m.to_string() + "\n";
  return out;
}

TEST(Expectations, StatusList) {
  Expectation e;
  e.status = {200, 503};
  EXPECT_TRUE(check_response(e, routed("p-1", "v1", "v1", 503)).empty());
  auto ms = check_response(e, routed("p-1", "v1", "v1", 404));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].to_string(), "status: expected one of [200, 503], got 404");
}

TEST(Expectations, PodIsANamePrefix) {
  Expectation e;
  e.backend = BackendExpectation{};
  e.backend->pod = "k8s-combat-service-v1-";
  EXPECT_TRUE(check_response(e, routed("k8s-combat-service-v1-5d8b9c-x7k2p", "v1", "v1")).empty());
  auto ms = check_response(e, routed("k8s-combat-service-v2-5d8b9c-x7k2p", "v2", "v2"));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].field, "backend.pod");
  // With a namespace, the prefix is of "namespace/name".
  e.backend->pod = "default/k8s-combat-service-v1";
  EXPECT_TRUE(check_response(e, routed("k8s-combat-service-v1-5d8b9c-x7k2p", "v1", "v1")).empty());
}

TEST(Expectations, RouteClusterBackendAndUpstream) {
  Expectation e;
  e.route = RouteExpectation{};
  e.route->virtual_service = "default/vs";
  e.route->name = "default";
  e.route->index = 0;
  e.route->listener = "0.0.0.0_8080";
  e.route->route_config = "http.8080";
  e.route->virtual_host = "www.service1.io:80";
  e.route->gateway = "default/gw";
  e.cluster = "outbound|8081|v1|svc.default.svc.cluster.local";
  e.backend = BackendExpectation{};
  e.backend->service = "default/svc";
  e.backend->port = 8081;
  e.backend->subset = "v1";
  e.backend->pod_labels = {{"version", "v1"}};
  e.upstream_request = UpstreamRequestExpectation{};
  e.upstream_request->host = "www.service1.io";
  e.upstream_request->path = "/ping";
  e.upstream_request->headers = {{"X-Forwarded-Proto", "http"}};  // names case-insensitive
  e.upstream_request->absent_headers = {"x-removed"};
  e.headers = {{"X-Extra", "1"}};
  e.absent_headers = {"x-internal"};
  e.attempts = 1;
  e.response_flags = "-";
  e.refused = false;
  e.body_contains = "ServiceVersion=v1";
  Observation o = routed("p-1", "v1", "v1");
  o.trace.response_flags = "-";
  EXPECT_EQ(joined(check_response(e, o)), "");

  e.route->virtual_service = "default/other";
  e.upstream_request->absent_headers = {"X-Forwarded-Proto"};
  e.backend->pod_labels = {{"version", "v2"}};
  std::string ms = joined(check_response(e, o));
  EXPECT_NE(ms.find("route.virtualService: expected \"default/other\", got \"default/vs\""), std::string::npos) << ms;
  EXPECT_NE(ms.find("upstreamRequest.headers.X-Forwarded-Proto: expected (absent), got \"http\""), std::string::npos)
      << ms;
  EXPECT_NE(ms.find("backend.podLabels.version: expected \"v2\", got \"v1\""), std::string::npos) << ms;
}

TEST(Expectations, RefusedAndNoResponse) {
  Observation o;
  o.trace.outcome = match::Outcome::kNoListener;
  o.trace.response_flags = "-";
  Expectation e;
  e.refused = true;
  EXPECT_TRUE(check_response(e, o).empty());
  e.refused = std::nullopt;
  e.status = {200};
  auto ms = check_response(e, o);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].actual, "no response (NoListener)");
  e.status.clear();
  e.upstream_request = UpstreamRequestExpectation{};
  e.upstream_request->path = "/";
  ASSERT_EQ(check_response(e, o).size(), 1u);
}

std::vector<Observation> split(int v1, int v2) {
  std::vector<Observation> out;
  for (int i = 0; i < v1; ++i) out.push_back(routed("a-" + std::to_string(i % 2), "v1", "v1"));
  for (int i = 0; i < v2; ++i) out.push_back(routed("b-0", "v2", "v2"));
  return out;
}

TEST(Expectations, DistributionWithinTolerance) {
  DistributionExpectation d;
  d.by = "subset";
  d.expected = {{"v1", 0.9}, {"v2", 0.1}};
  d.tolerance = 0.05;
  EXPECT_TRUE(check_distribution(d, split(88, 12)).mismatches.empty());
  auto report = check_distribution(d, split(80, 20));
  ASSERT_EQ(report.mismatches.size(), 2u);
  EXPECT_EQ(report.mismatches[0].to_string(), "distribution.v1: expected 0.900 +- 0.050, got 0.800 (80 of 100)");
  EXPECT_EQ(report.counts.at("v2"), 20);
}

TEST(Expectations, DistributionUnlistedKeysExpectZero) {
  DistributionExpectation d;
  d.by = "version";
  d.expected = {{"v1", 1.0}};
  d.tolerance = 0.05;
  EXPECT_TRUE(check_distribution(d, split(97, 3)).mismatches.empty());
  auto report = check_distribution(d, split(90, 10));
  ASSERT_FALSE(report.mismatches.empty());
  EXPECT_EQ(report.mismatches.back().field, "distribution.v2");
}

TEST(Expectations, DistributionDistinctAndKeys) {
  DistributionExpectation d;
  d.by = "pod";
  d.distinct = 3;
  EXPECT_TRUE(check_distribution(d, split(10, 10)).mismatches.empty());  // a-0, a-1, b-0
  d.distinct = 1;
  auto report = check_distribution(d, split(10, 10));
  ASSERT_EQ(report.mismatches.size(), 1u);
  EXPECT_EQ(report.mismatches[0].to_string(), "distribution.distinct: expected 1, got 3");

  Observation o = routed("a-0", "v1", "v1", 503);
  EXPECT_EQ(distribution_key("status", o), "503");
  EXPECT_EQ(distribution_key("label:app", o), "svc");
  EXPECT_EQ(distribution_key("service", o), "default/svc");
  EXPECT_EQ(distribution_key("cluster", o), "outbound|8081|v1|svc.default.svc.cluster.local");
  EXPECT_EQ(distribution_key("label:missing", o), "");
}

}  // namespace
}  // namespace gwsim::conformance

namespace gwsim::conformance {
namespace {

TEST(CheckResponseFields, AHeaderReceivedSeveralTimesIsComparedJoined) {
  Observation o = routed("p1", "v1", "v1");
  o.upstream_request->headers = {{"x-echo", "a"}, {"x-other", "z"}, {"x-echo", "b"}};
  o.response.headers = {{"set-cookie", "a=1"}, {"set-cookie", "b=2"}};
  Expectation e;
  e.upstream_request = UpstreamRequestExpectation{};
  e.upstream_request->headers = {{"X-Echo", "a,b"}};
  e.headers = {{"set-cookie", "a=1,b=2"}};
  EXPECT_EQ(joined(check_response(e, o)), "");
  e.upstream_request->headers = {{"x-echo", "a"}};
  e.absent_headers = {"set-cookie"};
  e.headers.clear();
  EXPECT_EQ(joined(check_response(e, o)),
            "headers.set-cookie: expected (absent), got \"a=1,b=2\"\n"
            "upstreamRequest.headers.x-echo: expected \"a\", got \"a,b\"\n");
}

TEST(CheckResponseFields, UpstreamMethodTlsSniAndProtocol) {
  Observation o = routed("p1", "v1", "v1");
  o.upstream_request->method = "POST";
  o.upstream_tls = true;
  o.upstream_sni = "b.example";
  o.upstream_protocol = "HTTP/2";
  Expectation e;
  e.upstream_request = UpstreamRequestExpectation{};
  e.upstream_request->method = "POST";
  e.upstream_request->tls = true;
  e.upstream_request->sni = "b.example";
  e.upstream_request->protocol = "HTTP/2";
  EXPECT_EQ(joined(check_response(e, o)), "");
  e.upstream_request->method = "GET";
  e.upstream_request->tls = false;
  e.upstream_request->sni = "";
  e.upstream_request->protocol = "HTTP/1.1";
  EXPECT_EQ(joined(check_response(e, o)),
            "upstreamRequest.method: expected \"GET\", got \"POST\"\n"
            "upstreamRequest.tls: expected false, got true\n"
            "upstreamRequest.sni: expected \"\", got \"b.example\"\n"
            "upstreamRequest.protocol: expected \"HTTP/1.1\", got \"HTTP/2\"\n");
}

TEST(JoinedHeader, JoinsEveryValueCaseInsensitively) {
  std::vector<std::pair<std::string, std::string>> headers = {{"X-A", "1"}, {"x-b", "2"}, {"x-a", "3"}};
  EXPECT_EQ(detail::joined_header(headers, "x-a"), "1,3");
  EXPECT_EQ(detail::joined_header(headers, "X-B"), "2");
  EXPECT_EQ(detail::joined_header(headers, "x-c"), std::nullopt);
}

}  // namespace
}  // namespace gwsim::conformance
