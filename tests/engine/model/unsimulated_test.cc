#include "engine/model/unsimulated.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"

namespace gwsim::model {
namespace {

SnapshotBuild build_unsimulated(const std::string& yaml) {
  auto l = load_manifest_text(yaml, "m.yaml");
  EXPECT_FALSE(l.has_errors());
  return build_snapshot(l.objects);
}

TEST(Unsimulated, KindsThatCanChangeAGatewaysAnswers) {
  EXPECT_TRUE(is_unsimulated_kind("networking.istio.io", "EnvoyFilter"));
  EXPECT_TRUE(is_unsimulated_kind("extensions.istio.io", "WasmPlugin"));
  EXPECT_TRUE(is_unsimulated_kind("networking.istio.io", "ProxyConfig"));
  EXPECT_FALSE(is_unsimulated_kind("networking.istio.io", "Sidecar"));         // not on gateways
  EXPECT_FALSE(is_unsimulated_kind("telemetry.istio.io", "Telemetry"));        // changes no answer
  EXPECT_FALSE(is_unsimulated_kind("networking.istio.io", "VirtualService"));  // simulated
  // Stored (a manifest holding them applies) and read into the snapshot.
  ASSERT_NE(find_kind("networking.istio.io", "EnvoyFilter"), nullptr);
  EXPECT_FALSE(find_kind("networking.istio.io", "EnvoyFilter")->simulated);
  EXPECT_TRUE(is_engine_kind("extensions.istio.io", "WasmPlugin"));
  EXPECT_FALSE(unsimulated_why("EnvoyFilter").empty());
}

TEST(Unsimulated, SelectorsAndTargetRefsAreReadSortedByKindNamespaceName) {
  auto b = build_unsimulated(R"(apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: {name: w, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: z, namespace: default}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: a}, {kind: Gateway, name: b, namespace: x}]
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: a, namespace: istio-system}
spec:
  workloadSelector: {labels: {app: gw}}
)");
  ASSERT_TRUE(b.problems.empty());
  const auto& u = b.snapshot.unsimulated;
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[0].kind + " " + u[0].meta.namespace_ + "/" + u[0].meta.name, "EnvoyFilter default/z");
  EXPECT_EQ(u[1].meta.name, "a");
  EXPECT_EQ(u[2].kind, "WasmPlugin");
  EXPECT_FALSE(u[0].selector.has_value());
  ASSERT_EQ(u[0].target_refs.size(), 2u);
  EXPECT_EQ(u[0].target_refs[1].namespace_, "x");
  EXPECT_EQ(*u[1].selector, (Labels{{"app", "gw"}}));
  EXPECT_EQ(*u[2].selector, (Labels{{"istio", "ingressgateway"}}));
  ASSERT_EQ(u[2].target_refs.size(), 1u);  // targetRef, as targetRefs is empty
  EXPECT_EQ(u[2].target_refs[0].name, "gw");
  EXPECT_EQ(u[2].meta.source.file, "m.yaml");
}

TEST(Unsimulated, AMisshapenSelectorIsAProblemWithItsPosition) {
  auto b = build_unsimulated(R"(apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: bad, namespace: istio-system}
spec:
  workloadSelector:
    labels: [app]
)");
  ASSERT_EQ(b.problems.size(), 1u);
  EXPECT_EQ(b.problems[0].where.rfind("m.yaml:6:", 0), 0u) << b.problems[0].where;
  EXPECT_NE(b.problems[0].message.find("spec.workloadSelector.labels"), std::string::npos) << b.problems[0].message;
  EXPECT_TRUE(b.snapshot.unsimulated.empty());
}

}  // namespace
}  // namespace gwsim::model
