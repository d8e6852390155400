// GWS0001 (engine/analysis/unreachable_route.h): a route every request of which an earlier route
// of the same virtual host takes, decided on the compiled conditions as sets of requests.
#include "engine/analysis/unreachable_route.h"

#include <re2/re2.h>

#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

using route::HeaderMatcher;
using route::PathMatcher;
using route::RouteMatch;
using route::StringMatcher;

RouteMatch path(PathMatcher::Kind kind, std::string value, bool case_sensitive = true) {
  RouteMatch m;
  m.path.kind = kind;
  m.path.value = std::move(value);
  m.path.case_sensitive = case_sensitive;
  if (kind == PathMatcher::Kind::kRegex) m.path.regex = std::make_shared<re2::RE2>(m.path.value);
  return m;
}
RouteMatch prefix(std::string v) { return path(PathMatcher::Kind::kPrefix, std::move(v)); }
RouteMatch exact(std::string v) { return path(PathMatcher::Kind::kExact, std::move(v)); }

StringMatcher string_match(StringMatcher::Kind kind, std::string value) {
  StringMatcher s;
  s.kind = kind;
  s.value = std::move(value);
  if (kind == StringMatcher::Kind::kRegex) s.regex = std::make_shared<re2::RE2>(s.value);
  return s;
}
RouteMatch with_header(RouteMatch m, std::string name, StringMatcher match, bool invert = false) {
  m.headers.push_back(HeaderMatcher{std::move(name), std::move(match), invert});
  return m;
}

TEST(UnreachableRouteTest, Paths) {
  EXPECT_TRUE(route_covers(prefix("/api"), exact("/api/users")));
  EXPECT_TRUE(route_covers(prefix("/api"), prefix("/api/v2")));
  EXPECT_TRUE(route_covers(prefix("/"), path(PathMatcher::Kind::kRegex, "/a.*")));
  EXPECT_FALSE(route_covers(prefix("/api/v2"), prefix("/api")));
  EXPECT_FALSE(route_covers(exact("/api"), prefix("/api")));
  EXPECT_TRUE(route_covers(exact("/api"), exact("/api")));
  EXPECT_FALSE(route_covers(exact("/api"), exact("/api/")));
  // Path-separated prefixes (Gateway API, Ingress): "/foo" is not "/foobar".
  EXPECT_TRUE(route_covers(path(PathMatcher::Kind::kPathSeparatedPrefix, "/foo"), exact("/foo/bar")));
  EXPECT_TRUE(route_covers(path(PathMatcher::Kind::kPathSeparatedPrefix, "/foo"), exact("/foo")));
  EXPECT_FALSE(route_covers(path(PathMatcher::Kind::kPathSeparatedPrefix, "/foo"), exact("/foobar")));
  EXPECT_FALSE(route_covers(path(PathMatcher::Kind::kPathSeparatedPrefix, "/foo"), prefix("/foo")));
  EXPECT_TRUE(route_covers(path(PathMatcher::Kind::kPathSeparatedPrefix, "/foo"), prefix("/foo/")));
  // A regex against an exact path is run, not compared as text.
  EXPECT_TRUE(route_covers(path(PathMatcher::Kind::kRegex, "/users/[0-9]+"), exact("/users/42")));
  EXPECT_FALSE(route_covers(path(PathMatcher::Kind::kRegex, "/users/[0-9]+"), exact("/users/me")));
  EXPECT_FALSE(route_covers(path(PathMatcher::Kind::kRegex, "/users/[0-9]+"), prefix("/users/1")));
  EXPECT_TRUE(route_covers(path(PathMatcher::Kind::kRegex, ".*"), prefix("/x")));
  // Case: an insensitive prefix takes every case of a sensitive one, not the other way round.
  EXPECT_TRUE(route_covers(path(PathMatcher::Kind::kPrefix, "/API", false), exact("/api/x")));
  EXPECT_FALSE(route_covers(prefix("/api"), path(PathMatcher::Kind::kExact, "/api/x", false)));
  EXPECT_TRUE(route_covers(prefix("/"), path(PathMatcher::Kind::kExact, "/api/x", false)));
}

TEST(UnreachableRouteTest, HeadersAndQueryParameters) {
  auto present = string_match(StringMatcher::Kind::kPresent, "");
  auto v1 = string_match(StringMatcher::Kind::kExact, "v1");
  auto v_prefix = string_match(StringMatcher::Kind::kPrefix, "v");
  auto v_regex = string_match(StringMatcher::Kind::kRegex, "v[0-9]");
  // The earlier route asks less of the request: it takes all of the later one's requests.
  EXPECT_TRUE(route_covers(prefix("/"), with_header(prefix("/a"), "version", v1)));
  EXPECT_TRUE(route_covers(with_header(prefix("/"), "version", present), with_header(prefix("/a"), "version", v1)));
  EXPECT_TRUE(route_covers(with_header(prefix("/"), "version", v_prefix), with_header(prefix("/"), "version", v1)));
  EXPECT_TRUE(route_covers(with_header(prefix("/"), "version", v_regex), with_header(prefix("/"), "version", v1)));
  EXPECT_FALSE(route_covers(with_header(prefix("/"), "version", v1), with_header(prefix("/"), "version", v_prefix)));
  EXPECT_FALSE(route_covers(with_header(prefix("/"), "version", v1), prefix("/")));
  EXPECT_FALSE(route_covers(with_header(prefix("/"), "version", v1), with_header(prefix("/"), "other", v1)));
  // Inverted (withoutHeaders): excluding v1 takes the requests that exclude every v*.
  EXPECT_TRUE(route_covers(with_header(prefix("/"), "version", v1, true),
                           with_header(prefix("/"), "version", v_prefix, true)));
  EXPECT_FALSE(route_covers(with_header(prefix("/"), "version", v_prefix, true),
                            with_header(prefix("/"), "version", v1, true)));
  EXPECT_FALSE(route_covers(with_header(prefix("/"), "version", v1, true), with_header(prefix("/"), "version", v1)));
  RouteMatch query = prefix("/");
  query.query_parameters.push_back({"debug", v1});
  EXPECT_TRUE(route_covers(prefix("/"), query));
  EXPECT_FALSE(route_covers(query, prefix("/")));
  EXPECT_TRUE(route_covers(query, query));
}

TEST(UnreachableRouteTest, FirstCoveringRouteOfAList) {
  std::vector<route::Route> routes(6);
  routes[0].match = exact("/health");
  routes[1].match = prefix("/api");
  routes[2].match = with_header(prefix("/api/v2"), "x", string_match(StringMatcher::Kind::kExact, "1"));
  routes[3].match = prefix("/apis");          // "/api" takes it: a prefix is a prefix of text
  routes[4].match = path(PathMatcher::Kind::kRegex, "/health");  // not decided by text: only exact paths run a regex
  routes[5].match = exact("/health");
  std::vector<const route::Route*> list;
  for (const auto& r : routes) list.push_back(&r);
  auto shadowed = shadowing_routes(list);
  EXPECT_EQ(shadowed[0], std::nullopt);
  EXPECT_EQ(shadowed[1], std::nullopt);
  EXPECT_EQ(shadowed[2], 1u);
  EXPECT_EQ(shadowed[3], 1u);
  EXPECT_EQ(shadowed[4], std::nullopt);
  EXPECT_EQ(shadowed[5], 0u);
}

TEST(UnreachableRouteTest, AcrossVirtualServicesOfOneHost) {
  Context context = context_of_yaml(gateway_and_echo_world() + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a-api, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: echo}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: b-users, namespace: default}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
  - name: users
    match: [{uri: {exact: /api/users}, headers: {x-user: {prefix: a}}}]
    route: [{destination: {host: echo}}]
  - match: [{uri: {prefix: /shop}}]
    route: [{destination: {host: echo}}]
)", "shop.yaml");
  ASSERT_FALSE(context.tables().empty());
  auto messages = run_analyzer(context, "gwsim.UnreachableRouteAnalyzer");
  ASSERT_EQ(messages.size(), 1u) << listing(messages);
  EXPECT_EQ(messages[0].origin, "VirtualService default/b-users");
  EXPECT_EQ(messages[0].reference, "shop.yaml:56");
  EXPECT_EQ(messages[0].text,
            "Route #1 \"users\" (VirtualService default/b-users http[0]) of virtual host shop.example.com:80 can never "
            "match: route #0 (VirtualService default/a-api http[0]) before it takes all its traffic.");
  EXPECT_EQ(messages[0].type->code, "GWS0001");
}

}  // namespace
}  // namespace gwsim::analysis::testing
