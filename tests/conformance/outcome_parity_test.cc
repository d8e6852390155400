// Every outcome of the closed set (engine/match/trace.h) answers the same in decision mode and
// in datapath mode: one row per outcome, a small world and a request that reaches it, sent
// through both modes; the status, the body and the headers a client can rely on must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conformance/datapath_world.h"
#include "conformance/world.h"
#include "engine/model/manifest.h"
#include "engine/match/trace.h"
#include "tests/support/manifests.h"

namespace gwsim::conformance {
namespace {

using testing::documents;
using testing::echo_behind_gateway;
using testing::echo_deployment;
using testing::echo_service;
using testing::http_gateway;

std::string virtual_service(const std::string& http) {
  return R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [echo.example.com]
  gateways: [gw]
  http: )" + http + "\n";
}

const std::string kRouteToEcho = "[{route: [{destination: {host: echo}}]}]";

// A PASSTHROUGH server for a.example.com on port 443, forwarding to echo's TLS port.
std::string passthrough_world() {
  return documents({echo_deployment("v1", 1), R"(
apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {selector: {app: echo}, ports: [{name: https, port: 443, targetPort: 8443}]}
)",
                    R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: [a.example.com], tls: {mode: PASSTHROUGH}}]
)",
                    R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  tls: [{match: [{port: 443, sniHosts: [a.example.com]}], route: [{destination: {host: echo, port: {number: 443}}}]}]
)"});
}

RequestSpec request(std::string host, std::string path = "/") {
  RequestSpec r;
  r.host = std::move(host);
  r.path = std::move(path);
  return r;
}

struct Row {
  match::Outcome outcome;
  std::string manifests;
  RequestSpec request;
  std::optional<PodsSpec> pods = std::nullopt;  // a `pods` step before the request
};

std::vector<Row> rows() {
  std::vector<Row> out;
  auto echo_with = [](const std::string& http) { return documents({echo_behind_gateway("*.example.com"), virtual_service(http)}); };

  // The pod answers: the echo app's ?headers= control acts in both modes.
  out.push_back({match::Outcome::kRouted, echo_with(kRouteToEcho), request("echo.example.com", "/a?headers=X-Echo:yes")});
  {
    RequestSpec r = request("echo.example.com");
    r.port = 9999;
    out.push_back({match::Outcome::kNoListener, echo_with(kRouteToEcho), r});
  }
  {
    RequestSpec r = request("b.example.com");
    r.scheme = "https";
    r.port = 443;
    out.push_back({match::Outcome::kNoFilterChain, passthrough_world(), r});
  }
  {
    RequestSpec r = request("a.example.com");
    r.scheme = "https";
    r.port = 443;  // through to the pod's TLS port: the pod sees the client's SNI in both modes
    out.push_back({match::Outcome::kRouted, passthrough_world(), r});
  }
  {
    RequestSpec r = request("echo.example.com");
    r.scheme = "https";
    r.port = 80;  // TLS into the plaintext HTTP server
    out.push_back({match::Outcome::kTlsError, echo_with(kRouteToEcho), r});
  }
  out.push_back({match::Outcome::kNoVirtualHost, echo_with(kRouteToEcho), request("other.example.com")});
  out.push_back({match::Outcome::kNoRoute,
                 echo_with("[{match: [{uri: {prefix: /api}}], route: [{destination: {host: echo}}]}]"),
                 request("echo.example.com", "/web")});
  out.push_back({match::Outcome::kTlsRedirect,
                 documents({echo_deployment("v1", 1), echo_service(), R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"], tls: {httpsRedirect: true}}]
)",
                            virtual_service(kRouteToEcho)}),
                 request("echo.example.com", "/x")});
  out.push_back({match::Outcome::kRedirect, echo_with("[{redirect: {uri: /new, redirectCode: 302}}]"),
                 request("echo.example.com", "/old")});
  out.push_back({match::Outcome::kDirectResponse,
                 echo_with("[{directResponse: {status: 418, body: {string: \"short and stout\"}}}]"),
                 request("echo.example.com")});
  out.push_back({match::Outcome::kFaultAbort,
                 echo_with("[{fault: {abort: {httpStatus: 429, percentage: {value: 100}}}, "
                           "route: [{destination: {host: echo}}]}]"),
                 request("echo.example.com")});
  out.push_back({match::Outcome::kClusterNotFound,
                 echo_with("[{route: [{destination: {host: missing.default.svc.cluster.local}}]}]"),
                 request("echo.example.com")});
  out.push_back({match::Outcome::kNoHealthyUpstream,
                 documents({echo_deployment("v1", 0), echo_service(), http_gateway("*.example.com"),
                            virtual_service(kRouteToEcho)}),
                 request("echo.example.com")});
  {
    PodsSpec refuse;
    refuse.selector = {{"app", "echo"}};
    refuse.refuse = true;
    out.push_back({match::Outcome::kUpstreamFailure, echo_with(kRouteToEcho), request("echo.example.com"), refuse});
  }
  // The echo app's ?delay= control outlasts the route timeout, in both modes.
  out.push_back({match::Outcome::kUpstreamTimeout,
                 echo_with("[{timeout: 100ms, route: [{destination: {host: echo}}]}]"),
                 request("echo.example.com", "/?delay=2s")});
  {
    RequestSpec r = request("echo.example.com");
    r.method = "OPTIONS";
    r.headers = {{"origin", "https://app.example"}, {"access-control-request-method", "GET"}};
    out.push_back({match::Outcome::kCorsPreflight,
                   echo_with("[{corsPolicy: {allowOrigins: [{exact: \"https://app.example\"}], allowMethods: [GET]}, "
                             "route: [{destination: {host: echo}}]}]"),
                   r});
  }
  out.push_back({match::Outcome::kUnsupported, echo_with("[{redirect: {uri: /x, redirectCode: 305}}]"),
                 request("echo.example.com")});
  // Refused before routing: by the connection manager (no body) and by the HTTP/1 codec.
  out.push_back({match::Outcome::kRequestRejected, echo_with(kRouteToEcho), request("echo.example.com", "/a%00")});
  {
    RequestSpec r = request("echo.example.com");
    r.method = "POST";
    r.headers = {{"Transfer-Encoding", "xchunked"}};
    out.push_back({match::Outcome::kRequestRejected, echo_with(kRouteToEcho), r});
    RequestSpec many = request("echo.example.com");
    for (int i = 0; i < 100; ++i) many.headers.emplace_back("x-h" + std::to_string(i), "v");
    out.push_back({match::Outcome::kRequestRejected, echo_with(kRouteToEcho), many});
  }
  // The app closes the connection after reading the request: UC, in both modes.
  out.push_back({match::Outcome::kUpstreamFailure, echo_with(kRouteToEcho), request("echo.example.com", "/?codes=200:0")});
  return out;
}

// The headers a client can rely on: framing (content-length, connection) and timing
// (x-envoy-upstream-service-time's value) differ by transport, not by decision.
std::vector<std::pair<std::string, std::string>> observable(std::vector<std::pair<std::string, std::string>> headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [k, v] : headers) {
    if (k == "content-length" || k == "connection" || k == "date") continue;
    out.emplace_back(k, k == "x-envoy-upstream-service-time" ? "<ms>" : v);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

Observation send_in(Mode mode, const Row& row) {
  World world(5, mode);
  model::ManifestLoad load = model::load_manifest_text(row.manifests, "row.yaml");
  EXPECT_FALSE(load.has_errors());
  ApplyResult applied = world.apply(load.objects);
  for (const auto& r : applied.rejected) ADD_FAILURE() << r;
  world.install_default_gateway_if_missing();
  if (row.pods) {
    auto changed = world.change_pods(*row.pods);
    EXPECT_TRUE(changed.ok());
  }
  auto got = world.send(row.request);
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().to_string());
  return got.ok() ? std::move(got.value()) : Observation{};
}

TEST(OutcomeParity, TheTableCoversEveryOutcome) {
  std::set<match::Outcome> covered;
  for (const auto& row : rows()) covered.insert(row.outcome);
  for (match::Outcome o : match::kAllOutcomes) {
    if (o == match::Outcome::kUnauthenticated || o == match::Outcome::kAccessDenied) continue;  // JWT, RBAC: not here
    EXPECT_TRUE(covered.count(o)) << match::outcome_name(o);
  }
}

TEST(OutcomeParity, EveryOutcomeAnswersTheSameInBothModes) {
  for (const Row& row : rows()) {
    SCOPED_TRACE(match::outcome_name(row.outcome));
    Observation decision = send_in(Mode::kDecision, row);
    Observation datapath = send_in(Mode::kDatapath, row);
    EXPECT_EQ(decision.trace.outcome, row.outcome) << decision.trace.to_text();
    EXPECT_EQ(datapath.trace.outcome, row.outcome) << datapath.trace.to_text();
    EXPECT_EQ(datapath.response.status, decision.response.status);
    EXPECT_EQ(datapath.response.body, decision.response.body);
    EXPECT_EQ(observable(datapath.response.headers), observable(decision.response.headers));
    EXPECT_EQ(datapath.unsupported, decision.unsupported);
    if (row.outcome == match::Outcome::kRequestRejected || row.outcome == match::Outcome::kUpstreamFailure) {
      EXPECT_EQ(datapath.trace.response_flags, decision.trace.response_flags);
    }
    if (row.outcome == match::Outcome::kRouted && row.request.scheme == "https") {
      EXPECT_NE(decision.response.body.find("Sni=a.example.com\n"), std::string::npos) << decision.response.body;
    }
  }
}

}  // namespace
}  // namespace gwsim::conformance
