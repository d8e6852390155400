// Ports the cases of Istio's TestGatewayHTTPRouteConfig (pilot/pkg/networking/core/gateway_test.go,
// Istio master) to gwsim: the same Gateways and VirtualServices, the same Service, and the same
// expectations on the gateway's HTTP route configuration.
//
// Domains follow Istio's expectedVirtualHostsHostPortStrip expectations: gateways ignore the port
// in host matching, so virtual host domains carry no ":port" variants. Virtual host names keep the
// Gateway server's port ("example.org:80"), like Istio's.
//
// Route configuration names: Istio's unit test runs a proxy without port translation and reads
// "http.80". gwsim runs the default ingress gateway install, whose Service maps port 80 to
// targetPort 8080, so the same route configuration is "http.8080" here. HTTPS servers keep the
// server port in the name: "https.443.https.gateway-https.default" in both.
//
// Besides domains and route counts, each case checks require_tls (Istio: RequireTls == ALL) the
// way Istio's test checks `redirect` for every virtual host.

#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

using DomainMap = std::map<std::string, std::vector<std::string>>;
using RouteCountMap = std::map<std::string, std::size_t>;

// ---- the objects Istio's test builds ------------------------------------------------------

// Istio's exampleService: host example.org in namespace default, port 80 "http" (HTTP), labelled
// for persistent sessions. It is a registry Service in Istio; a ServiceEntry gives gwsim the same.
void add_example_service(WorldBuilder& w) {
  ServiceEntry se;
  se.meta = meta("default", "example-org", 0, {{"istio.io/persistent-session", "session-cookie"}});
  se.hosts = {"example.org"};
  se.ports = {ServiceEntryPort{80, "HTTP", "http", 0}};
  se.location = "MESH_INTERNAL";
  se.resolution = "STATIC";
  w.snap.service_entries.push_back(se);
}

Server http_server(std::string host, bool https_redirect) {
  Server s;
  s.port = GatewayPort{80, "HTTP", "http", 0};
  s.hosts = {std::move(host)};
  if (https_redirect) {
    s.tls = ServerTLSSettings{};
    s.tls->https_redirect = true;
  }
  return s;
}

Server https_server(std::string host, bool https_redirect) {
  Server s;
  s.port = GatewayPort{443, "HTTPS", "https", 0};
  s.hosts = {std::move(host)};
  s.tls = ServerTLSSettings{};
  s.tls->mode = "SIMPLE";
  s.tls->mode_set = true;
  s.tls->https_redirect = https_redirect;
  return s;
}

// default/<name>, selector istio=ingressgateway, with the given servers.
void add_gateway_with(WorldBuilder& w, const std::string& name, std::vector<Server> servers) {
  Gateway& g = w.add_gateway("default", name, {});
  g.servers = std::move(servers);
}

// httpRedirectGateway: default/gateway-redirect, example.org on 80 with httpsRedirect.
void add_http_redirect_gateway(WorldBuilder& w) {
  add_gateway_with(w, "gateway-redirect", {http_server("example.org", true)});
}

// httpRedirectGatewayWithoutVS: the same server, as default/gateway-redirect-noroutes (no
// VirtualService names it).
void add_http_redirect_gateway_without_vs(WorldBuilder& w) {
  add_gateway_with(w, "gateway-redirect-noroutes", {http_server("example.org", true)});
}

// httpGateway: default/gateway, example.org on 80.
void add_http_gateway(WorldBuilder& w) { add_gateway_with(w, "gateway", {http_server("example.org", false)}); }

// httpCaseInSensitiveGateway: default/case-insensitive-gateway, Example.org on 80.
void add_http_case_insensitive_gateway(WorldBuilder& w) {
  add_gateway_with(w, "case-insensitive-gateway", {http_server("Example.org", false)});
}

// httpsGateway: default/gateway-https, Example.org on 80 with httpsRedirect, example.org on 443
// (HTTPS, SIMPLE).
void add_https_gateway(WorldBuilder& w) {
  add_gateway_with(w, "gateway-https", {http_server("Example.org", true), https_server("example.org", false)});
}

// httpsGatewayRedirect: default/gateway-https, example.org on 80 with httpsRedirect, example.org
// on 443 (HTTPS, SIMPLE) also with httpsRedirect.
void add_https_gateway_redirect(WorldBuilder& w) {
  add_gateway_with(w, "gateway-https", {http_server("example.org", true), https_server("example.org", true)});
}

// httpGatewayWildcard: default/gateway, "*" on 80.
void add_http_gateway_wildcard(WorldBuilder& w) { add_gateway_with(w, "gateway", {http_server("*", false)}); }

// virtualServiceSpec's single route: everything to example.org:80.
HTTPRoute to_example_org() { return route_to("example.org", "", 80); }

// virtualService: default/virtual-service, example.org via gateway and gateway-redirect.
void add_virtual_service(WorldBuilder& w) {
  w.add_vs("default", "virtual-service", {"example.org"}, {"gateway", "gateway-redirect"}, {to_example_org()});
}

// virtualServiceCopy: the same spec as default/virtual-service-copy.
void add_virtual_service_copy(WorldBuilder& w) {
  w.add_vs("default", "virtual-service-copy", {"example.org"}, {"gateway", "gateway-redirect"}, {to_example_org()});
}

// virtualServiceCaseInsensitive: Example.org via case-insensitive-gateway and gateway-redirect.
void add_virtual_service_case_insensitive(WorldBuilder& w) {
  w.add_vs("default", "virtual-service-case-insensitive", {"Example.org"},
           {"case-insensitive-gateway", "gateway-redirect"}, {to_example_org()});
}

// virtualServiceHTTPS: example.org via gateway-https; one route matching port 443 to
// example.default.svc.cluster.local:8080.
void add_virtual_service_https(WorldBuilder& w) {
  HTTPRoute r = route_to("example.default.svc.cluster.local", "", 8080);
  HTTPMatchRequest m;
  m.port = 443;
  r.match.push_back(m);
  w.add_vs("default", "virtual-service-https", {"example.org"}, {"gateway-https"}, {r});
}

// virtualServiceWildcard: *.org via gateway and gateway-redirect, to example.org:80.
void add_virtual_service_wildcard(WorldBuilder& w) {
  w.add_vs("default", "virtual-service-wildcard", {"*.org"}, {"gateway", "gateway-redirect"}, {to_example_org()});
}

// ---- checking -----------------------------------------------------------------------------

std::string route_config_names(const RouteTable& table) {
  std::string out;
  for (const auto& [name, rc] : table.route_configs) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Compile the gateway and compare the named route configuration's virtual hosts with Istio's
// expectations (domains, route counts, and require_tls on every virtual host).
void expect_route_config(WorldBuilder& w, const std::string& route_name, const DomainMap& want_domains,
                         const RouteCountMap& want_routes, bool want_redirect) {
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  ASSERT_TRUE(table.ok()) << table.error().to_string();
  auto it = table->route_configs.find(route_name);
  ASSERT_NE(it, table->route_configs.end())
      << "no route configuration " << route_name << "; have: " << route_config_names(*table);
  const RouteConfiguration& rc = it->second;
  DomainMap domains;
  RouteCountMap routes;
  for (const auto& vh : rc.virtual_hosts) {
    domains[vh.name] = vh.domains;
    routes[vh.name] = vh.routes.size();
    EXPECT_EQ(vh.require_tls, want_redirect) << "virtual host " << vh.name;
  }
  EXPECT_EQ(domains, want_domains);
  EXPECT_EQ(routes, want_routes);
}

// ---- the cases ----------------------------------------------------------------------------

// "404 when no services"
TEST(IstioGatewayRouteConfig, NotFoundWhenNoServices) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  expect_route_config(w, "http.8080", {{"blackhole:80", {"*"}}}, {{"blackhole:80", 0}}, false);
}

// "tls redirect without virtual services": the VirtualService names gateway and
// gateway-redirect, neither of which exists; the redirect server still gets a virtual host.
TEST(IstioGatewayRouteConfig, TlsRedirectWithoutVirtualServices) {
  WorldBuilder w;
  add_example_service(w);
  add_http_redirect_gateway_without_vs(w);
  add_virtual_service(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 0}}, true);
}

// "virtual services with tls redirect"
TEST(IstioGatewayRouteConfig, VirtualServicesWithTlsRedirect) {
  WorldBuilder w;
  add_example_service(w);
  add_http_redirect_gateway(w);
  add_virtual_service(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 1}}, true);
}

// "merging of virtual services when tls redirect is set": both VirtualServices bind to both
// servers, so each contributes its route once per server: 2 x 2 = 4.
TEST(IstioGatewayRouteConfig, MergingOfVirtualServicesWhenTlsRedirectIsSet) {
  WorldBuilder w;
  add_example_service(w);
  add_http_redirect_gateway(w);
  add_http_gateway(w);
  add_virtual_service(w);
  add_virtual_service_copy(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 4}}, true);
}

// "reverse merging of virtual services when tls redirect is set"
TEST(IstioGatewayRouteConfig, ReverseMergingOfVirtualServicesWhenTlsRedirectIsSet) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  add_http_redirect_gateway(w);
  add_virtual_service(w);
  add_virtual_service_copy(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 4}}, true);
}

// "merging of virtual services when tls redirect is set without VS"
TEST(IstioGatewayRouteConfig, MergingOfVirtualServicesWhenTlsRedirectIsSetWithoutVS) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  add_http_redirect_gateway_without_vs(w);
  add_virtual_service(w);
  add_virtual_service_copy(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 2}}, true);
}

// "reverse merging of virtual services when tls redirect is set without VS"
TEST(IstioGatewayRouteConfig, ReverseMergingOfVirtualServicesWhenTlsRedirectIsSetWithoutVS) {
  WorldBuilder w;
  add_example_service(w);
  add_http_redirect_gateway_without_vs(w);
  add_http_gateway(w);
  add_virtual_service(w);
  add_virtual_service_copy(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 2}}, true);
}

// "add a route for a virtual service"
TEST(IstioGatewayRouteConfig, AddARouteForAVirtualService) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  add_virtual_service(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 1}}, false);
}

// "duplicate virtual service should merge"
TEST(IstioGatewayRouteConfig, DuplicateVirtualServiceShouldMerge) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  add_virtual_service(w);
  add_virtual_service_copy(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 2}}, false);
}

// "duplicate virtual service case insensitive"
TEST(IstioGatewayRouteConfig, DuplicateVirtualServiceCaseInsensitive) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  add_http_case_insensitive_gateway(w);
  add_virtual_service(w);
  add_virtual_service_case_insensitive(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 2}}, false);
}

// "duplicate by wildcard should merge"
TEST(IstioGatewayRouteConfig, DuplicateByWildcardShouldMerge) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway(w);
  add_virtual_service(w);
  add_virtual_service_wildcard(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 2}}, false);
}

// "wildcard virtual service"
TEST(IstioGatewayRouteConfig, WildcardVirtualService) {
  WorldBuilder w;
  add_example_service(w);
  add_http_gateway_wildcard(w);
  add_virtual_service_wildcard(w);
  expect_route_config(w, "http.8080", {{"*.org:80", {"*.org"}}}, {{"*.org:80", 1}}, false);
}

// "http redirection not working when virtualservice not match http port" (first of two cases
// with this name in Istio: route configuration https.443.https.gateway-https.default).
TEST(IstioGatewayRouteConfig, HttpRedirectionNotWorkingWhenVirtualServiceNotMatchHttpPort_Https443) {
  WorldBuilder w;
  add_example_service(w);
  add_https_gateway(w);
  add_virtual_service_https(w);
  expect_route_config(w, "https.443.https.gateway-https.default", {{"example.org:443", {"example.org"}}},
                      {{"example.org:443", 1}}, false);
}

// "http redirection not working when virtualservice not match http port" (second: http.80).
TEST(IstioGatewayRouteConfig, HttpRedirectionNotWorkingWhenVirtualServiceNotMatchHttpPort_Http80) {
  WorldBuilder w;
  add_example_service(w);
  add_https_gateway(w);
  add_virtual_service_https(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 0}}, true);
}

// "http & https redirection not working when virtualservice not match http port" (first:
// https.443.https.gateway-https.default).
TEST(IstioGatewayRouteConfig, HttpAndHttpsRedirectionNotWorkingWhenVirtualServiceNotMatchHttpPort_Https443) {
  WorldBuilder w;
  add_example_service(w);
  add_https_gateway_redirect(w);
  add_virtual_service_https(w);
  expect_route_config(w, "https.443.https.gateway-https.default", {{"example.org:443", {"example.org"}}},
                      {{"example.org:443", 1}}, true);
}

// "http & https redirection not working when virtualservice not match http port" (second:
// http.80).
TEST(IstioGatewayRouteConfig, HttpAndHttpsRedirectionNotWorkingWhenVirtualServiceNotMatchHttpPort_Http80) {
  WorldBuilder w;
  add_example_service(w);
  add_https_gateway_redirect(w);
  add_virtual_service_https(w);
  expect_route_config(w, "http.8080", {{"example.org:80", {"example.org"}}}, {{"example.org:80", 0}}, true);
}

}  // namespace
}  // namespace gwsim::route
