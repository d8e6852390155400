#include "runtime/generated_versions.h"

#include <gtest/gtest.h>

namespace gwsim::runtime {
namespace {

model::VirtualService vs(const std::string& name, const std::string& host) {
  model::VirtualService out;
  out.meta.namespace_ = "default";
  out.meta.name = name;
  out.hosts = {host};
  return out;
}

TEST(GeneratedVersions, SameContentKeepsItsVersionOtherContentGetsANewOne) {
  GeneratedVersions versions;
  std::vector<model::Gateway> gateways;
  std::vector<model::VirtualService> first{vs("a", "a.example.com"), vs("b", "b.example.com")};
  versions.stamp(gateways, first);
  EXPECT_FALSE(first[0].meta.resource_version.empty());
  EXPECT_NE(first[0].meta.resource_version, first[1].meta.resource_version);

  std::vector<model::VirtualService> second{vs("a", "a.example.com"), vs("b", "c.example.com")};
  versions.stamp(gateways, second);
  EXPECT_EQ(second[0].meta.resource_version, first[0].meta.resource_version);
  EXPECT_NE(second[1].meta.resource_version, first[1].meta.resource_version);

  // Gone, then back: a new version (the cache may hold the old one for something else).
  std::vector<model::VirtualService> none;
  versions.stamp(gateways, none);
  std::vector<model::VirtualService> again{vs("a", "a.example.com")};
  versions.stamp(gateways, again);
  EXPECT_NE(again[0].meta.resource_version, first[0].meta.resource_version);
}

TEST(GeneratedVersions, FingerprintsSeeEveryRoutingField) {
  model::VirtualService a = vs("a", "a.example.com");
  model::HTTPRoute route;
  route.name = "r";
  a.http.push_back(route);
  model::VirtualService b = a;
  EXPECT_EQ(content_fingerprint(a), content_fingerprint(b));
  b.http[0].rewrite = model::HTTPRewrite{"/", "", std::nullopt};
  EXPECT_NE(content_fingerprint(a), content_fingerprint(b));
  b = a;
  b.meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  EXPECT_NE(content_fingerprint(a), content_fingerprint(b));
  b = a;
  b.meta.resource_version = "7";  // not content
  EXPECT_EQ(content_fingerprint(a), content_fingerprint(b));
  // Lists are counted: ["ab"] and ["a", "b"] differ.
  model::VirtualService joined = vs("a", "ab");
  model::VirtualService split = vs("a", "a");
  split.hosts.push_back("b");
  EXPECT_NE(content_fingerprint(joined), content_fingerprint(split));

  model::Gateway g;
  model::Server s;
  s.port = model::GatewayPort{80, "HTTP", "http", 0};
  g.servers.push_back(s);
  model::Gateway h = g;
  EXPECT_EQ(content_fingerprint(g), content_fingerprint(h));
  h.servers[0].port.number = 81;
  EXPECT_NE(content_fingerprint(g), content_fingerprint(h));
}

}  // namespace
}  // namespace gwsim::runtime
