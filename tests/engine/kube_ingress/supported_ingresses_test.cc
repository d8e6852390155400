#include "engine/kube_ingress/supported_ingresses.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"

namespace gwsim::kube_ingress {
namespace {

using Mode = MeshIngressConfig::Mode;

model::IngressClass ingress_class(const std::string& name, const std::string& controller) {
  model::IngressClass c;
  c.meta.name = name;
  c.controller = controller;
  return c;
}

struct ClassCase {
  Mode mode;
  std::string annotation;        // "" = none
  const char* class_controller;  // nullptr = no IngressClass
  bool processed;
};

// conversion_test.go TestIngressClass, row by row (the invalid mode row has no counterpart:
// the mode is an enum here).
TEST(ShouldProcessIngress, IstiosTable) {
  const model::IngressClass istio = ingress_class("istio", kIstioIngressController);
  const model::IngressClass other = ingress_class("foo", "foo");
  const std::vector<ClassCase> cases = {
      {Mode::kDefault, "nginx", nullptr, false},
      {Mode::kStrict, "nginx", nullptr, false},
      {Mode::kOff, "istio", nullptr, false},
      {Mode::kDefault, "istio", nullptr, true},
      {Mode::kStrict, "istio", nullptr, true},
      {Mode::kDefault, "", nullptr, true},
      {Mode::kStrict, "", nullptr, false},
      {Mode::kDefault, "", "foo", false},
      {Mode::kStrict, "", "foo", false},
      {Mode::kDefault, "", kIstioIngressController, true},
      {Mode::kStrict, "", kIstioIngressController, true},
      // Annotation and class together: the annotation decides.
      {Mode::kStrict, "nginx", kIstioIngressController, false},
      {Mode::kStrict, "istio", "foo", true},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const ClassCase& c = cases[i];
    MeshIngressConfig mesh;
    mesh.ingress_controller_mode = c.mode;
    model::Ingress ingress;
    if (!c.annotation.empty()) ingress.meta.annotations["kubernetes.io/ingress.class"] = c.annotation;
    const model::IngressClass* cls = nullptr;
    if (c.class_controller) cls = std::string(c.class_controller) == kIstioIngressController ? &istio : &other;
    EXPECT_EQ(should_process_ingress(mesh, ingress, cls), c.processed) << "case " << i;
  }
}

model::ConfigSnapshot snapshot_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "s.yaml");
  EXPECT_FALSE(load.has_errors());
  return model::build_snapshot(load.objects).snapshot;
}

// The IngressClass named by ingressClassName is looked up by name; a missing one counts as none.
TEST(SupportedIngresses, LooksUpTheNamedClass) {
  auto snapshot = snapshot_of(R"(
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: mesh}
spec: {controller: istio.io/ingress-controller}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: named}
spec: {ingressClassName: mesh}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: missing}
spec: {ingressClassName: absent}
)");
  MeshIngressConfig strict;
  auto supported = supported_ingresses(snapshot, strict);
  ASSERT_EQ(supported.size(), 1u);
  EXPECT_EQ(supported[0]->meta.name, "named");
  MeshIngressConfig default_mode;
  default_mode.ingress_controller_mode = Mode::kDefault;
  EXPECT_EQ(supported_ingresses(snapshot, default_mode).size(), 2u);
}

// status_test.go TestRunningAddresses (service, hostname) and runningAddresses' other cases.
TEST(RunningAddresses, FromTheIngressService) {
  auto snapshot = snapshot_of(R"(
apiVersion: v1
kind: Service
metadata: {name: istio-ingress, namespace: istio-system}
status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingress-hostname, namespace: istio-system}
status: {loadBalancer: {ingress: [{hostname: foo.bar.com}]}}
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: istio-system}
spec: {type: ExternalName, externalName: gw.example.com, externalIPs: [9.9.9.9]}
---
apiVersion: v1
kind: Service
metadata: {name: both, namespace: istio-system}
spec: {externalIPs: [10.0.0.1]}
status: {loadBalancer: {ingress: [{ip: 5.6.7.8}]}}
---
apiVersion: v1
kind: Service
metadata: {name: elsewhere, namespace: default}
status: {loadBalancer: {ingress: [{ip: 1.1.1.1}]}}
)");
  auto addresses = [&](const std::string& service) {
    MeshIngressConfig mesh;
    mesh.ingress_service = service;
    return running_addresses(snapshot, mesh);
  };
  EXPECT_EQ(addresses("istio-ingress"), std::vector<std::string>{"1.2.3.4"});
  EXPECT_EQ(addresses("istio-ingress-hostname"), std::vector<std::string>{"foo.bar.com"});
  EXPECT_EQ(addresses("external"), std::vector<std::string>{"gw.example.com"});
  EXPECT_EQ(addresses("both"), (std::vector<std::string>{"5.6.7.8", "10.0.0.1"}));
  EXPECT_TRUE(addresses("elsewhere").empty());  // only the ingress namespace counts
  EXPECT_TRUE(addresses("istio-ingressgateway").empty());
  std::string note;
  MeshIngressConfig no_service;
  no_service.ingress_service = "";
  EXPECT_TRUE(running_addresses(snapshot, no_service, &note).empty());
  EXPECT_NE(note.find("not simulated"), std::string::npos);
}

// sliceToStatus: ips and hostnames told apart, sorted by hostname then ip; nothing when empty.
TEST(IngressStatus, SortedAndTyped) {
  EXPECT_EQ(ingress_status({"5.6.7.8", "lb.example.com", "1.2.3.4", "::1"}),
            model::Json::parse(R"({"loadBalancer": {"ingress": [
                {"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}, {"ip": "::1"}, {"hostname": "lb.example.com"}]}})"));
  EXPECT_EQ(ingress_status({}), model::Json::parse(R"({"loadBalancer": {}})"));
}

}  // namespace
}  // namespace gwsim::kube_ingress
