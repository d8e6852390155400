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

}  // namespace
}  // namespace gwsim::router
