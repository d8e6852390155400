// `gwsim proxy-config`: the binary on the seed manifests, in istioctl's tables and as Envoy's
// config_dump.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/command.h"

namespace {

using gwsim::testing::Outcome;

using gwsim::testing::gwsim;

const std::string kQuotedSeed = std::string("'") + GWSIM_SOURCE_DIR "/scenarios/seed/manifests'";

// Columns as istioctl's listener writer pads them (tabwriter padding 1).
TEST(ProxyConfig, ListenersAsIstioctlPrintsThem) {
  Outcome r = gwsim("proxy-config listeners " + kQuotedSeed + " 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output,
            "ADDRESSES PORT MATCH DESTINATION\n"
            "0.0.0.0   8080 ALL   Route: http.8080\n");
}

// The route writer pads by 5; the last column is not padded.
TEST(ProxyConfig, RoutesNameTheirVirtualService) {
  Outcome r = gwsim("proxy-config routes " + kQuotedSeed + " 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output,
            "NAME          VHOST NAME             DOMAINS             MATCH     VIRTUAL SERVICE\n"
            "http.8080     www.service1.io:80     www.service1.io     /*        k8s-combat-istio-http-vs.default\n");
}

TEST(ProxyConfig, ClustersEndpointsAndSecrets) {
  Outcome clusters = gwsim("proxy-config clusters " + kQuotedSeed + " 2>/dev/null");
  ASSERT_EQ(clusters.code, 0) << clusters.output;
  EXPECT_EQ(clusters.output.rfind("SERVICE FQDN ", 0), 0u) << clusters.output;
  EXPECT_NE(clusters.output.find("k8s-combat-service-istio-mesh.default.svc.cluster.local     8081      v1         "
                                 "outbound      EDS      k8s-combat-service-ds.default\n"),
            std::string::npos)
      << clusters.output;

  Outcome endpoints = gwsim("proxy-config endpoints " + kQuotedSeed + " 2>/dev/null");
  ASSERT_EQ(endpoints.code, 0) << endpoints.output;
  EXPECT_EQ(endpoints.output.rfind("NAME ", 0), 0u) << endpoints.output;
  EXPECT_NE(endpoints.output.find("HEALTHY"), std::string::npos);
  EXPECT_NE(endpoints.output.find("outbound|8081|v2|k8s-combat-service-istio-mesh.default.svc.cluster.local\n"),
            std::string::npos)
      << endpoints.output;

  Outcome secrets = gwsim("proxy-config secrets " + kQuotedSeed + " 2>/dev/null");
  EXPECT_EQ(secrets.output, "No secret items to show.\n");

  Outcome all = gwsim("proxy-config all " + kQuotedSeed + " 2>/dev/null");
  EXPECT_NE(all.output.find("------ LISTENER INFO ------\n\nNAME" + std::string(18, ' ') +
                            "ADDRESSES PORT MATCH DESTINATION\n"
                            "listener/0.0.0.0_8080 0.0.0.0   8080 ALL   Route: http.8080\n"),
            std::string::npos)
      << all.output;
}

TEST(ProxyConfig, JsonIsEnvoysConfigDump) {
  Outcome r = gwsim("proxy-config listeners " + kQuotedSeed + " -o json 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.output;
  const auto listeners = nlohmann::json::parse(r.output);
  EXPECT_EQ(listeners["@type"], "type.googleapis.com/envoy.admin.v3.ListenersConfigDump");
  const auto& listener = listeners["dynamic_listeners"][0]["active_state"]["listener"];
  EXPECT_EQ(listener["@type"], "type.googleapis.com/envoy.config.listener.v3.Listener");
  EXPECT_EQ(listener["name"], "0.0.0.0_8080");
  EXPECT_EQ(listener["address"]["socket_address"]["port_value"], 8080);
  EXPECT_EQ(listener["filter_chains"][0]["filters"][0]["typed_config"]["rds"]["route_config_name"], "http.8080");

  Outcome all = gwsim("proxy-config all " + kQuotedSeed + " -o json 2>/dev/null");
  ASSERT_EQ(all.code, 0) << all.output;
  const auto dump = nlohmann::json::parse(all.output);
  ASSERT_EQ(dump["configs"].size(), 5u);
  const auto& route = dump["configs"][2]["dynamic_route_configs"][0]["route_config"];
  EXPECT_EQ(route["@type"], "type.googleapis.com/envoy.config.route.v3.RouteConfiguration");
  const auto& r0 = route["virtual_hosts"][0]["routes"][0];
  EXPECT_EQ(r0["route"]["cluster"], "outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local");
  EXPECT_EQ(r0["metadata"]["filter_metadata"]["istio"]["config"],
            "/apis/networking.istio.io/v1/namespaces/default/virtual-service/k8s-combat-istio-http-vs");

  Outcome yaml = gwsim("proxy-config clusters " + kQuotedSeed + " -o yaml 2>/dev/null");
  ASSERT_EQ(yaml.code, 0);
  EXPECT_NE(yaml.output.find("dynamic_active_clusters:"), std::string::npos) << yaml.output;
  EXPECT_NE(yaml.output.find("lb_policy: \"LEAST_REQUEST\""), std::string::npos) << yaml.output;
}

TEST(ProxyConfig, AnUnknownGatewayIsBadInput) {
  Outcome r = gwsim("proxy-config routes " + kQuotedSeed + " --gateway istio-system/nope");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("no gateway istio-system/nope (gateways: istio-system/istio-ingressgateway"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(gwsim("proxy-config frobs " + kQuotedSeed).code, 2);
}

}  // namespace
