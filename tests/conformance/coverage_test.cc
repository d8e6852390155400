#include "conformance/coverage.h"

#include <set>

#include <gtest/gtest.h>

#include "conformance/scenario.h"
#include "conformance/world.h"

namespace gwsim::conformance {
namespace {

// A TCP server on 80 with a weighted tcp route, a PASSTHROUGH server on 443 with two tls
// routes, and (on port 8080 of a second Service port) nothing: four targets.
const char* kL4World = R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: l4}
spec:
  resources:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: echo}
      spec:
        replicas: 1
        selector: {matchLabels: {app: echo}}
        template:
          metadata: {labels: {app: echo}}
          spec: {containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]}
    - apiVersion: v1
      kind: Service
      metadata: {name: echo}
      spec: {selector: {app: echo}, ports: [{name: tcp, port: 80, targetPort: 8080}, {name: tls, port: 443, targetPort: 8080}]}
    - apiVersion: v1
      kind: Service
      metadata: {name: echo2}
      spec: {selector: {app: echo}, ports: [{name: tcp, port: 80, targetPort: 8080}]}
    - apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        selector: {istio: ingressgateway}
        servers:
          - {port: {number: 80, name: tcp, protocol: TCP}, hosts: ["*"]}
          - {port: {number: 443, name: tls, protocol: TLS}, hosts: ["*"], tls: {mode: PASSTHROUGH}}
    - apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: l4}
      spec:
        hosts: ["*"]
        gateways: [gw]
        tcp:
          - route:
              - {destination: {host: echo, port: {number: 80}}, weight: 50}
              - {destination: {host: echo2, port: {number: 80}}, weight: 50}
        tls:
          - match: [{sniHosts: [a.example.com]}]
            route: [{destination: {host: echo, port: {number: 443}}}]
          - match: [{sniHosts: ["*.b.example.com"]}]
            route: [{destination: {host: echo, port: {number: 443}}}]
  steps:
    - request: {host: x}
)";

const char* kHttpWorld = R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: http}
spec:
  resources:
    - apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        selector: {istio: ingressgateway}
        servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"]}]
    - apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: web}
      spec:
        hosts: [a.example.com, b.example.com]
        gateways: [gw]
        http:
          - name: moved
            match: [{uri: {exact: /old}}]
            redirect: {uri: /new}
          - name: teapot
            directResponse: {status: 418}
  steps:
    - request: {host: x}
)";

class CoverageTest : public ::testing::Test {
 protected:
  void load(const char* text) {
    ScenarioLoad loaded = load_scenario_text(text, "/tmp/world.yaml");
    ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    ApplyResult applied = world_.apply(loaded.scenario->setup.objects);
    ASSERT_TRUE(applied.ok());
    world_.install_default_gateway_if_missing();
    auto compiled = world_.table(kDefaultGateway);
    ASSERT_TRUE(compiled.ok()) << compiled.error().to_string();
    table_ = compiled.value();
  }
  std::string hit(const std::string& scheme, const std::string& host) {
    RequestSpec r;
    r.scheme = scheme;
    r.port = scheme == "https" ? 443 : 80;
    r.host = host;
    r.sni = scheme == "https" ? host : "";
    auto sent = world_.send(r);
    EXPECT_TRUE(sent.ok());
    return sent.ok() ? target_hit(*table_, sent.value().trace) : "";
  }

  World world_;
  std::shared_ptr<const route::RouteTable> table_;
};

TEST_F(CoverageTest, TcpAndTlsRoutes) {
  load(kL4World);
  auto targets = route_targets(*table_);
  ASSERT_EQ(targets.size(), 4u);
  std::vector<std::string> labels;
  for (const auto& t : targets) labels.push_back(t.label());
  EXPECT_EQ(labels, (std::vector<std::string>{
                        "default/l4 tcp (port 80) -> outbound|80||echo.default.svc.cluster.local (weight 50)",
                        "default/l4 tcp (port 80) -> outbound|80||echo2.default.svc.cluster.local (weight 50)",
                        "default/l4 tls (port 443 sni *.b.example.com)",
                        "default/l4 tls (port 443 sni a.example.com)",
                    }));
  // Each points at its tcp or tls route in the manifest, as http routes do.
  EXPECT_EQ(targets[0].source, "/tmp/world.yaml:38:13");
  EXPECT_EQ(targets[1].source, "/tmp/world.yaml:38:13");
  EXPECT_EQ(targets[2].source, "/tmp/world.yaml:44:13");
  EXPECT_EQ(targets[3].source, "/tmp/world.yaml:42:13");
  EXPECT_EQ(targets[0].action, "");  // weighted: the destination is the target's own
  EXPECT_EQ(targets[3].action, "outbound|443||echo.default.svc.cluster.local");

  // Each weighted tcp destination is its own target; the seeded picks reach both.
  std::set<std::string> tcp;
  for (int i = 0; i < 40; ++i) tcp.insert(hit("http", "x"));
  EXPECT_EQ(tcp.size(), 2u);
  for (const auto& id : tcp) EXPECT_EQ(id.rfind("tcp|default/l4|", 0), 0u) << id;

  std::string a = hit("https", "a.example.com");
  std::string b = hit("https", "c.b.example.com");
  EXPECT_NE(a.find("sni a.example.com"), std::string::npos) << a;
  EXPECT_NE(b.find("sni *.b.example.com"), std::string::npos) << b;
  EXPECT_EQ(hit("https", "nothing.example.org"), "");  // no chain: no target
}

TEST_F(CoverageTest, RoutesWithoutDestinationsAndHostsSharingRoutes) {
  load(kHttpWorld);
  auto targets = route_targets(*table_);
  // Two hosts, one VirtualService: the same two routes, counted once.
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].label(), "default/web http[0] \"moved\" match[0]");
  EXPECT_EQ(targets[1].label(), "default/web http[1] \"teapot\"");
  EXPECT_EQ(targets[0].source, "/tmp/world.yaml:19:13");
  // Not part of the identity, but what the report shows: what each route does.
  EXPECT_EQ(targets[0].action, "redirect 301");
  EXPECT_EQ(targets[1].action, "direct response 418");
  EXPECT_EQ(hit("http", "b.example.com"), targets[1].id);
  EXPECT_EQ(hit("http", "a.example.com"), targets[1].id);
  EXPECT_EQ(hit("http", "nowhere.org"), "");  // 404 NR decided by no route
}

RouteTarget http_target(std::string id, std::string virtual_service) {
  RouteTarget t;
  t.id = std::move(id);
  t.kind = "http";
  t.virtual_service = std::move(virtual_service);
  return t;
}

TEST(Coverage, MergeKeepsFirstAndSorts) {
  RouteTarget a = http_target("b", "ns/first");
  RouteTarget b = http_target("a", "ns/x");
  RouteTarget c = http_target("b", "ns/second");
  std::vector<RouteTarget> into{a};
  merge_targets(into, {c, b});
  ASSERT_EQ(into.size(), 2u);
  EXPECT_EQ(into[0].id, "a");
  EXPECT_EQ(into[1].virtual_service, "ns/first");
}

TEST(Coverage, NormalSource) {
  EXPECT_EQ(detail::normal_source({"a/b/../c.yaml", 3, 5}), "a/c.yaml:3:5");
  EXPECT_EQ(detail::normal_source({}), "");
}

}  // namespace
}  // namespace gwsim::conformance
