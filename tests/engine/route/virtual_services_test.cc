#include "engine/route/virtual_services.h"

#include <gtest/gtest.h>

#include "engine/route/compile_cache.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

TEST(VirtualServicesTest, ResolveGatewayName) {
  EXPECT_EQ(resolve_gateway_name("gw", "ns"), "ns/gw");
  EXPECT_EQ(resolve_gateway_name("./gw", "ns"), "ns/gw");
  EXPECT_EQ(resolve_gateway_name("other/gw", "ns"), "other/gw");
  EXPECT_EQ(resolve_gateway_name("gw.other.svc.cluster.local", "ns"), "other/gw");
  EXPECT_EQ(resolve_gateway_name("mesh", "ns"), "mesh");
}

TEST(VirtualServicesTest, ResolveShortNamesInTheVirtualServiceNamespace) {
  VirtualService vs;
  vs.meta = meta("shop", "vs");
  vs.hosts = {"web"};
  vs.gateways = {"gw"};
  vs.export_to = {"."};
  vs.http = {route_to("cart")};
  VirtualService out = resolve_virtual_service(vs);
  EXPECT_EQ(out.hosts, (std::vector<std::string>{"web.shop.svc.cluster.local"}));
  EXPECT_EQ(out.gateways, (std::vector<std::string>{"shop/gw"}));
  EXPECT_EQ(out.export_to, (std::vector<std::string>{"shop"}));
  EXPECT_EQ(out.http[0].route[0].destination.host, "cart.shop.svc.cluster.local");
}

TEST(VirtualServicesTest, VisibilityRankPrivateExportedPublic) {
  VirtualService vs;
  vs.meta = meta("istio-system", "vs");
  vs.gateways = {"istio-system/gw"};
  EXPECT_EQ(visibility_rank(vs, "istio-system/gw", "istio-system"), 3);  // no exportTo: public
  EXPECT_EQ(visibility_rank(vs, "other/gw", "istio-system"), -1);        // not bound
  vs.export_to = {"istio-system"};
  EXPECT_EQ(visibility_rank(vs, "istio-system/gw", "istio-system"), 0);
  vs.meta.namespace_ = "default";
  EXPECT_EQ(visibility_rank(vs, "istio-system/gw", "istio-system"), 1);
  vs.export_to = {"default"};
  EXPECT_EQ(visibility_rank(vs, "istio-system/gw", "istio-system"), -1);
}

TEST(VirtualServicesTest, OrderedOldestFirstAndResolvedOnceWithACache) {
  WorldBuilder w;
  w.add_vs("default", "new", {"a"}, {"gw"}, {route_to("svc")}, 20).meta.resource_version = "1";
  w.add_vs("default", "old", {"b"}, {"gw"}, {route_to("svc")}, 10).meta.resource_version = "1";
  CompileCache cache;
  std::vector<std::string> warnings;
  cache.state().start_compile();
  VirtualServiceSet set = prepare_virtual_services(w.snap, &cache.state(), warnings);
  EXPECT_FALSE(set.any_delegate);
  ASSERT_EQ(set.ordered.size(), 2u);
  EXPECT_EQ(set.ordered[0]->meta.name, "old");
  EXPECT_EQ(cache.last_stats().resolved_built, 2u);

  cache.state().start_compile();
  VirtualServiceSet again = prepare_virtual_services(w.snap, &cache.state(), warnings);
  EXPECT_EQ(cache.last_stats().resolved_reused, 2u);
  EXPECT_EQ(again.ordered[0], set.ordered[0]);  // the very same resolved object
  EXPECT_EQ(virtual_services_for_gateway(again, "default/gw", "default").size(), 2u);
}

// mergeVirtualServices: a Gateway API VirtualService is taken as generated, short names and all.
TEST(VirtualServicesTest, GatewayApiVirtualServicesAreNotResolved) {
  VirtualService vs;
  vs.meta = meta("shop", "vs");
  vs.meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  vs.hosts = {"web"};
  vs.gateways = {"gw"};
  vs.export_to = {"."};
  vs.http = {route_to("cart")};
  VirtualService out = resolve_virtual_service(vs);
  EXPECT_EQ(out.hosts, (std::vector<std::string>{"web"}));
  EXPECT_EQ(out.gateways, (std::vector<std::string>{"gw"}));
  EXPECT_EQ(out.http[0].route[0].destination.host, "cart");
  EXPECT_EQ(out.export_to, (std::vector<std::string>{"shop"}));
  // Ingress ones are resolved as users' VirtualServices are.
  vs.meta.annotations["internal.istio.io/route-semantics"] = "ingress";
  EXPECT_EQ(resolve_virtual_service(vs).gateways, (std::vector<std::string>{"shop/gw"}));
}

// VirtualServicesForGateway: among public VirtualServices, the Gateway API ones of the proxy's
// namespace come first ("consumer override"), then the others, each group oldest first.
TEST(VirtualServicesTest, SameNamespaceGatewayApiRoutesComeFirstAmongPublicOnes) {
  WorldBuilder w;
  w.add_vs("default", "user-oldest", {"a"}, {"istio-system/gw"}, {route_to("svc")}, 1);
  w.add_vs("default", "gwapi-elsewhere", {"a"}, {"istio-system/gw"}, {route_to("svc")}, 2)
      .meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  w.add_vs("istio-system", "gwapi-here", {"a"}, {"istio-system/gw"}, {route_to("svc")}, 3)
      .meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  auto& private_one = w.add_vs("istio-system", "private", {"a"}, {"istio-system/gw"}, {route_to("svc")}, 4);
  private_one.export_to = {"istio-system"};
  std::vector<std::string> warnings;
  VirtualServiceSet set = prepare_virtual_services(w.snap, nullptr, warnings);
  std::vector<std::string> names;
  for (const auto* vs : virtual_services_for_gateway(set, "istio-system/gw", "istio-system"))
    names.push_back(vs->meta.name);
  EXPECT_EQ(names, (std::vector<std::string>{"private", "gwapi-here", "user-oldest", "gwapi-elsewhere"}));
}

}  // namespace
}  // namespace gwsim::route
