#include "engine/route/merged_gateway.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "engine/route/gateway_workload.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

GatewayProxy ingress_proxy() {
  GatewayProxy p;
  p.namespace_ = "istio-system";
  p.labels = {{"istio", "ingressgateway"}};
  p.translated_ports = {{80, 8080}, {443, 8443}};
  return p;
}

Server server(std::uint32_t port, std::string protocol, std::vector<std::string> hosts, std::string name = "") {
  Server s;
  s.port = GatewayPort{port, std::move(protocol), name.empty() ? "p" + std::to_string(port) : name, 0};
  s.hosts = std::move(hosts);
  return s;
}

TEST(MergedGatewayTest, SanitizeServerHostNamespace) {
  Server s = server(80, "HTTP", {"./a.example.com", "*/b.example.com", "ns/c.example.com", "d.example.com"});
  EXPECT_EQ(sanitize_server_hosts(s, "gw-ns").hosts,
            (std::vector<std::string>{"gw-ns/a.example.com", "b.example.com", "ns/c.example.com", "d.example.com"}));
  Server all = server(80, "HTTP", {"a.example.com", "*/*"});
  EXPECT_EQ(sanitize_server_hosts(all, "gw-ns").hosts, (std::vector<std::string>{"*"}));
}

TEST(MergedGatewayTest, RdsNamesFollowGatewayRdsRouteName) {
  Gateway gw;
  gw.meta = meta("default", "gw");
  EXPECT_EQ(gateway_rds_route_name(server(80, "HTTP", {"*"}), 8080, gw), "http.8080");
  Server bound = server(80, "http", {"*"});
  bound.bind = "10.0.0.1";
  EXPECT_EQ(gateway_rds_route_name(bound, 8080, gw), "http.8080.10.0.0.1");
  Server https = server(443, "HTTPS", {"*"}, "https-main");
  https.tls = ServerTLSSettings{};
  https.tls->mode = "SIMPLE";
  EXPECT_EQ(gateway_rds_route_name(https, 8443, gw), "https.443.https-main.gw.default");
  https.tls->mode = "PASSTHROUGH";
  EXPECT_EQ(gateway_rds_route_name(https, 8443, gw), "");
  EXPECT_EQ(gateway_rds_route_name(server(31400, "TCP", {"*"}), 31400, gw), "");
}

TEST(MergedGatewayTest, ResolvePortsTranslatesOnlyKnownServicePorts) {
  const GatewayProxy proxy = ingress_proxy();
  EXPECT_EQ(resolve_port(proxy, 80), 8080u);
  EXPECT_EQ(resolve_port(proxy, 9000), 9000u);
}

TEST(MergedGatewayTest, OnlyGatewaysSelectingThePodOldestFirst) {
  WorldBuilder w;
  w.add_gateway("b", "newer", {"*"}, 80, 20);
  w.add_gateway("a", "older", {"*"}, 80, 10);
  w.add_gateway("c", "other", {"*"}).selector = {{"istio", "egressgateway"}};
  auto selected = select_gateways(w.snap, ingress_proxy());
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(selected[0]->meta.name, "older");
  EXPECT_EQ(selected[1]->meta.name, "newer");
}

TEST(MergedGatewayTest, HttpServersOnOnePortShareOneRouteName) {
  WorldBuilder w;
  w.add_gateway("default", "one", {"a.example.com"}, 80, 1);
  w.add_gateway("default", "two", {"b.example.com"}, 80, 2);
  std::vector<std::string> warnings;
  MergedGateway merged = merge_gateways(w.snap, ingress_proxy(), warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(merged.server_ports.size(), 1u);
  EXPECT_EQ(merged.server_ports[0].port, 8080u);
  EXPECT_EQ(merged.servers_by_route.at("http.8080"), (std::vector<int>{0, 1}));
  EXPECT_EQ(merged.find_gateway("default/two").meta.name, "two");
}

TEST(MergedGatewayTest, ConflictingProtocolOnAPortIsSkippedWithAWarning) {
  WorldBuilder w;
  w.add_gateway("default", "http", {"a.example.com"}, 80, 1);
  Gateway& tcp = w.add_gateway("default", "tcp", {"b.example.com"}, 80, 2);
  tcp.servers[0].port.protocol = "TCP";
  std::vector<std::string> warnings;
  MergedGateway merged = merge_gateways(w.snap, ingress_proxy(), warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("conflict with existing server 8080.HTTP"), std::string::npos);
  EXPECT_EQ(merged.merged.size(), 1u);
}

TEST(MergedGatewayTest, DuplicateTlsHostsOnOnePortAreSkipped) {
  WorldBuilder w;
  for (const char* name : {"first", "second"}) {
    Gateway& g = w.add_gateway("default", name, {"secure.example.com"}, 443, name[0] == 'f' ? 1 : 2);
    g.servers[0].port.protocol = "HTTPS";
    g.servers[0].port.name = std::string("https-") + name;
    g.servers[0].tls = ServerTLSSettings{};
    g.servers[0].tls->mode = "SIMPLE";
  }
  std::vector<std::string> warnings;
  merge_gateways(w.snap, ingress_proxy(), warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "skipping server on gateway default/second, duplicate host names: secure.example.com");
}

// Through the whole compile: what the merged servers make of listeners and route configs.
TEST(MergedGatewayTest, GatewaySelectorMustBeASubsetOfPodLabels) {
  WorldBuilder w;
  auto& g = w.add_gateway("default", "gw", {"a.com"});
  g.selector = {{"istio", "egressgateway"}};
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  EXPECT_TRUE(table->listeners.empty());
  EXPECT_TRUE(table->gateways.empty());
}

TEST(MergedGatewayTest, ServerPortNotInServiceListensVerbatim) {
  WorldBuilder w;
  w.add_gateway("default", "gw", {"a.com"}, 9090);
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_EQ(table->listeners.size(), 1u);
  EXPECT_EQ(table->listeners[0].name, "0.0.0.0_9090");
  EXPECT_TRUE(table->route_configs.count("http.9090"));
}

TEST(MergedGatewayTest, TwoGatewaysOnOnePortShareOneRouteConfig) {
  WorldBuilder w;
  w.add_gateway("default", "gw1", {"a.com"});
  w.add_gateway("other", "gw2", {"b.com"});
  w.add_vs("default", "a", {"a.com"}, {"gw1"}, {route_to("svc")});
  w.add_vs("other", "b", {"b.com"}, {"gw2"}, {route_to("svc")});
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_EQ(table->listeners.size(), 1u);
  const auto& vhs = table->route_configs.at("http.8080").virtual_hosts;
  ASSERT_EQ(vhs.size(), 2u);
  EXPECT_EQ(vhs[0].name, "a.com:80");
  EXPECT_EQ(vhs[1].name, "b.com:80");
}

// ---- internal.istio.io/gateway-service (push_context.go mergeGateways, gateway.go resolvePorts)

// A Gateway API workload: Service istio-system/gateway-istio (ports 80 and 15021, no targetPort)
// and its pod, next to the default ingress gateway.
WorldBuilder gateway_api_world() {
  WorldBuilder w;
  w.add_service("istio-system", "gateway-istio", {{"gateway.networking.k8s.io/gateway-name", "gateway"}},
                {WorldBuilder::port("status-port", 15021), WorldBuilder::port("default", 80)},
                {{"gateway-istio-1", {{"gateway.networking.k8s.io/gateway-name", "gateway"}}}});
  return w;
}

// A generated Gateway: no selector, bound to the Services `services` names.
Gateway& add_generated_gateway(WorldBuilder& w, const std::string& services, std::uint32_t port = 80,
                               const std::string& ns = "istio-system") {
  Gateway& g = w.add_gateway(ns, "gateway~istio-autogenerated-k8s-gateway~default", {"*/*.domain.example"}, port);
  g.selector.clear();
  g.meta.annotations = {{"internal.istio.io/gateway-semantics", "gateway"},
                        {"internal.istio.io/gateway-service", services},
                        {"internal.istio.io/parents", "Gateway/gateway/default.istio-system"}};
  return g;
}

TEST(MergedGatewayTest, GatewayServiceBindsOnlyTheNamedServicesWorkload) {
  WorldBuilder w = gateway_api_world();
  add_generated_gateway(w, "gateway-istio.istio-system.svc.cluster.local");
  auto bound = compile_gateway(w.snap, "istio-system/gateway-istio");
  ASSERT_TRUE(bound.ok()) << bound.error().to_string();
  EXPECT_EQ(bound->gateways,
            (std::vector<std::string>{"istio-system/gateway~istio-autogenerated-k8s-gateway~default"}));
  ASSERT_EQ(bound->listeners.size(), 1u);
  EXPECT_EQ(bound->listeners[0].name, "0.0.0.0_80");  // the Service port's targetPort (unset: 80)
  // Without a selector a Gateway users write would apply to every gateway; this one does not.
  auto other = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->gateways.empty());
  EXPECT_TRUE(other->listeners.empty());
}

TEST(MergedGatewayTest, GatewayServiceListsHostnamesCommaSeparated) {
  WorldBuilder w = gateway_api_world();
  add_generated_gateway(w, "other.istio-system.svc.cluster.local,istio-ingressgateway.istio-system.svc.cluster.local");
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->listeners.size(), 1u);
  EXPECT_EQ(table->listeners[0].name, "0.0.0.0_8080");  // 80 -> targetPort 8080
  EXPECT_TRUE(compile_gateway(w.snap, "istio-system/gateway-istio")->gateways.empty());
}

TEST(MergedGatewayTest, GatewayServiceMustBeInTheGatewaysNamespace) {
  WorldBuilder w = gateway_api_world();
  // The hostname is right but the Gateway lives in another namespace: Istio matches the
  // Service's namespace against the Gateway's.
  add_generated_gateway(w, "gateway-istio.istio-system.svc.cluster.local", 80, "default");
  EXPECT_TRUE(compile_gateway(w.snap, "istio-system/gateway-istio")->gateways.empty());
  // internal.istio.io/parent-namespace names the namespace instead (ListenerSets).
  w.snap.gateways.back().meta.annotations["internal.istio.io/parent-namespace"] = "istio-system";
  EXPECT_EQ(compile_gateway(w.snap, "istio-system/gateway-istio")->gateways.size(), 1u);
}

TEST(MergedGatewayTest, GatewayServicePortsHaveNoFallback) {
  WorldBuilder w = gateway_api_world();
  Gateway& g = add_generated_gateway(w, "gateway-istio.istio-system.svc.cluster.local", 8080);
  std::vector<std::string> warnings;
  auto proxy = gateway_workload(w.snap, "istio-system/gateway-istio");
  ASSERT_TRUE(proxy.ok());
  EXPECT_EQ(resolve_service_ports(g, *proxy, 8080), std::vector<std::uint32_t>{});
  EXPECT_EQ(resolve_service_ports(g, *proxy, 80), std::vector<std::uint32_t>{80});
  MergedGateway merged = merge_gateways(w.snap, *proxy, warnings);
  // The Gateway applies (its Service is the workload's) but its server listens nowhere, where a
  // selector-bound Gateway would listen on 8080 as is.
  EXPECT_EQ(merged.gateways.size(), 1u);
  EXPECT_TRUE(merged.server_ports.empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("not a port of its gateway Service"), std::string::npos) << warnings[0];
}

TEST(MergedGatewayTest, GatewayServiceIgnoresTheOptOutOfPortTranslation) {
  WorldBuilder w;
  w.snap.services[0].meta.labels["experimental.istio.io/disable-gateway-port-translation"] = "true";
  add_generated_gateway(w, "istio-ingressgateway.istio-system.svc.cluster.local");
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->listeners.size(), 1u);
  EXPECT_EQ(table->listeners[0].name, "0.0.0.0_8080");
}

TEST(MergedGatewayTest, GatewayServiceServerListensOnEveryMatchingTargetPort) {
  WorldBuilder w = gateway_api_world();
  Service second;
  second.meta = meta("istio-system", "gateway-istio-alt", 1);
  second.selector = {{"gateway.networking.k8s.io/gateway-name", "gateway"}};
  second.ports = {WorldBuilder::port("default", 80, 8081)};
  w.snap.services.push_back(second);
  add_generated_gateway(
      w, "gateway-istio.istio-system.svc.cluster.local,gateway-istio-alt.istio-system.svc.cluster.local");
  auto table = compile_gateway(w.snap, "istio-system/gateway-istio");
  ASSERT_TRUE(table.ok());
  std::vector<std::string> names;
  for (const auto& l : table->listeners) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.0.0.0_80", "0.0.0.0_8081"}));
}

// push_context.go filterStrictGatewayMerging (on by default): a Gateway API Gateway with a managed
// deployment keeps Gateways of other namespaces off its workload.
TEST(MergedGatewayTest, StrictGatewayMergingKeepsOtherNamespacesGatewaysOff) {
  WorldBuilder w;
  add_generated_gateway(w, "istio-ingressgateway.istio-system.svc.cluster.local");
  w.add_gateway("istio-system", "same-namespace", {"a.example.com"}, 80, 1).selector = {{"istio", "ingressgateway"}};
  w.add_gateway("default", "elsewhere", {"b.example.com"}, 80, 2);
  auto proxy = gateway_workload(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(proxy.ok());
  // Without a managed deployment ("" service account, an existing gateway by address): all apply.
  EXPECT_EQ(select_gateways(w.snap, *proxy).size(), 3u);
  w.snap.gateways.front().meta.annotations["internal.istio.io/service-account-name"] = "istio-ingressgateway";
  std::vector<std::string> warnings;
  auto selected = select_gateways(w.snap, *proxy, &warnings);
  std::vector<std::string> names;
  for (const auto* g : selected) names.push_back(g->meta.name);
  EXPECT_EQ(names, (std::vector<std::string>{"gateway~istio-autogenerated-k8s-gateway~default", "same-namespace"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "strict gateway merging: skipping gateway default/elsewhere not in managed GatewayAPI namespace");
}

}  // namespace
}  // namespace gwsim::route
