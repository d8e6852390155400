#include "engine/host/host_name.h"

#include <gtest/gtest.h>

namespace gwsim::host {
namespace {

// Worked examples from Istio's pkg/config/host/name_test.go semantics.
struct Case {
  const char* a;
  const char* b;
  bool matches;
  bool a_subset_of_b;
};

TEST(HostNameTest, MatchesAndSubsetOfTable) {
  const Case cases[] = {
      {"www.example.com", "www.example.com", true, true},
      {"www.example.com", "WWW.example.com", false, false},  // case-sensitive at config time
      {"a.example.com", "*.example.com", true, true},
      {"a.b.example.com", "*.example.com", true, true},
      {"example.com", "*.example.com", false, false},  // never the bare suffix
      {"*.example.com", "a.example.com", true, false},
      {"*.example.com", "*.example.com", true, true},
      {"*.a.example.com", "*.example.com", true, true},
      {"*.example.com", "*.a.example.com", true, false},
      {"*", "*.example.com", true, false},
      {"*.example.com", "*", true, true},
      {"foo.com", "*", true, true},
      {"foo.com", "bar.com", false, false},
      {"*.foo.com", "*.bar.com", false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(matches(c.a, c.b), c.matches) << c.a << " ~ " << c.b;
    EXPECT_EQ(matches(c.b, c.a), c.matches) << "symmetric: " << c.b << " ~ " << c.a;
    EXPECT_EQ(subset_of(c.a, c.b), c.a_subset_of_b) << c.a << " <= " << c.b;
  }
}

TEST(HostNameTest, IntersectionKeepsTheMoreSpecificName) {
  EXPECT_EQ(intersection({"*.example.com"}, {"a.example.com"}), (std::vector<std::string>{"a.example.com"}));
  EXPECT_EQ(intersection({"foo.bar"}, {"*"}), (std::vector<std::string>{"foo.bar"}));
  EXPECT_EQ(intersection({"*"}, {"*.org"}), (std::vector<std::string>{"*.org"}));
  EXPECT_EQ(intersection({"example.org"}, {"*.org"}), (std::vector<std::string>{"example.org"}));
  EXPECT_TRUE(intersection({"example.com"}, {"*.example.com"}).empty());
  EXPECT_EQ(intersection({"*"}, {"b.com", "a.com", "b.com"}), (std::vector<std::string>{"b.com", "a.com"}));
}

TEST(HostNameTest, NamesForNamespaceFiltersByVirtualServiceNamespace) {
  std::vector<std::string> hosts{"ns1/a.com", "*/b.com", "c.com", "./d.com", "ns2/e.com"};
  EXPECT_EQ(names_for_namespace(hosts, "ns1", "gw-ns"), (std::vector<std::string>{"a.com", "b.com", "c.com"}));
  EXPECT_EQ(names_for_namespace(hosts, "gw-ns", "gw-ns"), (std::vector<std::string>{"b.com", "c.com", "d.com"}));
  EXPECT_EQ(names_for_namespace(hosts, "ns2", "gw-ns"), (std::vector<std::string>{"b.com", "c.com", "e.com"}));
}

TEST(HostNameTest, ShortNamesResolveLikeIstio) {
  EXPECT_EQ(resolve_short_name("reviews", "default"), "reviews.default.svc.cluster.local");
  EXPECT_EQ(resolve_short_name("reviews.bookinfo", "default"), "reviews.bookinfo");  // a dot: literal
  EXPECT_EQ(resolve_short_name("*", "default"), "*");
  EXPECT_EQ(resolve_short_name("10.0.0.1", "default"), "10.0.0.1");
  EXPECT_EQ(resolve_short_name("::1", "default"), "::1");
}

TEST(HostNameTest, MostSpecificMatchPrefersExactThenLongestWildcard) {
  std::vector<std::string> c{"*", "*.svc.cluster.local", "a.ns.svc.cluster.local", "*.ns.svc.cluster.local"};
  EXPECT_EQ(most_specific_match("a.ns.svc.cluster.local", c), 2);
  EXPECT_EQ(most_specific_match("b.ns.svc.cluster.local", c), 3);
  EXPECT_EQ(most_specific_match("b.other.svc.cluster.local", c), 1);
  EXPECT_EQ(most_specific_match("example.com", c), 0);
  EXPECT_EQ(most_specific_match("example.com", {"*.svc.cluster.local"}), -1);
}

}  // namespace
}  // namespace gwsim::host
