// Tests of runtime/analysis_input.h: the analysis reads every object of the files (refused ones
// too, with what admission said) and the world they describe as the cluster would hold it.
#include "runtime/analysis_input.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/model/manifest.h"

namespace gwsim::runtime {
namespace {

constexpr const char* kFiles = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec: {containers: [{name: echo, image: echo}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: broken, namespace: default}
spec:
  hosts: [shop.example.com]
  http: [{route: [{destination: {host: echo}, weight: -1}]}]
)";

TEST(AnalysisInput, RefusedObjectsStayWithTheirAdmissionAndTheWorldHasPodsAndAGateway) {
  model::ManifestLoad loaded = model::load_manifest_text(kFiles, "shop.yaml");
  ASSERT_EQ(loaded.objects.size(), 2u);
  analysis::Input input = analysis_input(std::move(loaded.objects));
  ASSERT_EQ(input.objects.size(), 2u);
  ASSERT_EQ(input.admissions.size(), 2u);
  EXPECT_TRUE(input.admissions[0].ok());
  EXPECT_FALSE(input.admissions[1].ok());  // a negative weight: Istio's webhook refuses it
  ASSERT_TRUE(input.snapshot.has_value());
  const auto& pods = input.snapshot->pods;
  EXPECT_EQ(
      std::count_if(pods.begin(), pods.end(),
                    [](const auto& p) { return p.meta.labels.count("app") && p.meta.labels.at("app") == "echo"; }),
      2);
  // The files define no ingress gateway: the one an Istio install makes is there.
  EXPECT_TRUE(std::any_of(input.snapshot->services.begin(), input.snapshot->services.end(), [](const auto& s) {
    return s.meta.namespace_ == "istio-system" && s.meta.name == "istio-ingressgateway";
  }));
  // The refused VirtualService is not in the cluster's world.
  EXPECT_TRUE(std::none_of(input.snapshot->virtual_services.begin(), input.snapshot->virtual_services.end(),
                           [](const auto& vs) { return vs.meta.name == "broken"; }));
}

}  // namespace
}  // namespace gwsim::runtime
