// ControlPlane: writes validated as by Istio's webhook, the controllers run after each write,
// and each tracked gateway's table republished on every change (istiod's push).
#include "runtime/control_plane.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/route/authorization.h"
#include "runtime/gateway_services.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

using gwsim::testing::documents;

std::vector<model::Object> objects(const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  EXPECT_FALSE(load.has_errors());
  return load.objects;
}

const std::string kVirtualService = R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

const std::string kVirtualServiceWithoutHosts = R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: no-hosts}
spec:
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)";

std::size_t pod_count(ControlPlane& control_plane, const std::string& ns) {
  std::size_t n = 0;
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
    for (const auto& p : snap.pods) n += p.meta.namespace_ == ns;
  });
  return n;
}

TEST(ControlPlane, RefusedObjectsAreNotStoredTheOthersAre) {
  ControlPlane control_plane;
  ApplyResult result = control_plane.apply(
      objects(gwsim::testing::echo_behind_gateway() + "---" + kVirtualServiceWithoutHosts + "---" + kVirtualService));
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.rejected.size(), 1u);
  EXPECT_NE(result.rejected[0].find("no-hosts"), std::string::npos) << result.rejected[0];
  EXPECT_EQ(result.stored, 4);
  EXPECT_TRUE(control_plane.store().get({"networking.istio.io", "VirtualService", "default", "a"}));
  EXPECT_FALSE(control_plane.store().get({"networking.istio.io", "VirtualService", "default", "no-hosts"}));
  // The controllers ran: the Deployment has its pod.
  EXPECT_EQ(pod_count(control_plane, "default"), 1u);
}

TEST(ControlPlane, DryRunStoresNothing) {
  ControlPlane control_plane;
  ApplyResult result = control_plane.apply(objects(kVirtualService), /*dry_run=*/true);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.stored, 1);
  EXPECT_FALSE(control_plane.store().get({"networking.istio.io", "VirtualService", "default", "a"}));
}

TEST(ControlPlane, TablesAreRepublishedOnChangeOnly) {
  ControlPlane control_plane;
  control_plane.apply(objects(gwsim::testing::echo_behind_gateway("*.example.com")));
  control_plane.install_default_gateway_if_missing();
  auto first = control_plane.table(kDefaultIngressGateway);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(control_plane.table(kDefaultIngressGateway).value(), first.value()) << "nothing changed: same table";

  std::vector<std::string> published;
  int id = control_plane.subscribe(
      [&](const std::string& gateway, const Result<TablePtr>& table) { published.push_back(gateway); });
  control_plane.apply(objects(kVirtualService));
  EXPECT_EQ(published, std::vector<std::string>{kDefaultIngressGateway});
  auto second = control_plane.table(kDefaultIngressGateway);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second.value(), first.value());
  auto vhosts = [](const TablePtr& table) {
    std::vector<std::string> names;
    for (const auto& [name, config] : table->route_configs)
      for (const auto& vhost : config.virtual_hosts) names.push_back(vhost.name);
    return names;
  };
  EXPECT_EQ(vhosts(first.value()), std::vector<std::string>{"blackhole:80"});
  EXPECT_EQ(vhosts(second.value()), std::vector<std::string>{"a.example.com:80"});

  control_plane.unsubscribe(id);
  ASSERT_TRUE(control_plane.remove({"networking.istio.io", "VirtualService", "default", "a"}).value());
  EXPECT_EQ(published.size(), 1u) << "unsubscribed";
}

TEST(ControlPlane, AuthorizationPoliciesReachTheTableAndLeaveItWhenRemoved) {
  ControlPlane control_plane;
  control_plane.apply(objects(gwsim::testing::echo_behind_gateway("*.example.com")));
  control_plane.install_default_gateway_if_missing();
  ASSERT_TRUE(control_plane.table(kDefaultIngressGateway).ok());
  EXPECT_EQ(control_plane.table(kDefaultIngressGateway).value()->authorization, nullptr);

  ApplyResult refused = control_plane.apply(objects(R"(
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: bad, namespace: istio-system}
spec:
  rules: [{from: [{source: {ipBlocks: [10.0.0.0/40]}}]}]
)"));
  ASSERT_EQ(refused.rejected.size(), 1u);
  EXPECT_NE(refused.rejected[0].find("invalid policy bad.istio-system: bad CIDR range"), std::string::npos)
      << refused.rejected[0];

  ASSERT_TRUE(control_plane.apply(objects(R"(
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: istio-system}
spec:
  action: DENY
  rules: [{to: [{operation: {paths: [/admin]}}]}]
)")).ok());
  auto with_policy = control_plane.table(kDefaultIngressGateway);
  ASSERT_TRUE(with_policy.ok());
  ASSERT_TRUE(with_policy.value()->authorization && with_policy.value()->authorization->deny);
  EXPECT_EQ(with_policy.value()->authorization->deny->policies.at(0).policy, "istio-system/deny-admin");

  ASSERT_TRUE(
      control_plane.remove({"security.istio.io", "AuthorizationPolicy", "istio-system", "deny-admin"}).value());
  EXPECT_EQ(control_plane.table(kDefaultIngressGateway).value()->authorization, nullptr);
}

TEST(ControlPlane, ReadinessSetByTheKubeletSurvivesControllerRuns) {
  ControlPlane control_plane;
  control_plane.apply(objects(gwsim::testing::echo_behind_gateway()));
  std::string pod;
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) { pod = snap.pods.at(0).meta.name; });
  control_plane.set_pod_ready("default", pod, false);
  ASSERT_TRUE(control_plane.scale("default", "echo-v1", 2).value());
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
    ASSERT_EQ(snap.pods.size(), 2u);
    for (const auto& p : snap.pods) EXPECT_EQ(p.ready, p.meta.name != pod) << p.meta.name;
  });
  EXPECT_FALSE(control_plane.scale("default", "missing", 1).ok());
}

TEST(ControlPlane, PodBehavioursAreKeptUntilReset) {
  ControlPlane control_plane;
  EXPECT_FALSE(control_plane.pod_behaviour("default", "p").has_value());
  fakes::PodBehaviour slow;
  slow.delay_ms = 250;
  control_plane.set_pod_behaviour("default", "p", slow);
  ASSERT_TRUE(control_plane.pod_behaviour("default", "p").has_value());
  EXPECT_EQ(control_plane.pod_behaviour("default", "p")->delay_ms, 250);
  control_plane.reset_pod_behaviour("default", "p");
  EXPECT_FALSE(control_plane.pod_behaviour("default", "p").has_value());
}

TEST(ControlPlane, DefaultGatewayInstalledOnlyWhenNoneExists) {
  ControlPlane control_plane;
  control_plane.install_default_gateway_if_missing();
  EXPECT_EQ(pod_count(control_plane, "istio-system"), 1u);
  control_plane.install_default_gateway_if_missing();
  EXPECT_EQ(pod_count(control_plane, "istio-system"), 1u);

  ControlPlane custom;
  custom.apply(objects(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: my-gw}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: {istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
)"));
  custom.install_default_gateway_if_missing();
  EXPECT_EQ(pod_count(custom, "istio-system"), 0u);
}

// ---- Istio's Kubernetes controllers (the convert hook) -------------------------------------
//
// The real converters (kube_gateway::convert, kube_ingress::convert) are other modules'; these
// tests give the ControlPlane a stand-in that derives config from the Services it reads: for the
// Service echo it generates a Gateway bound by internal.istio.io/gateway-service to the default
// ingress gateway and a VirtualService for the host in the Service's label `test/host`, and it
// writes a status naming that host to HTTPRoute default/web.

struct FakeConverter {
  int calls = 0;
  std::vector<std::string> warnings;

  model::GeneratedConfig operator()(const model::ConfigSnapshot& snapshot) {
    ++calls;
    model::GeneratedConfig out;
    out.warnings = warnings;
    for (const auto& svc : snapshot.services) {
      if (svc.meta.name != "echo" || !svc.meta.labels.count("test/host")) continue;
      const std::string host = svc.meta.labels.at("test/host");
      model::Gateway gw;
      gw.meta.namespace_ = "istio-system";
      gw.meta.name = "gw~istio-autogenerated-k8s-gateway~http";
      gw.meta.annotations = {
          {"internal.istio.io/gateway-semantics", "gateway"},
          {"internal.istio.io/gateway-service", "istio-ingressgateway.istio-system.svc.cluster.local"}};
      model::Server server;
      server.port = model::GatewayPort{80, "HTTP", "http", 0};
      server.hosts = {"*/*"};
      gw.servers.push_back(server);
      out.gateways.push_back(gw);
      model::VirtualService vs;
      vs.meta.namespace_ = "default";
      vs.meta.name = "istio-system~gw~istio-autogenerated-k8s-gateway~http~" + host;
      vs.meta.annotations = {{"internal.istio.io/route-semantics", "gateway"},
                             {"internal.istio.io/parents", "HTTPRoute/web.default"}};
      vs.hosts = {host};
      vs.gateways = {"istio-system/gw~istio-autogenerated-k8s-gateway~http"};
      model::HTTPRoute route;
      route.name = "default.web.0";
      model::HTTPRouteDestination d;
      d.destination.host = "echo.default.svc.cluster.local";
      d.destination.port = model::PortSelector{80};
      route.route.push_back(d);
      vs.http.push_back(route);
      out.virtual_services.push_back(vs);
      out.statuses.push_back(model::ObjectStatus{
          "gateway.networking.k8s.io",
          "HTTPRoute",
          "default",
          "web",
          {{"parents", {{{"controllerName", "istio.io/gateway-controller"}, {"hostname", host}}}}}});
    }
    return out;
  }
};

const std::string kHttpRoute = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: echo, port: 80}]}]
)";

std::string echo_service_for(const std::string& host) {
  return R"(
apiVersion: v1
kind: Service
metadata: {name: echo, labels: {test/host: )" +
         host + R"(}}
spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
)";
}

struct ConvertingControlPlane {
  std::shared_ptr<FakeConverter> converter = std::make_shared<FakeConverter>();
  ControlPlane control_plane{Converters{[c = converter](const model::ConfigSnapshot& s) { return (*c)(s); }, nullptr}};
};

const model::VirtualService* generated_vs(const model::ConfigSnapshot& snap) {
  for (const auto& vs : snap.virtual_services) {
    if (vs.meta.name.starts_with("istio-system~gw~")) return &vs;
  }
  return nullptr;
}

std::string generated_vs_version(ControlPlane& control_plane) {
  std::string out;
  control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
    if (const auto* vs = generated_vs(snap)) out = vs->meta.name + "@" + vs->meta.resource_version;
  });
  return out;
}

TEST(ControlPlaneConversion, GeneratedConfigIsCompiledAndReplacedWhenItChanges) {
  ConvertingControlPlane world;
  ControlPlane& cp = world.control_plane;
  ASSERT_TRUE(cp.apply(objects(documents(
                           {gwsim::testing::echo_deployment("v1", 1), echo_service_for("a.example.com"), kHttpRoute})))
                  .ok());
  cp.install_default_gateway_if_missing();
  auto table = cp.table(kDefaultIngressGateway);
  ASSERT_TRUE(table.ok()) << table.error().to_string();
  EXPECT_EQ(table.value()->gateways,
            (std::vector<std::string>{"istio-system/gw~istio-autogenerated-k8s-gateway~http"}));
  const auto& rc = table.value()->route_configs.at("http.8080");
  ASSERT_EQ(rc.virtual_hosts.size(), 1u);
  EXPECT_EQ(rc.virtual_hosts[0].name, "a.example.com:80");
  EXPECT_EQ(rc.virtual_hosts[0].routes[0].parents, "HTTPRoute/web.default");

  // The Service changes what the converter generates: the old VirtualService goes.
  cp.apply(objects(echo_service_for("b.example.com")));
  table = cp.table(kDefaultIngressGateway);
  const auto& after = table.value()->route_configs.at("http.8080");
  ASSERT_EQ(after.virtual_hosts.size(), 1u);
  EXPECT_EQ(after.virtual_hosts[0].name, "b.example.com:80");
  std::size_t generated = 0;
  cp.read_snapshot([&](const model::ConfigSnapshot& snap) {
    for (const auto& vs : snap.virtual_services) generated += vs.meta.name.starts_with("istio-system~gw~");
  });
  EXPECT_EQ(generated, 1u);
}

TEST(ControlPlaneConversion, OnlyChangesToWhatConvertersReadRunThem) {
  ConvertingControlPlane world;
  ControlPlane& cp = world.control_plane;
  cp.apply(objects(documents({gwsim::testing::echo_deployment("v1", 1), echo_service_for("a.example.com")})));
  cp.install_default_gateway_if_missing();
  ASSERT_TRUE(cp.table(kDefaultIngressGateway).ok());
  const int calls = world.converter->calls;
  EXPECT_GE(calls, 1);
  // A VirtualService, a Deployment's pods, a scale: nothing the converters read.
  cp.apply(objects(kVirtualService));
  cp.scale("default", "echo-v1", 2);
  ASSERT_TRUE(cp.table(kDefaultIngressGateway).ok());
  EXPECT_EQ(world.converter->calls, calls);
  // A Service is read by them.
  cp.apply(objects(echo_service_for("c.example.com")));
  ASSERT_TRUE(cp.table(kDefaultIngressGateway).ok());
  EXPECT_EQ(world.converter->calls, calls + 1);
}

TEST(ControlPlaneConversion, ResourceVersionsChangeExactlyWhenContentChanges) {
  ConvertingControlPlane world;
  ControlPlane& cp = world.control_plane;
  cp.apply(objects(documents({gwsim::testing::echo_deployment("v1", 1), echo_service_for("a.example.com")})));
  const std::string first = generated_vs_version(cp);
  ASSERT_FALSE(first.empty());
  EXPECT_NE(first.find("@generated-"), std::string::npos) << first;
  // Another Service: the converter runs again and generates the same VirtualService.
  const int calls = world.converter->calls;
  cp.apply(objects(R"(
apiVersion: v1
kind: Service
metadata: {name: other}
spec: {selector: {app: other}, ports: [{port: 80}]}
)"));
  EXPECT_EQ(generated_vs_version(cp), first);
  EXPECT_GT(world.converter->calls, calls);
  cp.apply(objects(echo_service_for("b.example.com")));
  const std::string changed = generated_vs_version(cp);
  EXPECT_NE(changed, first);
  EXPECT_NE(changed.substr(changed.find('@')), first.substr(first.find('@')));
}

TEST(ControlPlaneConversion, StatusIsWrittenWhenItDiffersWithoutConvertingAgain) {
  ConvertingControlPlane world;
  ControlPlane& cp = world.control_plane;
  ASSERT_TRUE(cp.apply(objects(documents(
                           {gwsim::testing::echo_deployment("v1", 1), echo_service_for("a.example.com"), kHttpRoute})))
                  .ok());
  cp.install_default_gateway_if_missing();
  const fakes::ObjectKey route{"gateway.networking.k8s.io", "HTTPRoute", "default", "web"};
  auto stored = cp.store().get(route);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->doc["status"]["parents"][0]["hostname"], "a.example.com");
  const std::string version = stored->doc["metadata"]["resourceVersion"];
  // The status write is a change to an HTTPRoute, which the converters read; being our own
  // write it does not run them again, and nothing is written twice.
  const int calls = world.converter->calls;
  ASSERT_TRUE(cp.table(kDefaultIngressGateway).ok());
  cp.reconcile();
  EXPECT_EQ(world.converter->calls, calls);
  EXPECT_EQ(cp.store().get(route)->doc["metadata"]["resourceVersion"], version);
  // A conversion that gives the same status writes nothing.
  cp.apply(objects(R"(
apiVersion: v1
kind: Service
metadata: {name: other}
spec: {selector: {app: other}, ports: [{port: 80}]}
)"));
  EXPECT_GT(world.converter->calls, calls);
  EXPECT_EQ(cp.store().get(route)->doc["metadata"]["resourceVersion"], version);
  // A different one is written. The publish after it finds only that write: no table changed,
  // none is published.
  cp.apply(objects(echo_service_for("b.example.com")));
  EXPECT_EQ(cp.store().get(route)->doc["status"]["parents"][0]["hostname"], "b.example.com");
  int published = 0;
  int id = cp.subscribe([&](const std::string&, const Result<TablePtr>&) { ++published; });
  const int calls_after = world.converter->calls;
  cp.reconcile();
  ASSERT_TRUE(cp.table(kDefaultIngressGateway).ok());
  EXPECT_EQ(world.converter->calls, calls_after);
  EXPECT_EQ(published, 0);
  cp.unsubscribe(id);
}

TEST(ControlPlaneConversion, WarningsAreReportedWithTheSnapshotProblems) {
  ConvertingControlPlane world;
  world.converter->warnings = {"HTTPRoute default/web: filter type ExtensionRef is not simulated"};
  ControlPlane& cp = world.control_plane;
  cp.apply(objects(echo_service_for("a.example.com")));
  auto problems = cp.snapshot_problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "HTTPRoute default/web: filter type ExtensionRef is not simulated");
}

TEST(ControlPlaneConversion, ConverterInputKinds) {
  EXPECT_TRUE(is_converter_input("gateway.networking.k8s.io", "HTTPRoute"));
  EXPECT_TRUE(is_converter_input("networking.k8s.io", "Ingress"));
  EXPECT_TRUE(is_converter_input("", "Service"));
  EXPECT_TRUE(is_converter_input("", "Secret"));
  EXPECT_FALSE(is_converter_input("networking.istio.io", "VirtualService"));
  EXPECT_FALSE(is_converter_input("", "Pod"));
  EXPECT_FALSE(is_converter_input("", "Endpoints"));
  EXPECT_FALSE(is_converter_input("apps", "Deployment"));
}

// A generated object and a user's one of the same namespace/name (Istio keeps generated config
// in its own store, so both exist) stay side by side: a change to the user's one leaves the
// generated one in the snapshot.
TEST(ControlPlaneConversion, GeneratedAndUserObjectsOfOneNameCoexist) {
  auto same_name = [](const model::ConfigSnapshot&) {
    model::GeneratedConfig out;
    model::VirtualService vs;
    vs.meta.namespace_ = "default";
    vs.meta.name = "a";
    vs.meta.annotations = {{"internal.istio.io/route-semantics", "ingress"}};
    vs.hosts = {"generated.example.com"};
    vs.gateways = {"default/gw"};
    out.virtual_services.push_back(vs);
    return out;
  };
  ControlPlane cp(Converters{same_name, nullptr});
  auto hosts_of_a = [&cp] {
    std::vector<std::string> hosts;
    cp.read_snapshot([&](const model::ConfigSnapshot& snap) {
      for (const auto& vs : snap.virtual_services) {
        if (vs.meta.name == "a") hosts.push_back(vs.hosts.at(0));
      }
    });
    std::sort(hosts.begin(), hosts.end());
    return hosts;
  };
  cp.apply(objects(kVirtualService));
  EXPECT_EQ(hosts_of_a(), (std::vector<std::string>{"a.example.com", "generated.example.com"}));
  std::string changed = kVirtualService;
  changed.replace(changed.find("a.example.com"), 13, "b.example.com");
  cp.apply(objects(changed));
  EXPECT_EQ(hosts_of_a(), (std::vector<std::string>{"b.example.com", "generated.example.com"}));
  cp.remove({"networking.istio.io", "VirtualService", "default", "a"});
  EXPECT_EQ(hosts_of_a(), (std::vector<std::string>{"generated.example.com"}));
}

// Ingress and IngressClass objects are patched into the snapshot as they change (the ingress
// controller reads them from there), and leave it when deleted.
TEST(ControlPlane, IngressesFollowTheStore) {
  ControlPlane control_plane;
  ApplyResult result = control_plane.apply(objects(R"(
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: istio}
spec: {controller: istio.io/ingress-controller}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: istio
  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}]}}]
)"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.rejected);
  auto counts = [&] {
    std::pair<std::size_t, std::size_t> n;
    control_plane.read_snapshot([&](const model::ConfigSnapshot& snap) {
      n = {snap.ingresses.size(), snap.ingress_classes.size()};
    });
    return n;
  };
  EXPECT_EQ(counts(), (std::pair<std::size_t, std::size_t>{1, 1}));
  ASSERT_TRUE(control_plane.remove({"networking.k8s.io", "Ingress", "default", "web"}).ok());
  ASSERT_TRUE(control_plane.remove({"networking.k8s.io", "IngressClass", "", "istio"}).ok());
  EXPECT_EQ(counts(), (std::pair<std::size_t, std::size_t>{0, 0}));
}

}  // namespace
}  // namespace gwsim::runtime
