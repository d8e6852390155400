#include "engine/router/rewrite.h"

#include <gtest/gtest.h>

namespace gwsim::router {
namespace {

route::Route prefix_route(std::string prefix) {
  route::Route r;
  r.match.path.kind = route::PathMatcher::Kind::kPrefix;
  r.match.path.value = std::move(prefix);
  return r;
}

TEST(Rewrite, PrefixRewriteKeepsTheRestAndTheQuery) {
  auto route = prefix_route("/old");
  route::RouteAction a;
  a.prefix_rewrite = "/new";
  EXPECT_EQ(rewrite_path(a, route, "/old/x?y=1"), "/new/x?y=1");
  EXPECT_EQ(rewrite_path(route::RouteAction{}, route, "/old/x"), "/old/x");
}

TEST(Rewrite, RedirectLocationKeepsWhatTheRedirectDoesNotSay) {
  auto route = prefix_route("/");
  http::Request r;
  r.host = "a.example.com:80";
  r.path = "/p?q=1";
  route::RedirectAction a;
  a.path = "/moved";
  EXPECT_EQ(redirect_location(a, r, route), "http://a.example.com:80/moved?q=1");
  route::RedirectAction https;
  https.scheme = "https";
  EXPECT_EQ(redirect_location(https, r, route), "https://a.example.com/p?q=1");  // the default port goes
  route::RedirectAction port;
  port.port = 8443;
  port.host = "b.example.com";
  EXPECT_EQ(redirect_location(port, r, route), "http://b.example.com:8443/p?q=1");
}

// Envoy's path-separated prefix entry rewrites the matched prefix as a prefix entry does.
TEST(Rewrite, PathSeparatedPrefixRewritesOnlyThePrefix) {
  auto route = prefix_route("/old");
  route.match.path.kind = route::PathMatcher::Kind::kPathSeparatedPrefix;
  route::RouteAction a;
  a.prefix_rewrite = "/new";
  EXPECT_EQ(rewrite_path(a, route, "/old/x?y=1"), "/new/x?y=1");
  route::RedirectAction redirect;
  redirect.has_prefix_rewrite = true;
  redirect.prefix_rewrite = "/moved";
  http::Request r;
  r.host = "a.example.com";
  r.path = "/old/x";
  EXPECT_EQ(redirect_location(redirect, r, route), "http://a.example.com/moved/x");
}

}  // namespace
}  // namespace gwsim::router
