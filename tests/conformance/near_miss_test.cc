#include "conformance/near_miss.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/scenario.h"
#include "conformance/world.h"
#include "engine/model/manifest.h"

namespace gwsim::conformance {
namespace {

// An echo Service with subsets v1 and v2, a Gateway for shop.example.com on port 80 and a
// VirtualService; each test adds what comes close.
const std::string kBase = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: echo, version: v1}}
  template:
    metadata: {labels: {app: echo, version: v1}}
    spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo, namespace: default}
spec:
  host: echo
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: shop-gateway, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["shop.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [shop-gateway]
  http: [{route: [{destination: {host: echo, subset: v1}}]}]
)";

struct Explained {
  Observation observation;
  match::Explanation explanation;
};

Explained explain_with(const std::string& extra, const std::string& host, const std::string& path = "/",
                       std::uint32_t port = 80) {
  model::ManifestLoad loaded = model::load_manifest_text(kBase + "---\n" + extra, "near.yaml");
  EXPECT_FALSE(loaded.has_errors());
  World world;
  ApplyResult applied = world.apply(loaded.objects);
  EXPECT_TRUE(applied.ok());
  world.install_default_gateway_if_missing();
  RequestSpec request;
  request.host = host;
  request.path = path;
  request.port = port;
  auto sent = world.send(request);
  EXPECT_TRUE(sent.ok());
  auto explained = world.explain(request, sent.value());
  EXPECT_TRUE(explained.ok());
  return {sent.value(), explained.value()};
}

std::string all_reasons(const match::Explanation& e) {
  std::string out;
  for (const auto& n : e.near_misses) out += n.object + " (" + n.source + "): " + n.reason + "\n";
  return out;
}

bool names(const match::Explanation& e, const std::string& object, const std::string& reason_part) {
  for (const auto& n : e.near_misses)
    if (n.object == object && n.reason.find(reason_part) != std::string::npos) return true;
  return false;
}

TEST(NearMiss, AGatewayNameThatDoesNotResolveIsNamedWithTheGatewayMeant) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: default}
spec:
  hosts: [api.example.com]
  gateways: [shop-gatway]
  http: [{route: [{destination: {host: echo}}]}]
)",
                        "api.example.com");
  EXPECT_EQ(r.observation.trace.outcome, match::Outcome::kNoVirtualHost);
  EXPECT_TRUE(names(r.explanation, "VirtualService default/api",
                    "gateway \"default/shop-gatway\" does not resolve: there is no Gateway default/shop-gatway; did "
                    "you mean \"default/shop-gateway\"?"))
      << all_reasons(r.explanation);
  ASSERT_FALSE(r.explanation.near_misses.empty());
  EXPECT_EQ(r.explanation.near_misses.front().source.rfind("near.yaml:", 0), 0u);
  // The summary names the nearest miss, so a 404 says why in one line.
  EXPECT_NE(r.explanation.summary.find("nearest: VirtualService default/api"), std::string::npos)
      << r.explanation.summary;
}

TEST(NearMiss, AShortGatewayNameResolvesInTheVirtualServicesNamespace) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: default}
spec:
  hosts: [api.example.com]
  gateways: [edge]
  http: [{route: [{destination: {host: echo}}]}]
)",
                        "api.example.com");
  EXPECT_TRUE(names(r.explanation, "VirtualService default/api", "did you mean \"istio-system/edge\"?"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, AHostOnNoServerOfItsGatewayIsNamed) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: default}
spec:
  hosts: [api.example.com]
  gateways: [shop-gateway]
  http: [{route: [{destination: {host: echo}}]}]
)",
                        "api.example.com");
  EXPECT_TRUE(names(r.explanation, "VirtualService default/api",
                    "host api.example.com is not among Gateway default/shop-gateway's hosts on port 80 "
                    "[shop.example.com]"))
      << all_reasons(r.explanation);
}

// The server takes the Host, but the VirtualService bound to its Gateway names another host
// (conformance/suite/VirtualServiceBinding/013): the blackhole answers, and the Gateway is named.
TEST(NearMiss, AServerWhoseBoundVirtualServicesLackTheHostIsNamed) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: api-gateway, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["api.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: default}
spec:
  hosts: [apis.example.com]
  gateways: [api-gateway]
  http: [{route: [{destination: {host: echo}}]}]
)",
                        "api.example.com");
  EXPECT_EQ(r.observation.trace.outcome, match::Outcome::kNoVirtualHost);
  EXPECT_TRUE(names(r.explanation, "Gateway default/api-gateway",
                    "serves api.example.com on server port 80, but no VirtualService bound to it has that host; "
                    "bound to it: VirtualService default/api (hosts apis.example.com)"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, ExportToThatHidesTheVirtualServiceFromTheGatewayIsNamed) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: wide, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: default}
spec:
  hosts: [api.example.com]
  gateways: [wide]
  exportTo: ["."]
  http: [{route: [{destination: {host: echo}}]}]
)",
                        "api.example.com");
  EXPECT_TRUE(names(r.explanation, "VirtualService default/api",
                    "exportTo [.] hides it from the gateway's namespace istio-system"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, AServerForTheHostOnAnotherPortIsNamed) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: admin, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 9090, name: http-admin, protocol: HTTP}, hosts: ["admin.example.com"]}]
)",
                        "admin.example.com");
  EXPECT_TRUE(names(r.explanation, "Gateway default/admin",
                    "serves admin.example.com on server port 9090 (HTTP); the request came to Service port 80"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, AGatewayThatSelectsAnotherWorkloadIsNamed) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: internal, namespace: default}
spec:
  selector: {istio: internal-gateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["internal.example.com"]}]
)",
                        "internal.example.com");
  EXPECT_TRUE(names(r.explanation, "Gateway default/internal", "its selector {istio: internal-gateway} is not a subset"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, AMatchPinnedToAnotherPortIsNamedForARouteMiss) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [shop-gateway]
  http:
  - match: [{uri: {prefix: /cart}, port: 8080}]
    route: [{destination: {host: echo}}]
  - match: [{uri: {prefix: /shop}}]
    route: [{destination: {host: echo}}]
)",
                        "shop.example.com", "/cart");
  EXPECT_EQ(r.observation.trace.outcome, match::Outcome::kNoRoute);
  EXPECT_EQ(r.explanation.stopped_at, "route");
  EXPECT_TRUE(names(r.explanation, "VirtualService default/shop",
                    "http[0] match[0] is pinned to port 8080; the server is port 80"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, ASubsetNoDestinationRuleDefinesIsNamed) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [shop-gateway]
  http: [{route: [{destination: {host: echo, subset: v3}}]}]
)",
                        "shop.example.com");
  EXPECT_EQ(r.observation.trace.outcome, match::Outcome::kClusterNotFound);
  EXPECT_TRUE(names(r.explanation, "DestinationRule default/echo", "defines subset(s) v1, v2, not v3"))
      << all_reasons(r.explanation);
  EXPECT_EQ(r.explanation.near_misses.front().object, "DestinationRule default/echo");
}

TEST(NearMiss, ASubsetWithoutPodsNamesTheLabelsNoPodCarries) {
  auto r = explain_with(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [shop-gateway]
  http: [{route: [{destination: {host: echo, subset: v2}}]}]
)",
                        "shop.example.com");
  EXPECT_EQ(r.observation.trace.outcome, match::Outcome::kNoHealthyUpstream);
  EXPECT_TRUE(names(r.explanation, "Service default/echo",
                    "selects 1 pod(s), 1 ready, 0 of them with subset v2's labels {version: v2}"))
      << all_reasons(r.explanation);
}

TEST(NearMiss, ARoutedRequestHasNone) {
  auto r = explain_with("", "shop.example.com");
  EXPECT_EQ(r.observation.trace.outcome, match::Outcome::kRouted);
  EXPECT_TRUE(r.explanation.near_misses.empty()) << all_reasons(r.explanation);
  EXPECT_EQ(r.explanation.stopped_at, "");
  EXPECT_EQ(r.explanation.matched_route, 0);
}

// Every request of every scenario (scenarios/ and conformance/suite/), sent as the runner sends
// it: the route the explanation says matched is the route the decision took, and every 404 and
// 503 the gateway answers itself names a near miss.
TEST(NearMiss, PortedRequestsAreExplainedAsDecided) {
  const std::string root = GWSIM_SOURCE_DIR;
  ScenarioFiles files = find_scenario_files({root + "/scenarios", root + "/conformance/suite"});
  int requests = 0, misses = 0;
  for (const auto& file : files.files) {
    ScenarioLoad load = load_scenario(file);
    if (!load.ok()) continue;
    World world;
    if (!world.apply(load.scenario->setup.objects).ok()) continue;
    world.install_default_gateway_if_missing();
    for (const auto& step : load.scenario->steps) {
      if (const auto* apply = std::get_if<ApplySpec>(&step.action)) {
        world.apply(apply->objects);
        continue;
      }
      if (const auto* targets = std::get_if<std::vector<DeleteTarget>>(&step.action)) {
        for (const auto& t : *targets) (void)world.remove(t);
        continue;
      }
      const auto* request = std::get_if<RequestSpec>(&step.action);
      if (!request) continue;
      auto sent = world.send(*request);
      if (!sent.ok()) continue;
      ++requests;
      auto explained = world.explain(*request, sent.value());
      ASSERT_TRUE(explained.ok());
      const match::DecisionTrace& t = sent.value().trace;
      const match::Explanation& e = explained.value();
      if (t.route_config.empty()) continue;  // a connection stage decided
      EXPECT_EQ(e.matched_route, t.route_index) << file << " " << step.name << "\n" << e.to_text();
      EXPECT_EQ(e.virtual_host, t.virtual_host) << file << " " << step.name;
      using match::Outcome;
      if (t.outcome == Outcome::kNoVirtualHost || t.outcome == Outcome::kNoRoute ||
          t.outcome == Outcome::kClusterNotFound || t.outcome == Outcome::kNoHealthyUpstream) {
        ++misses;
        EXPECT_FALSE(e.near_misses.empty()) << file << " " << step.name << "\n" << e.to_text();
      }
    }
  }
  EXPECT_GT(requests, 100);
  EXPECT_GT(misses, 10);
}

}  // namespace
}  // namespace gwsim::conformance
