#include "fakes/controllers/service_addresses.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

Object service_object(const std::string& name, const std::string& type, Json extra_spec = Json::object()) {
  Object o;
  Json spec = {{"type", type}, {"ports", {{{"port", 80}}}}};
  for (const auto& [k, v] : extra_spec.items()) spec[k] = v;
  o.doc = {{"apiVersion", "v1"},
           {"kind", "Service"},
           {"metadata", {{"name", name}, {"namespace", "default"}}},
           {"spec", spec}};
  return o;
}

Json ingress(const ApiStore& store, const std::string& name) {
  return store.get({"", "Service", "default", name})->doc["status"]["loadBalancer"]["ingress"];
}

TEST(ServiceAddressesTest, LoadBalancerAddressesFromADocumentationRange) {
  EXPECT_EQ(load_balancer_ip(0), "192.0.2.1");
  EXPECT_EQ(load_balancer_ip(253), "192.0.2.254");
  EXPECT_EQ(load_balancer_ip(254), "198.51.100.1");
  EXPECT_EQ(load_balancer_ip(508), "203.0.113.1");
}

TEST(ServiceAddressesTest, EveryLoadBalancerServiceGetsItsOwnAddress) {
  ApiStore store;
  ASSERT_TRUE(store.apply(service_object("a", "LoadBalancer")).ok());
  ASSERT_TRUE(store.apply(service_object("b", "LoadBalancer")).ok());
  ASSERT_TRUE(store.apply(service_object("c", "ClusterIP")).ok());
  ASSERT_TRUE(store.apply(service_object("d", "LoadBalancer", {{"loadBalancerIP", "203.0.113.9"}})).ok());
  EXPECT_EQ(reconcile_load_balancers(store), 3);
  EXPECT_EQ(ingress(store, "a"), Json::parse(R"([{"ip":"192.0.2.1","ipMode":"VIP"}])"));
  EXPECT_EQ(ingress(store, "b")[0]["ip"], "192.0.2.2");
  EXPECT_TRUE(ingress(store, "c").is_null());
  EXPECT_EQ(ingress(store, "d")[0]["ip"], "203.0.113.9");
  EXPECT_EQ(reconcile_load_balancers(store), 0);  // stable

  // A new one takes the lowest free address; one that stops being a LoadBalancer loses its own.
  ASSERT_TRUE(store.remove({"", "Service", "default", "a"}).ok());
  ASSERT_TRUE(store.apply(service_object("e", "LoadBalancer")).ok());
  ASSERT_TRUE(store.apply(service_object("b", "ClusterIP")).ok());
  reconcile_load_balancers(store);
  EXPECT_EQ(ingress(store, "e")[0]["ip"], "192.0.2.1");
  EXPECT_TRUE(ingress(store, "b").is_null());
}

TEST(ServiceAddressesTest, ClusterIpAndNodePortsAvoidThoseInUse) {
  ApiStore store;
  Json first = service_object("a", "LoadBalancer").doc;
  allocate_service_addresses(store, first);
  EXPECT_EQ(first["spec"]["clusterIP"], "10.96.0.10");
  EXPECT_EQ(first["spec"]["ports"][0]["nodePort"], 30000);
  Object stored;
  stored.doc = first;
  ASSERT_TRUE(store.apply(stored).ok());
  Json second = service_object("b", "NodePort").doc;
  allocate_service_addresses(store, second);
  EXPECT_EQ(second["spec"]["clusterIP"], "10.96.0.11");
  EXPECT_EQ(second["spec"]["ports"][0]["nodePort"], 30001);
  Json external = service_object("x", "ExternalName").doc;
  allocate_service_addresses(store, external);
  EXPECT_FALSE(external["spec"].contains("clusterIP"));
}

}  // namespace
}  // namespace gwsim::fakes
