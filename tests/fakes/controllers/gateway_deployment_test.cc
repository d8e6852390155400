#include "fakes/controllers/gateway_deployment.h"

#include <gtest/gtest.h>

#include "fakes/controllers/controllers.h"

namespace gwsim::fakes {
namespace {

constexpr const char* kGatewayGroup = "gateway.networking.k8s.io";

Object make_deployment_object(Json doc) {
  Object o;
  o.doc = std::move(doc);
  return o;
}

Json gateway(const std::string& name, Json spec, Json metadata = Json::object()) {
  metadata["name"] = name;
  if (!metadata.contains("namespace")) metadata["namespace"] = "default";
  return {{"apiVersion", "gateway.networking.k8s.io/v1"}, {"kind", "Gateway"}, {"metadata", metadata}, {"spec", spec}};
}

Json http_listener(const std::string& name, int port, const std::string& protocol = "HTTP") {
  return {{"name", name}, {"port", port}, {"protocol", protocol}};
}

Json istio_spec(Json listeners) { return {{"gatewayClassName", "istio"}, {"listeners", listeners}}; }

struct World {
  ApiStore store;
  ControllerSet controllers{store};
  void apply(Json doc) {
    ASSERT_TRUE(store.apply(make_deployment_object(std::move(doc))).ok());
    controllers.reconcile();
  }
  std::optional<Object> get(const std::string& group, const std::string& kind, const std::string& name,
                            const std::string& ns = "default") {
    return store.get({group, kind, ns, name});
  }
};

// testdata/deployment/simple.yaml, for a default install: the names, labels, selector, owner.
TEST(GatewayDeploymentTest, GatewayOfClassIstioGetsDeploymentServiceAndServiceAccount) {
  World w;
  w.apply(gateway("web", istio_spec({http_listener("http", 80)}), {{"labels", {{"team", "a"}}}}));
  const Object gw = *w.get(kGatewayGroup, "Gateway", "web");
  const Json owner = Json::array({{{"apiVersion", "gateway.networking.k8s.io/v1"},
                                   {"kind", "Gateway"},
                                   {"name", "web"},
                                   {"uid", gw.doc["metadata"]["uid"]}}});
  const Json labels = {{"gateway.istio.io/managed", "istio.io-gateway-controller"},
                       {"gateway.networking.k8s.io/gateway-class-name", "istio"},
                       {"gateway.networking.k8s.io/gateway-name", "web"},
                       {"team", "a"}};

  auto deployment = w.get("apps", "Deployment", "web-istio");
  ASSERT_TRUE(deployment);
  EXPECT_EQ(deployment->doc["metadata"]["labels"], labels);
  EXPECT_EQ(deployment->doc["metadata"]["ownerReferences"], owner);
  EXPECT_EQ(deployment->doc["spec"]["selector"],
            Json({{"matchLabels", {{"gateway.networking.k8s.io/gateway-name", "web"}}}}));
  const Json& pod_meta = deployment->doc["spec"]["template"]["metadata"];
  EXPECT_EQ(pod_meta["labels"], Json({{"gateway.istio.io/managed", "istio.io-gateway-controller"},
                                      {"gateway.networking.k8s.io/gateway-class-name", "istio"},
                                      {"gateway.networking.k8s.io/gateway-name", "web"},
                                      {"service.istio.io/canonical-name", "web-istio"},
                                      {"service.istio.io/canonical-revision", "latest"},
                                      {"sidecar.istio.io/inject", "false"},
                                      {"team", "a"}}));
  EXPECT_EQ(pod_meta["annotations"]["istio.io/rev"], "default");
  EXPECT_EQ(pod_meta["annotations"]["prometheus.io/port"], "15020");
  EXPECT_EQ(deployment->doc["spec"]["template"]["spec"]["serviceAccountName"], "web-istio");

  auto service = w.get("", "Service", "web-istio");
  ASSERT_TRUE(service);
  EXPECT_EQ(service->doc["metadata"]["labels"], labels);
  EXPECT_EQ(service->doc["metadata"]["ownerReferences"], owner);
  EXPECT_EQ(service->doc["spec"]["type"], "LoadBalancer");
  EXPECT_EQ(service->doc["spec"]["ipFamilyPolicy"], "PreferDualStack");
  EXPECT_EQ(service->doc["spec"]["selector"], Json({{"gateway.networking.k8s.io/gateway-name", "web"}}));
  EXPECT_FALSE(service->doc["spec"]["clusterIP"].get<std::string>().empty());

  auto account = w.get("", "ServiceAccount", "web-istio");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->doc["metadata"]["labels"], labels);
  EXPECT_EQ(account->doc["metadata"]["ownerReferences"], owner);

  // The existing controllers run the workload: one ready pod behind the Service.
  auto pods = w.store.list("", "Pod", "default");
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].doc["metadata"]["labels"]["gateway.networking.k8s.io/gateway-name"], "web");
  auto endpoints = w.get("", "Endpoints", "web-istio");
  ASSERT_TRUE(endpoints);
  EXPECT_EQ(endpoints->doc["subsets"][0]["addresses"].size(), 1u);
  EXPECT_EQ(w.controllers.reconcile(), 0);  // settled
}

// extractServicePorts: status-port first, one port per distinct listener port, names sanitised
// and made unique, appProtocol the listener's protocol lower-cased.
TEST(GatewayDeploymentTest, ServicePortsFromListeners) {
  World w;
  w.apply(gateway("web", istio_spec({http_listener("http", 80), http_listener("also-80", 80),
                                     http_listener("secure.example.com", 443, "HTTPS"), http_listener("http", 8080),
                                     http_listener("", 9000, "TCP")})));
  auto service = w.get("", "Service", "web-istio");
  ASSERT_TRUE(service);
  std::vector<std::string> summary;
  for (const Json& p : service->doc["spec"]["ports"])
    summary.push_back(p["name"].get<std::string>() + " " + std::to_string(p["port"].get<int>()) + " " +
                      p["protocol"].get<std::string>() + " " + p["appProtocol"].get<std::string>());
  EXPECT_EQ(summary, (std::vector<std::string>{"status-port 15021 TCP tcp", "http 80 TCP http",
                                               "secure-example-com 443 TCP https", "http-8080 8080 TCP http",
                                               "tcp-4 9000 TCP tcp"}));
}

TEST(GatewayDeploymentTest, ServiceTypeAnnotationAndAddress) {
  World w;
  w.apply(gateway("internal", istio_spec({http_listener("http", 80)}),
                  {{"annotations", {{"networking.istio.io/service-type", "ClusterIP"}}}}));
  auto internal = w.get("", "Service", "internal-istio");
  ASSERT_TRUE(internal);
  EXPECT_EQ(internal->doc["spec"]["type"], "ClusterIP");
  EXPECT_EQ(internal->doc["metadata"]["annotations"]["networking.istio.io/service-type"], "ClusterIP");
  EXPECT_FALSE(internal->doc["status"].contains("loadBalancer") &&
               internal->doc["status"]["loadBalancer"].contains("ingress"));

  Json spec = istio_spec({http_listener("http", 80)});
  spec["addresses"] = {{{"type", "IPAddress"}, {"value", "203.0.113.7"}}};
  w.apply(gateway("fixed", spec));
  auto fixed = w.get("", "Service", "fixed-istio");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->doc["spec"]["loadBalancerIP"], "203.0.113.7");
  EXPECT_EQ(fixed->doc["status"]["loadBalancer"]["ingress"][0]["ip"], "203.0.113.7");
}

// IsManaged: a Hostname (or several addresses) means the user deploys the gateway.
TEST(GatewayDeploymentTest, ManualDeploymentIsLeftAlone) {
  EXPECT_TRUE(is_managed_gateway(Json::object()));
  EXPECT_TRUE(is_managed_gateway({{"addresses", {{{"value", "192.0.2.9"}}}}}));
  EXPECT_FALSE(is_managed_gateway({{"addresses", {{{"type", "Hostname"}, {"value", "gw.istio-system.svc"}}}}}));
  EXPECT_FALSE(is_managed_gateway({{"addresses", {{{"value", "192.0.2.9"}}, {{"value", "192.0.2.10"}}}}}));

  World w;
  Json spec = istio_spec({http_listener("http", 80)});
  spec["addresses"] = {{{"type", "Hostname"}, {"value", "istio-ingressgateway.istio-system.svc.cluster.local"}}};
  w.apply(gateway("manual", spec));
  EXPECT_FALSE(w.get("apps", "Deployment", "manual-istio"));
  EXPECT_FALSE(w.get("", "Service", "manual-istio"));
  EXPECT_FALSE(w.get(kGatewayGroup, "Gateway", "manual")->doc["metadata"].contains("annotations"));
}

TEST(GatewayDeploymentTest, OnlyClassesIstioDeploys) {
  World w;
  w.apply(gateway("remote", {{"gatewayClassName", "istio-remote"}, {"listeners", {http_listener("http", 80)}}}));
  w.apply(gateway("other", {{"gatewayClassName", "nginx"}, {"listeners", {http_listener("http", 80)}}}));
  EXPECT_FALSE(w.get("apps", "Deployment", "remote-istio-remote"));
  EXPECT_FALSE(w.get("apps", "Deployment", "other-nginx"));
  // A class of the user's with Istio's controller deploys, named after that class.
  w.apply({{"apiVersion", "gateway.networking.k8s.io/v1"},
           {"kind", "GatewayClass"},
           {"metadata", {{"name", "custom"}}},
           {"spec", {{"controllerName", "istio.io/gateway-controller"}}}});
  w.apply(gateway("mine", {{"gatewayClassName", "custom"}, {"listeners", {http_listener("http", 80)}}}));
  auto d = w.get("apps", "Deployment", "mine-custom");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->doc["metadata"]["labels"]["gateway.networking.k8s.io/gateway-class-name"], "custom");
}

TEST(GatewayDeploymentTest, NameOverridesAndRevision) {
  World w;
  w.apply(gateway("web", istio_spec({http_listener("http", 80)}),
                  {{"annotations",
                    {{"gateway.istio.io/name-override", "edge"}, {"gateway.istio.io/service-account", "edge-sa"}}}}));
  auto d = w.get("apps", "Deployment", "edge");
  ASSERT_TRUE(d);
  EXPECT_TRUE(w.get("", "Service", "edge"));
  EXPECT_TRUE(w.get("", "ServiceAccount", "edge-sa"));
  EXPECT_EQ(d->doc["spec"]["template"]["spec"]["serviceAccountName"], "edge-sa");
  EXPECT_FALSE(d->doc["metadata"]["annotations"].contains("gateway.istio.io/name-override"));  // omitted

  w.apply(gateway("canary", istio_spec({http_listener("http", 80)}), {{"labels", {{"istio.io/rev", "canary"}}}}));
  EXPECT_FALSE(w.get("apps", "Deployment", "canary-istio"));
}

// ManagedGatewayControllerVersion: Istio marks the Gateway as its own (version 5) and leaves one
// a newer controller owns.
TEST(GatewayDeploymentTest, ControllerVersion) {
  World w;
  w.apply(gateway("web", istio_spec({http_listener("http", 80)})));
  EXPECT_EQ(w.get(kGatewayGroup, "Gateway", "web")->doc["metadata"]["annotations"]["gateway.istio.io/controller-version"],
            "5");
  EXPECT_EQ(w.get(kGatewayGroup, "Gateway", "web")->doc["metadata"]["generation"], 1);
  w.apply(gateway("newer", istio_spec({http_listener("http", 80)}),
                  {{"annotations", {{"gateway.istio.io/controller-version", "6"}}}}));
  EXPECT_FALSE(w.get("apps", "Deployment", "newer-istio"));
}

// canManage: an object of that name Istio did not make is never overwritten.
TEST(GatewayDeploymentTest, DoesNotTakeOverForeignObjects) {
  World w;
  w.apply({{"apiVersion", "v1"},
           {"kind", "Service"},
           {"metadata", {{"name", "web-istio"}, {"namespace", "default"}}},
           {"spec", {{"ports", {{{"port", 1234}}}}}}});
  w.apply(gateway("web", istio_spec({http_listener("http", 80)})));
  EXPECT_EQ(w.get("", "Service", "web-istio")->doc["spec"]["ports"].size(), 1u);
  EXPECT_TRUE(w.get("apps", "Deployment", "web-istio"));
}

// A listener change updates the Service (keeping its cluster IP and node ports); scaling the
// Deployment is kept (the template sets no replicas).
TEST(GatewayDeploymentTest, UpdatesFollowTheGateway) {
  World w;
  w.apply(gateway("web", istio_spec({http_listener("http", 80)})));
  const Json before = w.get("", "Service", "web-istio")->doc["spec"];
  Object d = *w.get("apps", "Deployment", "web-istio");
  d.doc["spec"]["replicas"] = 2;
  ASSERT_TRUE(w.store.update(d).ok());
  w.apply(gateway("web", istio_spec({http_listener("http", 80), http_listener("https", 443, "HTTPS")})));
  const Json after = w.get("", "Service", "web-istio")->doc["spec"];
  EXPECT_EQ(after["ports"].size(), 3u);
  EXPECT_EQ(after["clusterIP"], before["clusterIP"]);
  EXPECT_EQ(w.get("apps", "Deployment", "web-istio")->doc["spec"]["replicas"], 2);
  EXPECT_EQ(w.store.list("", "Pod", "default").size(), 2u);
}

// The garbage collector: the Gateway's dependents go with it, and their pods and Endpoints.
TEST(GatewayDeploymentTest, DeletingTheGatewayRemovesWhatWasMadeForIt) {
  World w;
  w.apply(gateway("web", istio_spec({http_listener("http", 80)})));
  w.apply(gateway("other", istio_spec({http_listener("http", 80)})));
  ASSERT_TRUE(w.store.remove({kGatewayGroup, "Gateway", "default", "web"}).ok());
  w.controllers.reconcile();
  for (const auto& [group, kind] : std::vector<std::pair<std::string, std::string>>{
           {"apps", "Deployment"}, {"", "Service"}, {"", "ServiceAccount"}, {"", "Endpoints"}})
    EXPECT_FALSE(w.get(group, kind, "web-istio")) << kind;
  EXPECT_TRUE(w.get("apps", "Deployment", "other-istio"));
  auto pods = w.store.list("", "Pod", "default");
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].doc["metadata"]["labels"]["gateway.networking.k8s.io/gateway-name"], "other");
}

// ListenerSets attached to the Gateway add their ports when the Gateway allows them.
TEST(GatewayDeploymentTest, ListenerSetPorts) {
  World w;
  Json spec = istio_spec({http_listener("http", 80)});
  spec["allowedListeners"] = {{"namespaces", {{"from", "Same"}}}};
  w.apply(gateway("web", spec));
  auto listener_set = [](const std::string& name, const std::string& ns, int port) {
    return Json{{"apiVersion", "gateway.networking.k8s.io/v1"},
                {"kind", "ListenerSet"},
                {"metadata", {{"name", name}, {"namespace", ns}}},
                {"spec",
                 {{"parentRef", {{"name", "web"}, {"namespace", "default"}}},
                  {"listeners", {{{"name", name}, {"port", port}, {"protocol", "HTTP"}}}}}}};
  };
  w.apply(listener_set("extra", "default", 8081));
  w.apply(listener_set("elsewhere", "shop", 8082));  // not allowed: another namespace
  auto service = w.get("", "Service", "web-istio");
  ASSERT_TRUE(service);
  std::vector<int> ports;
  for (const Json& p : service->doc["spec"]["ports"]) ports.push_back(p["port"]);
  EXPECT_EQ(ports, (std::vector<int>{15021, 80, 8081}));
}

}  // namespace
}  // namespace gwsim::fakes
