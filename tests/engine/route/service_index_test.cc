#include "engine/route/service_index.h"

#include <gtest/gtest.h>

#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

ServiceEntry service_entry(std::string ns, std::string name, std::vector<std::string> hosts, std::string resolution) {
  ServiceEntry se;
  se.meta = meta(std::move(ns), std::move(name));
  se.hosts = std::move(hosts);
  se.ports = {ServiceEntryPort{443, "TLS", "tls", 0}};
  se.resolution = std::move(resolution);
  return se;
}

TEST(ServiceIndexTest, ServiceEntryHostsAreServicesExceptWildcards) {
  WorldBuilder w;
  w.snap.service_entries.push_back(service_entry("default", "ext", {"api.example.com", "*.example.org"}, "DNS"));
  const ServiceIndex index = index_services(w.snap);
  EXPECT_EQ(index.by_host.count("*.example.org"), 0u);
  const Service* api = service_for(index, "api.example.com", "default", "istio-system");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->fqdn, "api.example.com");
  EXPECT_EQ(api->ports.at(0).port, 443);
  // DNS resolution without endpoints resolves the host itself.
  const auto& endpoints = index.service_entry_endpoints.at({api, 443u});
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].ip, "api.example.com");
}

TEST(ServiceIndexTest, WorkloadSelectorPicksReadyPodsInTheEntryNamespace) {
  WorldBuilder w;
  w.add_pod("default", "b-pod", {{"app", "vm"}});
  w.add_pod("default", "a-pod", {{"app", "vm"}});
  w.add_pod("default", "not-ready", {{"app", "vm"}}, false);
  w.add_pod("other", "elsewhere", {{"app", "vm"}});
  ServiceEntry se = service_entry("default", "vm", {"vm.internal"}, "STATIC");
  se.workload_selector = Labels{{"app", "vm"}};
  w.snap.service_entries.push_back(se);
  const ServiceIndex index = index_services(w.snap);
  const Service* vm = service_for(index, "vm.internal", "default", "default");
  ASSERT_NE(vm, nullptr);
  const auto& endpoints = index.service_entry_endpoints.at({vm, 443u});
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_EQ(endpoints[0].pod_name, "a-pod");
  EXPECT_EQ(endpoints[1].pod_name, "b-pod");
}

TEST(ServiceIndexTest, ServiceForPrefersTheVirtualServiceNamespaceAndRespectsExportTo) {
  WorldBuilder w;
  ServiceEntry a = service_entry("a", "shared", {"shared.example.com"}, "DNS");
  ServiceEntry b = service_entry("b", "shared", {"shared.example.com"}, "DNS");
  w.snap.service_entries = {a, b};
  ServiceIndex index = index_services(w.snap);
  EXPECT_EQ(service_for(index, "shared.example.com", "b", "istio-system")->meta.namespace_, "b");
  EXPECT_EQ(service_for(index, "shared.example.com", "c", "istio-system")->meta.namespace_, "a");
  w.snap.service_entries[0].export_to = {"."};
  w.snap.service_entries[1].export_to = {"~"};
  index = index_services(w.snap);
  EXPECT_EQ(service_for(index, "shared.example.com", "b", "istio-system"), nullptr);
  EXPECT_EQ(service_for(index, "unknown.example.com", "b", "istio-system"), nullptr);
}

}  // namespace
}  // namespace gwsim::route
