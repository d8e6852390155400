// The config_dump JSON of `gwsim proxy-config -o json`: Envoy's field names and type URLs.
#include "engine/config_dump/envoy_config_dump.h"

#include <gtest/gtest.h>

namespace gwsim::config_dump {
namespace {

route::RouteTable table() {
  route::RouteTable t;
  route::Listener l;
  l.name = "0.0.0.0_8443";
  l.port = 8443;
  route::FilterChain chain;
  chain.server_names = {"shop.example.com"};
  chain.tls_mode = "MUTUAL";
  chain.tls = model::ServerTLSSettings{};
  chain.tls->credential_name = "shop-cert";
  chain.credential = route::TlsCredential{"istio-system/shop-cert", "CERT", "KEY", "CA"};
  chain.route_config = "https.443.https.gw.default";
  l.filter_chains.push_back(chain);
  t.listeners.push_back(l);

  route::RouteConfiguration rc;
  rc.name = chain.route_config;
  route::VirtualHost vh;
  vh.name = "shop.example.com:443";
  vh.domains = {"shop.example.com"};
  route::Route weighted;
  weighted.match.path = {route::PathMatcher::Kind::kPrefix, "/cart", true, nullptr};
  weighted.route.clusters = {{.cluster = "outbound|80|v1|cart.default.svc.cluster.local", .weight = 90},
                             {.cluster = "outbound|80|v2|cart.default.svc.cluster.local", .weight = 10}};
  weighted.route.total_weight = 100;
  weighted.virtual_service = "default/cart";
  route::Route redirect;
  redirect.action_kind = route::Route::ActionKind::kRedirect;
  redirect.redirect.scheme = "https";
  redirect.redirect.code = 308;
  vh.routes.push_back(weighted);
  vh.routes.push_back(redirect);
  rc.virtual_hosts.push_back(vh);
  t.route_configs.emplace(rc.name, rc);
  return t;
}

TEST(EnvoyConfigDump, RoutesInEnvoysFieldNamesWithIstiosMetadata) {
  const auto dump = routes_dump(table());
  EXPECT_EQ(dump["@type"], "type.googleapis.com/envoy.admin.v3.RoutesConfigDump");
  const auto& rc = dump["dynamic_route_configs"][0]["route_config"];
  EXPECT_EQ(rc["@type"], kRouteConfigurationType);
  const auto& routes = rc["virtual_hosts"][0]["routes"];
  EXPECT_EQ(routes[0]["match"]["prefix"], "/cart");
  EXPECT_EQ(routes[0]["route"]["weighted_clusters"]["clusters"][1]["weight"], 10);
  EXPECT_EQ(routes[0]["route"]["timeout"], "0s");
  EXPECT_EQ(routes[0]["metadata"]["filter_metadata"]["istio"]["config"],
            "/apis/networking.istio.io/v1/namespaces/default/virtual-service/cart");
  EXPECT_EQ(routes[1]["redirect"]["https_redirect"], true);
  EXPECT_EQ(routes[1]["redirect"]["response_code"], "PERMANENT_REDIRECT");
}

TEST(EnvoyConfigDump, ATerminatingChainNamesItsSdsSecretsAndTheKeyIsRedacted) {
  const auto t = table();
  const auto listeners = listeners_dump(t);
  const auto& chain = listeners["dynamic_listeners"][0]["active_state"]["listener"]["filter_chains"][0];
  EXPECT_EQ(chain["filter_chain_match"]["server_names"][0], "shop.example.com");
  const auto& tls = chain["transport_socket"]["typed_config"];
  EXPECT_EQ(tls["common_tls_context"]["tls_certificate_sds_secret_configs"][0]["name"], "kubernetes://shop-cert");
  EXPECT_EQ(tls["common_tls_context"]["combined_validation_context"]["validation_context_sds_secret_config"]["name"],
            "kubernetes://shop-cert-cacert");
  EXPECT_EQ(tls["require_client_certificate"], true);
  const auto secrets = secrets_dump(t)["dynamic_active_secrets"];
  ASSERT_EQ(secrets.size(), 2u);
  EXPECT_EQ(secrets[0]["secret"]["tls_certificate"]["certificate_chain"]["inline_bytes"], "Q0VSVA==");  // "CERT"
  EXPECT_EQ(secrets[0]["secret"]["tls_certificate"]["private_key"]["inline_bytes"], "W3JlZGFjdGVkXQ==");
  EXPECT_EQ(secrets[1]["secret"]["validation_context"]["trusted_ca"]["inline_bytes"], "Q0E=");  // "CA"
}

TEST(EnvoyConfigDump, TheWholeDumpInEnvoysOrder) {
  const auto dump = config_dump(table());
  ASSERT_EQ(dump["configs"].size(), 5u);
  EXPECT_EQ(dump["configs"][0]["@type"], "type.googleapis.com/envoy.admin.v3.ClustersConfigDump");
  EXPECT_EQ(dump["configs"][4]["@type"], "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump");
}

}  // namespace
}  // namespace gwsim::config_dump
