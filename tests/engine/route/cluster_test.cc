#include "engine/route/cluster.h"

#include <gtest/gtest.h>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

TEST(ClusterTest, SubsetKeyNamesClustersAsIstio) {
  EXPECT_EQ(subset_key(8081, "v1", "svc.default.svc.cluster.local"), "outbound|8081|v1|svc.default.svc.cluster.local");
  EXPECT_EQ(subset_key(80, "", "api.example.com"), "outbound|80||api.example.com");
}

TEST(ClusterTest, OneClusterPerPortAndSubsetWithMatchingEndpoints) {
  WorldBuilder w;
  w.add_service("default", "svc", {{"app", "svc"}}, {WorldBuilder::port("http", 80, 8080), WorldBuilder::port("grpc", 9090)},
                {{"v1-pod", {{"app", "svc"}, {"version", "v1"}}}, {"v2-pod", {{"app", "svc"}, {"version", "v2"}}}});
  w.add_dr("default", "svc", "svc", {Subset{"v1", {{"version", "v1"}}, {}}, Subset{"v1", {{"version", "v2"}}, {}}});
  auto clusters = build_clusters(index_services(w.snap), index_destination_rules(w.snap), "istio-system");
  const std::string host = "svc.default.svc.cluster.local";
  ASSERT_EQ(clusters.count("outbound|80||" + host), 1u);
  ASSERT_EQ(clusters.count("outbound|9090|v1|" + host), 1u);
  const Cluster& all = clusters.at("outbound|80||" + host);
  EXPECT_EQ(all.endpoints.size(), 2u);
  EXPECT_EQ(all.endpoints[0].port, 8080u);  // the targetPort
  EXPECT_EQ(all.destination_rule, "default/svc");
  const Cluster& v1 = clusters.at("outbound|80|v1|" + host);
  ASSERT_EQ(v1.endpoints.size(), 1u);  // the first definition of a subset wins
  EXPECT_EQ(v1.endpoints[0].pod_name, "v1-pod");
}

TEST(ClusterTest, NotReadyEndpointsAreLeftOut) {
  WorldBuilder w;
  w.add_service("default", "svc", {{"app", "svc"}}, {WorldBuilder::port("http", 80)},
                {{"ready", {{"app", "svc"}}}, {"starting", {{"app", "svc"}}}});
  w.snap.endpoints.back().subsets[0].addresses[1].ready = false;
  const ServiceIndex index = index_services(w.snap);
  const Service& svc = w.snap.services.back();
  auto endpoints = endpoints_for(index, svc, svc.ports[0]);
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].pod_name, "ready");
  EXPECT_EQ(endpoints[0].labels.at("app"), "svc");  // the pod's labels, for subsets
}

TEST(ClusterTest, ServiceEntryHostsAreClustersWithSelectedPods) {
  WorldBuilder w;
  w.add_pod("default", "api-1", {{"app", "api"}});
  w.add_pod("other", "api-2", {{"app", "api"}});  // another namespace: not selected
  ServiceEntry se;
  se.meta = meta("default", "api");
  se.hosts = {"api.internal.example", "*.wild.example"};
  se.resolution = "STATIC";
  se.workload_selector = Labels{{"app", "api"}};
  se.ports = {ServiceEntryPort{80, "HTTP", "http", 8080}};
  w.snap.service_entries.push_back(se);
  auto table = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
  const auto* c = table->find_cluster("outbound|80||api.internal.example");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->endpoints.size(), 1u);
  EXPECT_EQ(c->endpoints[0].pod_name, "api-1");
  EXPECT_EQ(c->endpoints[0].port, 8080u);  // the entry's targetPort
  EXPECT_EQ(table->find_cluster("outbound|80||*.wild.example"), nullptr);
}

}  // namespace
}  // namespace gwsim::route
