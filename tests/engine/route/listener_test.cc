#include "engine/route/listener.h"

#include <gtest/gtest.h>

#include <functional>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

FilterChain chain(std::string gateway, std::vector<std::string> server_names, std::string tls_mode) {
  FilterChain c;
  c.gateway = std::move(gateway);
  c.server_names = std::move(server_names);
  c.tls_mode = std::move(tls_mode);
  return c;
}

TEST(ListenerTest, SniHostsDropNamespacesDeduplicateAndSort) {
  model::Server s;
  s.hosts = {"ns/b.example.com", "a.example.com", "other/b.example.com"};
  EXPECT_EQ(sni_hosts_for_server(s), (std::vector<std::string>{"a.example.com", "b.example.com"}));
  s.hosts.push_back("*/*");
  s.hosts.push_back("*");
  EXPECT_TRUE(sni_hosts_for_server(s).empty());  // "*": no SNI criterion
}

TEST(ListenerTest, ChainsWithTheSameServerNamesClash) {
  Listener l;
  l.filter_chains = {chain("a/gw", {"x.example.com", "y.example.com"}, "SIMPLE"),
                     chain("b/gw", {"y.example.com", "x.example.com"}, "SIMPLE")};
  auto clash = duplicate_chain_match(l);
  ASSERT_TRUE(clash.has_value());
  EXPECT_EQ(*clash, "server names x.example.com,y.example.com, from gateways a/gw and b/gw");
}

TEST(ListenerTest, DifferentTransportOrNamesDoNotClash) {
  Listener l;
  l.filter_chains = {chain("a/gw", {}, ""), chain("b/gw", {}, "PASSTHROUGH"), chain("c/gw", {"z.example.com"}, "SIMPLE")};
  EXPECT_FALSE(duplicate_chain_match(l).has_value());
  l.filter_chains.push_back(chain("d/gw", {}, "SIMPLE"));
  auto clash = duplicate_chain_match(l);
  ASSERT_TRUE(clash.has_value());
  EXPECT_EQ(*clash, "server names any, from gateways b/gw and d/gw");
}

// Envoy refuses a listener whose filter chains match the same connections: the same HTTPS
// server ("./*") in two namespaces gives two TLS chains without SNI, and port 443 gets no
// listener. Different hosts make different chains, and the listener stays.
TEST(ListenerTest, ListenerWithClashingFilterChainsIsRejected) {
  auto https_gateway = [](WorldBuilder& w, const std::string& ns, const std::string& host) {
    Gateway& g = w.add_gateway(ns, "gateway", {host}, 443);
    g.servers[0].port.protocol = "HTTPS";
    g.servers[0].port.name = "https-ingress";
    g.servers[0].tls = ServerTLSSettings{};
    g.servers[0].tls->mode = "SIMPLE";
    g.servers[0].tls->credential_name = "sds-credential";
  };
  WorldBuilder clash;
  https_gateway(clash, "istio-system", "./*");
  https_gateway(clash, "default", "./*");
  auto table = compile_gateway(clash.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->find_listener(8443), nullptr);
  ASSERT_FALSE(table->warnings.empty());
  EXPECT_NE(table->warnings.back().find("Envoy rejects listener 0.0.0.0_8443: multiple filter chains"), std::string::npos)
      << table->warnings.back();

  WorldBuilder distinct;
  https_gateway(distinct, "istio-system", "a.example.com");
  https_gateway(distinct, "default", "b.example.com");
  table = compile_gateway(distinct.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok());
  ASSERT_NE(table->find_listener(8443), nullptr);
  EXPECT_EQ(table->find_listener(8443)->filter_chains.size(), 2u);
}

// Istio's TestGatewayFilterChainSNIOverlap (gateway_test.go): passthrough servers whose hosts
// overlap ("example.com" and "*", in one Gateway or two) still make a valid listener: the
// second chain for the same SNI is skipped, so Envoy has nothing to refuse.
TEST(ListenerTest, OverlappingPassthroughServersStillMakeOneValidListener) {
  auto passthrough = [](Gateway& g, const std::string& name, const std::string& protocol, const std::string& host) {
    Server s;
    s.port = GatewayPort{443, protocol, name, 0};
    s.hosts = {host};
    s.tls = ServerTLSSettings{};
    s.tls->mode = "PASSTHROUGH";
    g.servers.push_back(s);
  };
  auto tls_vs = [](WorldBuilder& w, const std::string& gateway) {
    VirtualService& vs = w.add_vs("testns", "example", {"example.com"}, {gateway}, {});
    TLSRoute route;
    TLSMatchAttributes match;
    match.sni_hosts = {"example.com"};
    route.match = {match};
    RouteDestination d;
    d.destination.host = "example";
    route.route = {d};
    vs.tls = {route};
  };
  struct Case {
    std::string name;
    std::function<void(WorldBuilder&)> build;
  };
  std::vector<Case> cases = {
      {"no sni overlap",
       [&](WorldBuilder& w) {
         Gateway& g = w.add_gateway("testns", "gw", {"example.com"}, 443);
         g.servers.clear();
         passthrough(g, "example", "TLS", "example.com");
         tls_vs(w, "testns/gw");
       }},
      {"sni overlap in one gateway",
       [&](WorldBuilder& w) {
         Gateway& g = w.add_gateway("testns", "gw", {"example.com"}, 443);
         g.servers.clear();
         passthrough(g, "example", "TLS", "example.com");
         passthrough(g, "wildcard-tls", "HTTPS", "*");
         tls_vs(w, "testns/gw");
       }},
      {"sni overlap in two gateways",
       [&](WorldBuilder& w) {
         Gateway& g1 = w.add_gateway("testns", "gw1", {"example.com"}, 443);
         g1.servers.clear();
         passthrough(g1, "example", "TLS", "example.com");
         Gateway& g2 = w.add_gateway("testns", "gw2", {"*"}, 443, 1);
         g2.servers.clear();
         passthrough(g2, "wildcard-tls", "HTTPS", "*");
         tls_vs(w, "testns/gw2");
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    WorldBuilder w;
    c.build(w);
    auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
    ASSERT_TRUE(table.ok());
    const Listener* l = table->find_listener(8443);
    ASSERT_NE(l, nullptr);
    ASSERT_EQ(l->filter_chains.size(), 1u);
    EXPECT_EQ(l->filter_chains[0].server_names, std::vector<std::string>{"example.com"});
    for (const auto& warning : table->warnings) EXPECT_EQ(warning.find("Envoy rejects"), std::string::npos) << warning;
  }
}

// gateway.go buildGatewayNetworkFiltersFromTCPRoutes: a VirtualService generated from a TLSRoute
// (internal.istio.io/parents "TLSRoute/...") has tls blocks only; a terminating TLS server takes
// its first matching one as the TCP route. Other VirtualServices' tls blocks are not used there.
TEST(ListenerTest, TlsRouteVirtualServicesRouteTerminatedTlsServers) {
  auto terminating_world = [](const std::string& parents) {
    WorldBuilder w;
    w.add_service("default", "backend", {{"app", "backend"}}, {WorldBuilder::port("tcp", 9000)},
                  {{"backend-1", {{"app", "backend"}}}});
    Gateway& g = w.add_gateway("default", "gw", {"tls.example.com"}, 443);
    g.servers[0].port.protocol = "TLS";
    g.servers[0].port.name = "tls";
    g.servers[0].tls = ServerTLSSettings{};
    g.servers[0].tls->mode = "SIMPLE";
    g.servers[0].tls->credential_name = "cert";
    VirtualService& vs = w.add_vs("default", "generated", {"tls.example.com"}, {"default/gw"}, {});
    if (!parents.empty()) vs.meta.annotations["internal.istio.io/parents"] = parents;
    TLSRoute tls;
    TLSMatchAttributes m;
    m.sni_hosts = {"tls.example.com"};
    tls.match = {m};
    RouteDestination d;
    d.destination.host = "backend.default.svc.cluster.local";
    d.destination.port = PortSelector{9000};
    tls.route = {d};
    vs.tls = {tls};
    return w;
  };
  auto table = compile_gateway(terminating_world("TLSRoute/tls.default").snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok()) << table.error().to_string();
  ASSERT_EQ(table->listeners.size(), 1u);
  ASSERT_EQ(table->listeners[0].filter_chains.size(), 1u);
  const FilterChain& c = table->listeners[0].filter_chains[0];
  EXPECT_FALSE(c.http);
  EXPECT_EQ(c.tls_mode, "SIMPLE");
  ASSERT_EQ(c.tcp_clusters.size(), 1u);
  EXPECT_EQ(c.tcp_clusters[0].cluster, "outbound|9000||backend.default.svc.cluster.local");
  EXPECT_EQ(c.virtual_service, "default/generated");

  auto plain = compile_gateway(terminating_world("").snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->listeners.empty()) << "a users' tls route does not route a terminating server";
  auto http_route =
      compile_gateway(terminating_world("HTTPRoute/web.default").snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(http_route.ok());
  EXPECT_TRUE(http_route->listeners.empty());
}

}  // namespace
}  // namespace gwsim::route
