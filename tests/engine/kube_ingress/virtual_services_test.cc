#include "engine/kube_ingress/virtual_services.h"

#include <gtest/gtest.h>

namespace gwsim::kube_ingress {
namespace {

using Kind = model::StringMatch::Kind;

// createFallbackStringMatch.
TEST(FallbackStringMatch, WildcardsPrefixesAndExactPaths) {
  for (const char* all : {"", "*", "/*", ".*"}) EXPECT_FALSE(fallback_string_match(all)) << all;
  EXPECT_EQ(fallback_string_match("/foo.*"), (model::StringMatch{Kind::kPrefix, "/foo"}));
  EXPECT_EQ(fallback_string_match("/foo/*"), (model::StringMatch{Kind::kPrefix, "/foo"}));
  EXPECT_EQ(fallback_string_match("/foo*"), (model::StringMatch{Kind::kExact, "/foo*"}));
  EXPECT_EQ(fallback_string_match("/foo"), (model::StringMatch{Kind::kExact, "/foo"}));
  EXPECT_EQ(fallback_string_match("/a[0-9]+"), (model::StringMatch{Kind::kExact, "/a[0-9]+"}));
}

model::HTTPRoute route(const std::string& name, std::optional<model::StringMatch> uri) {
  model::HTTPRoute r;
  r.name = name;
  if (uri) {
    model::HTTPMatchRequest m;
    m.uri = uri;
    r.match.push_back(m);
  }
  return r;
}

// sortHTTPRoutes: longest first, exact before prefix at equal length, stable otherwise, no
// match last (length 0).
TEST(SortHttpRoutes, LongestFirstExactFirstStable) {
  std::vector<model::HTTPRoute> routes = {
      route("catch-all", std::nullopt),
      route("prefix-a", model::StringMatch{Kind::kPrefix, "/abc"}),
      route("exact-a", model::StringMatch{Kind::kExact, "/abc"}),
      route("prefix-b", model::StringMatch{Kind::kPrefix, "/xyz"}),
      route("root", model::StringMatch{Kind::kPrefix, "/"}),
      route("long", model::StringMatch{Kind::kPrefix, "/abcdef"}),
  };
  sort_http_routes(routes);
  std::vector<std::string> names;
  for (const auto& r : routes) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"long", "exact-a", "prefix-a", "prefix-b", "root", "catch-all"}));
}

}  // namespace
}  // namespace gwsim::kube_ingress
