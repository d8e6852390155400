// Ports selected cases of TestBuildHTTPRoutes and TestSortVHostRoutes from Istio's
// pilot/pkg/networking/core/route/route_test.go (Istio master), checked at a gateway.
//
// Istio's test calls route.BuildHTTPRoutesForVirtualService for a sidecar node with listen port
// 8080. gwsim only builds gateway tables, so each fixture VirtualService is bound (through
// `gateways: [some-gateway]`) to a Gateway whose single HTTP server is port 80 with hosts "*",
// and we read the routes of the resulting virtual host in route configuration "http.8080". At a
// gateway Istio passes the server port (80) as the listen port (gateway.go
// buildGatewayHTTPRouteConfig), and concatenates the routes of all VirtualServices of a host
// before route.SortVHostRoutes.
//
// Adaptations, all forced by the gateway setting:
//   - Istio's fixtures have no hosts (the sidecar path does not need them); here they get
//     "foo.example.org" (or the fixture's own host when it has one), because a VirtualService
//     without hosts is a delegate and never binds to a Gateway.
//   - A match port of 8080 (the sidecar listen port) becomes 80 (the gateway server port).
//   - TestSortVHostRoutes calls SortVHostRoutes on hand-built Envoy routes; here those routes
//     come from VirtualServices on one host, and a catch-all that must come first is put in an
//     older VirtualService (inside one VirtualService a catch-all ends route generation).
//
//   - The fixtures with internal.istio.io/route-semantics name their Gateway "default/some-gateway":
//     Istio does not resolve a generated VirtualService's gateway names.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "engine/route/compile.h"
#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

constexpr const char* kGatewayService = "istio-system/istio-ingressgateway";
constexpr const char* kHost = "foo.example.org";

bool same_header_name(std::string a, std::string b) {
  for (auto* s : {&a, &b}) {
    for (auto& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return a == b;
}

// The Gateway every fixture is bound to: default/some-gateway, HTTP port 80, hosts "*".
WorldBuilder gateway_world() {
  WorldBuilder w;
  w.add_gateway("default", "some-gateway", {"*"});
  return w;
}

// Adds the fixture VirtualService default/acme bound to some-gateway.
VirtualService& add_acme(WorldBuilder& w, std::vector<HTTPRoute> http, std::string host = kHost,
                         bool gateway_semantics = false) {
  // The fixtures for rewrites carry Istio's internal annotation for Gateway API routes. Istio
  // does not resolve the gateway names of such a VirtualService (mergeVirtualServices), so it
  // names its Gateway "ns/name" as the generated ones do.
  VirtualService& vs = w.add_vs("default", "acme", {std::move(host)},
                                {gateway_semantics ? "default/some-gateway" : "some-gateway"}, std::move(http));
  if (gateway_semantics) vs.meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  return vs;
}

// Compiles the gateway and returns the routes of virtual host "<host>:80" in http.8080.
std::vector<Route> gateway_routes(const WorldBuilder& w, const std::string& host = kHost) {
  auto table = compile_gateway(w.snap, kGatewayService);
  if (!table.ok()) {
    ADD_FAILURE() << table.error().to_string();
    return {};
  }
  auto rc = table->route_configs.find("http.8080");
  if (rc == table->route_configs.end()) {
    ADD_FAILURE() << "no route configuration http.8080";
    return {};
  }
  for (const auto& vh : rc->second.virtual_hosts) {
    if (vh.name == host + ":80") return std::vector<Route>(vh.routes.begin(), vh.routes.end());
  }
  ADD_FAILURE() << "no virtual host " << host << ":80";
  return {};
}

StringMatch prefix(std::string v) { return StringMatch{StringMatch::Kind::kPrefix, std::move(v)}; }
StringMatch exact(std::string v) { return StringMatch{StringMatch::Kind::kExact, std::move(v)}; }
StringMatch regex(std::string v) { return StringMatch{StringMatch::Kind::kRegex, std::move(v)}; }

HTTPMatchRequest named_match(std::string name) {
  HTTPMatchRequest m;
  m.name = std::move(name);
  return m;
}

// Destination `host` with an optional port and subset, weight 100 when `weighted`.
HTTPRoute routed(std::string host, std::uint32_t port = 0, std::string subset = "", bool weighted = true) {
  HTTPRoute r = route_to(std::move(host), std::move(subset), port);
  if (weighted) r.route[0].weight = 100;
  return r;
}

// The redirect most header/query fixtures share: uri example.org, the some-authority host, `code`.
HTTPRedirect acme_redirect(std::uint32_t code = 308) {
  HTTPRedirect r;
  r.uri = "example.org";
  r.authority = "some-authority.default.svc.cluster.local";
  r.redirect_code = code;
  return r;
}

// An http route with a single match and the shared 308 redirect.
HTTPRoute redirect_route(HTTPMatchRequest match) {
  HTTPRoute r;
  r.match.push_back(std::move(match));
  r.redirect = acme_redirect();
  return r;
}

// ---- TestBuildHTTPRoutes ---------------------------------------------------------------

// "for virtual service with catch all route" (virtualServiceWithCatchAllRoute).
TEST(IstioRouteTranslation, CatchAllRoute) {
  auto w = gateway_world();
  HTTPRoute http = routed("*.example.org", 8484);
  http.name = "route";
  HTTPMatchRequest non_catch_all = named_match("non-catch-all");
  non_catch_all.uri = prefix("/route/v1");
  HTTPMatchRequest catch_all = named_match("catch-all");
  catch_all.uri = prefix("/");
  http.match = {non_catch_all, catch_all};
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].name, "route.non-catch-all");
  EXPECT_EQ(routes[1].name, "route.catch-all");
}

// "for virtual service with catch all route：port match" (virtualServiceWithCatchAllPort).
TEST(IstioRouteTranslation, CatchAllRoutePortMatch) {
  auto w = gateway_world();
  HTTPRoute route1 = routed("example1.default.svc.cluster.local", 8484, "", false);
  route1.name = "route 1";
  HTTPMatchRequest port_match = named_match("catch-all for 8080");
  port_match.port = 80;  // Istio: 8080, the sidecar listen port; at a gateway the server port
  route1.match = {port_match};
  HTTPRoute route2 = routed("example2.default.svc.cluster.local", 8484, "", false);
  route2.name = "route 2";
  HTTPMatchRequest header_match = named_match("header match");
  header_match.headers["cookie"] = exact("canary");
  route2.match = {header_match};
  HTTPRoute route3 = routed("example1.default.svc.cluster.local", 8484, "", false);
  route3.name = "route 3";
  add_acme(w, {route1, route2, route3});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].name, "route 1.catch-all for 8080");
}

// "for virtual service with top level catch all route"
// (virtualServiceWithCatchAllRouteWeightedDestination): the first match requires source label
// version=v1, which the gateway workload does not have, so only the match-less route remains.
TEST(IstioRouteTranslation, TopLevelCatchAllRoute) {
  auto w = gateway_world();
  HTTPRoute first = routed("c-weighted.extsvc.com", 0, "v2");
  HTTPMatchRequest headers_only = named_match("headers-only");
  headers_only.headers["version"] = exact("v2");
  headers_only.source_labels = {{"version", "v1"}};
  first.match = {headers_only};
  HTTPRoute second = routed("c-weighted.extsvc.com", 0, "v1");
  add_acme(w, {first, second}, "headers.test.istio.io");

  auto routes = gateway_routes(w, "headers.test.istio.io");
  EXPECT_EQ(routes.size(), 1u);
}

// "for virtual service with multi prefix catch all route"
// (virtualServiceWithCatchAllMultiPrefixRoute): the "/" match requires a source label the
// gateway lacks, so only the "/a" match gives a route.
TEST(IstioRouteTranslation, MultiPrefixCatchAllRoute) {
  auto w = gateway_world();
  HTTPRoute http = routed("*.example.org", 8484);
  HTTPMatchRequest catch_all = named_match("catch-all");
  catch_all.uri = prefix("/");
  catch_all.source_labels = {{"matchingNoSrc", "xxx"}};
  HTTPMatchRequest specific = named_match("specific match");
  specific.uri = prefix("/a");
  http.match = {catch_all, specific};
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  EXPECT_EQ(routes.size(), 1u);
}

// "for virtual service with regex matching on URI" (virtualServiceWithRegexMatchingOnURI).
TEST(IstioRouteTranslation, RegexMatchingOnUri) {
  auto w = gateway_world();
  HTTPMatchRequest m = named_match("status");
  m.uri = regex("\\/(.?)\\/status");
  add_acme(w, {redirect_route(m)});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].match.path.kind, PathMatcher::Kind::kRegex);
  EXPECT_EQ(routes[0].match.path.value, "\\/(.?)\\/status");
}

// "for virtual service with regex matching on header" (virtualServiceWithRegexMatchingOnHeader).
TEST(IstioRouteTranslation, RegexMatchingOnHeader) {
  auto w = gateway_world();
  HTTPMatchRequest m = named_match("auth");
  m.headers["Authentication"] = regex("Bearer .+?\\..+?\\..+?");
  add_acme(w, {redirect_route(m)});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].match.headers.size(), 1u);
  EXPECT_EQ(routes[0].match.headers[0].match.kind, StringMatcher::Kind::kRegex);
  EXPECT_EQ(routes[0].match.headers[0].match.value, "Bearer .+?\\..+?\\..+?");
}

// "for virtual service with regex matching on without_header"
// (virtualServiceWithRegexMatchingOnWithoutHeader). Istio also expects
// treat_missing_header_as_empty, which gwsim's route model has no field for (not checked).
TEST(IstioRouteTranslation, RegexMatchingOnWithoutHeader) {
  auto w = gateway_world();
  HTTPMatchRequest m = named_match("without-test");
  m.without_headers["FOO-HEADER"] = regex("BAR .+?\\..+?\\..+?");
  add_acme(w, {redirect_route(m)});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].match.headers.size(), 1u);
  EXPECT_EQ(routes[0].match.headers[0].match.kind, StringMatcher::Kind::kRegex);
  EXPECT_EQ(routes[0].match.headers[0].match.value, "BAR .+?\\..+?\\..+?");
  EXPECT_TRUE(routes[0].match.headers[0].invert);
}

// "for virtual service with presence matching on header" (virtualServiceWithPresentMatchingOnHeader
// and ...OnHeader2). Istio's two fixtures differ only in `FOO-HEADER: nil` vs `FOO-HEADER: {}`;
// in gwsim's typed model both are StringMatch{kNone}, so one world covers both.
TEST(IstioRouteTranslation, PresenceMatchingOnHeader) {
  auto w = gateway_world();
  HTTPMatchRequest m = named_match("presence");
  m.headers["FOO-HEADER"] = StringMatch{};
  add_acme(w, {redirect_route(m)});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].match.headers.size(), 1u);
  // Istio keeps the name as written; Envoy matches header names case-insensitively, and gwsim
  // keeps them lower-cased for that match: the same header either way.
  EXPECT_TRUE(same_header_name(routes[0].match.headers[0].name, "FOO-HEADER")) << routes[0].match.headers[0].name;
  EXPECT_EQ(routes[0].match.headers[0].match.kind, StringMatcher::Kind::kPresent);
  EXPECT_FALSE(routes[0].match.headers[0].invert);
}

// "for virtual service with presence matching on header and without_header"
// (virtualServiceWithPresentMatchingOnWithoutHeader).
TEST(IstioRouteTranslation, PresenceMatchingOnWithoutHeader) {
  auto w = gateway_world();
  HTTPMatchRequest m = named_match("presence");
  m.without_headers["FOO-HEADER"] = StringMatch{};
  add_acme(w, {redirect_route(m)});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].match.headers.size(), 1u);
  // Istio keeps the name as written; Envoy matches header names case-insensitively, and gwsim
  // keeps them lower-cased for that match: the same header either way.
  EXPECT_TRUE(same_header_name(routes[0].match.headers[0].name, "FOO-HEADER")) << routes[0].match.headers[0].name;
  EXPECT_EQ(routes[0].match.headers[0].match.kind, StringMatcher::Kind::kPresent);
  EXPECT_TRUE(routes[0].match.headers[0].invert);
}

// A route whose one match asks query parameter "token" for `m`: its matcher's kind and value.
void expect_query_match(const StringMatch& m, StringMatcher::Kind kind, const std::string& value) {
  auto w = gateway_world();
  HTTPMatchRequest match = named_match("auth");
  match.query_params["token"] = m;
  add_acme(w, {redirect_route(match)});
  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].match.query_parameters.size(), 1u);
  EXPECT_EQ(routes[0].match.query_parameters[0].match.kind, kind);
  EXPECT_EQ(routes[0].match.query_parameters[0].match.value, value);
}

// "for virtual service with exact matching on query parameter"
// (virtualServiceWithExactMatchingOnQueryParameter).
TEST(IstioRouteTranslation, ExactMatchingOnQueryParameter) {
  expect_query_match(exact("foo"), StringMatcher::Kind::kExact, "foo");
}

// "for virtual service with prefix matching on query parameter"
// (virtualServiceWithPrefixMatchingOnQueryParameter).
TEST(IstioRouteTranslation, PrefixMatchingOnQueryParameter) {
  expect_query_match(prefix("foo-"), StringMatcher::Kind::kPrefix, "foo-");
}

// "for virtual service with regex matching on query parameter"
// (virtualServiceWithRegexMatchingOnQueryParameter).
TEST(IstioRouteTranslation, RegexMatchingOnQueryParameter) {
  expect_query_match(regex("BAR .+?\\..+?\\..+?"), StringMatcher::Kind::kRegex, "BAR .+?\\..+?\\..+?");
}

// "for redirect code" (virtualServiceWithRedirect).
TEST(IstioRouteTranslation, RedirectCode) {
  auto w = gateway_world();
  HTTPRoute http;
  http.redirect = acme_redirect(308);
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRedirect);
  EXPECT_EQ(routes[0].redirect.code, 308u);  // PERMANENT_REDIRECT
}

// "for invalid redirect code" (virtualServiceWithInvalidRedirect): Istio leaves the route without
// an action; gwsim marks it kUnsupported.
TEST(IstioRouteTranslation, InvalidRedirectCode) {
  auto w = gateway_world();
  HTTPRoute http;
  http.redirect = acme_redirect(317);
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_NE(routes[0].action_kind, Route::ActionKind::kRedirect);
  EXPECT_EQ(routes[0].action_kind, Route::ActionKind::kUnsupported);
}

// The routes of a VirtualService whose one http route (match named `match`) rewrites as
// `rewrite`, as Istio's rewrite fixtures are (with the internal gateway route semantics).
std::vector<Route> rewrite_routes(const std::string& match, HTTPRewrite rewrite) {
  auto w = gateway_world();
  HTTPRoute http = routed("foo.example.org");
  http.match = {named_match(match)};
  http.rewrite = std::move(rewrite);
  add_acme(w, {http}, kHost, true);
  return gateway_routes(w);
}

// "for host rewrite" (virtualServiceWithRewriteHost).
TEST(IstioRouteTranslation, HostRewrite) {
  HTTPRewrite rewrite;
  rewrite.authority = "bar.example.org";
  auto routes = rewrite_routes("host-rewrite", rewrite);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRoute);
  EXPECT_EQ(routes[0].route.host_rewrite, std::optional<std::string>("bar.example.org"));
}

// "for full path rewrite" (virtualServiceWithRewriteFullPath).
TEST(IstioRouteTranslation, FullPathRewrite) {
  HTTPRewrite rewrite;
  rewrite.uri_regex_rewrite = RegexRewrite{"/.*", "/replace-full"};
  auto routes = rewrite_routes("full-path-rewrite", rewrite);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRoute);
  ASSERT_TRUE(routes[0].route.regex_rewrite.has_value());
  EXPECT_EQ(routes[0].route.regex_rewrite->match, "/.*");
  EXPECT_EQ(routes[0].route.regex_rewrite->rewrite, "/replace-full");
}

// "for prefix path rewrite" (virtualServiceWithRewritePrefixPath).
TEST(IstioRouteTranslation, PrefixPathRewrite) {
  HTTPRewrite rewrite;
  rewrite.uri = "/replace-prefix";
  auto routes = rewrite_routes("prefix-path-rewrite", rewrite);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRoute);
  EXPECT_EQ(routes[0].route.prefix_rewrite, std::optional<std::string>("/replace-prefix"));
}

// "for empty prefix path rewrite" (virtualServiceWithEmptyRewritePrefixPath): a Gateway API
// rewrite to "/" removes the matched prefix with a regex rewrite.
TEST(IstioRouteTranslation, EmptyPrefixPathRewrite) {
  auto w = gateway_world();
  HTTPRoute http = routed("foo.example.org");
  HTTPMatchRequest m = named_match("prefix-path-rewrite");
  m.uri = prefix("/prefix-to-be-removed");
  http.match = {m};
  http.rewrite = HTTPRewrite{};
  http.rewrite->uri = "/";
  add_acme(w, {http}, kHost, true);

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRoute);
  EXPECT_FALSE(routes[0].route.prefix_rewrite.has_value());
  ASSERT_TRUE(routes[0].route.regex_rewrite.has_value());
  EXPECT_EQ(routes[0].route.regex_rewrite->match, "^/prefix-to-be-removed(/?)(.*)");
  EXPECT_EQ(routes[0].route.regex_rewrite->rewrite, "/\\2");
}

// "for internally generated virtual service with ingress semantics"
// (virtualServiceWithCatchAllRoute): a prefix other than "/" becomes a path-separated prefix.
TEST(IstioRouteTranslation, IngressSemanticsPathSeparatedPrefix) {
  auto w = gateway_world();
  HTTPRoute http = routed("*.example.org", 8484);
  http.name = "route";
  HTTPMatchRequest non_catch_all = named_match("non-catch-all");
  non_catch_all.uri = prefix("/route/v1");
  HTTPMatchRequest catch_all = named_match("catch-all");
  catch_all.uri = prefix("/");
  http.match = {non_catch_all, catch_all};
  add_acme(w, {http}).meta.annotations["internal.istio.io/route-semantics"] = "ingress";

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].match.path.kind, PathMatcher::Kind::kPathSeparatedPrefix);
  EXPECT_EQ(routes[0].match.path.value, "/route/v1");
  EXPECT_EQ(routes[1].match.path.kind, PathMatcher::Kind::kPrefix);
  EXPECT_EQ(routes[1].match.path.value, "/");
  EXPECT_EQ(routes[0].route.cluster_not_found_status, 503u) << "only Gateway API routes answer 500";
}

// "for internally generated virtual service with gateway semantics"
// (virtualServiceWithCatchAllRoute): path-separated prefix, and ClusterNotFoundResponseCode
// INTERNAL_SERVER_ERROR on every route.
TEST(IstioRouteTranslation, GatewaySemanticsPathSeparatedPrefixAnd500) {
  auto w = gateway_world();
  HTTPRoute http = routed("*.example.org", 8484);
  http.name = "route";
  HTTPMatchRequest non_catch_all = named_match("non-catch-all");
  non_catch_all.uri = prefix("/route/v1");
  HTTPMatchRequest catch_all = named_match("catch-all");
  catch_all.uri = prefix("/");
  http.match = {non_catch_all, catch_all};
  add_acme(w, {http}, kHost, true);

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].match.path.kind, PathMatcher::Kind::kPathSeparatedPrefix);
  EXPECT_EQ(routes[0].match.path.value, "/route/v1");
  EXPECT_EQ(routes[0].route.cluster_not_found_status, 500u);
  EXPECT_EQ(routes[1].match.path.kind, PathMatcher::Kind::kPrefix);
  EXPECT_EQ(routes[1].match.path.value, "/");
  EXPECT_EQ(routes[1].route.cluster_not_found_status, 500u);
}

// "for path and host rewrite" (virtualServiceWithRewriteFullPathAndHost).
TEST(IstioRouteTranslation, PathAndHostRewrite) {
  HTTPRewrite rewrite;
  rewrite.uri_regex_rewrite = RegexRewrite{"/.*", "/replace-full"};
  rewrite.authority = "bar.example.org";
  auto routes = rewrite_routes("full-path-and-host-rewrite", rewrite);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRoute);
  EXPECT_EQ(routes[0].route.host_rewrite, std::optional<std::string>("bar.example.org"));
  ASSERT_TRUE(routes[0].route.regex_rewrite.has_value());
  EXPECT_EQ(routes[0].route.regex_rewrite->match, "/.*");
  EXPECT_EQ(routes[0].route.regex_rewrite->rewrite, "/replace-full");
}

// "for path regex match with regex rewrite" (virtualServiceWithPathRegexMatchRegexRewrite).
TEST(IstioRouteTranslation, PathRegexMatchWithRegexRewrite) {
  auto w = gateway_world();
  HTTPRoute http = routed("foo.example.org");
  HTTPMatchRequest m = named_match("full-path-and-host-rewrite");
  m.uri = regex("^/service/[^/]+/.*$");
  http.match = {m};
  http.rewrite = HTTPRewrite{};
  http.rewrite->uri_regex_rewrite = RegexRewrite{"^/service/([^/]+)(/.*)$", "\\2/instance/\\1"};
  add_acme(w, {http}, kHost, true);

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRoute);
  ASSERT_TRUE(routes[0].route.regex_rewrite.has_value());
  EXPECT_EQ(routes[0].route.regex_rewrite->match, "^/service/([^/]+)(/.*)$");
  EXPECT_EQ(routes[0].route.regex_rewrite->rewrite, "\\2/instance/\\1");
}

// "for full path redirect" (virtualServiceWithRedirectFullPath).
TEST(IstioRouteTranslation, FullPathRedirect) {
  auto w = gateway_world();
  HTTPRoute http;
  http.redirect = acme_redirect(308);
  http.redirect->uri = "/replace-full-path";
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRedirect);
  EXPECT_FALSE(routes[0].redirect.has_prefix_rewrite);  // the path specifier is path_redirect
  EXPECT_EQ(routes[0].redirect.path, "/replace-full-path");
}

// "for prefix_rewrite redirect" (virtualServiceWithRedirectPrefixRewrite).
TEST(IstioRouteTranslation, PrefixRewriteRedirect) {
  auto w = gateway_world();
  HTTPRoute http;
  http.redirect = HTTPRedirect{};
  http.redirect->authority = "foo.example.com";
  http.redirect->prefix_rewrite = "/";
  http.redirect->redirect_code = 301;
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kRedirect);
  EXPECT_EQ(routes[0].redirect.host, "foo.example.com");
  EXPECT_TRUE(routes[0].redirect.has_prefix_rewrite);  // the path specifier is prefix_rewrite
  EXPECT_EQ(routes[0].redirect.prefix_rewrite, "/");
}

// "for direct response code" (virtualServiceWithDirectResponse).
TEST(IstioRouteTranslation, DirectResponseCode) {
  auto w = gateway_world();
  HTTPRoute http;
  http.direct_response = HTTPDirectResponse{200, std::string("hello")};
  add_acme(w, {http});

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 1u);
  ASSERT_EQ(routes[0].action_kind, Route::ActionKind::kDirectResponse);
  EXPECT_EQ(routes[0].direct_response.status, 200u);
  EXPECT_EQ(routes[0].direct_response.body, "hello");
}

// ---- TestSortVHostRoutes ---------------------------------------------------------------

// One http route per match, each to the same destination.
std::vector<HTTPRoute> one_route_per_match(std::vector<StringMatch> uris,
                                           std::vector<HTTPMatchRequest> extra = {}) {
  std::vector<HTTPRoute> out;
  for (auto& u : uris) {
    HTTPRoute r = routed("foo.example.org");
    HTTPMatchRequest m;
    m.uri = std::move(u);
    r.match = {m};
    out.push_back(r);
  }
  for (auto& m : extra) {
    HTTPRoute r = routed("foo.example.org");
    r.match = {std::move(m)};
    out.push_back(r);
  }
  return out;
}

// "routes with catchall match": [prefix /, path /path1, prefix /prefix1, regex .*?regex1] sorts
// to [path /path1, prefix /prefix1, regex .*?regex1, prefix /].
TEST(IstioRouteTranslation, SortVHostRoutesWithCatchAll) {
  auto w = gateway_world();
  w.add_vs("default", "a-catch-all", {kHost}, {"some-gateway"}, one_route_per_match({prefix("/")}), /*created=*/1);
  w.add_vs("default", "b-specific", {kHost}, {"some-gateway"},
           one_route_per_match({exact("/path1"), prefix("/prefix1"), regex(".*?regex1")}), /*created=*/2);

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 4u);
  EXPECT_EQ(routes[0].match.path.kind, PathMatcher::Kind::kExact);
  EXPECT_EQ(routes[0].match.path.value, "/path1");
  EXPECT_EQ(routes[1].match.path.kind, PathMatcher::Kind::kPrefix);
  EXPECT_EQ(routes[1].match.path.value, "/prefix1");
  EXPECT_EQ(routes[2].match.path.kind, PathMatcher::Kind::kRegex);
  EXPECT_EQ(routes[2].match.path.value, ".*?regex1");
  EXPECT_EQ(routes[3].match.path.kind, PathMatcher::Kind::kPrefix);
  EXPECT_EQ(routes[3].match.path.value, "/");
  EXPECT_TRUE(routes[3].match.is_catch_all());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(routes[i].match.is_catch_all()) << i;
}

// "routes without catchall match": [path /path12, prefix /prefix12, regex .*?regex12,
// regex "*" with header foo=bar] keeps its order.
TEST(IstioRouteTranslation, SortVHostRoutesWithoutCatchAll) {
  auto w = gateway_world();
  HTTPMatchRequest star;
  star.uri = regex("*");
  star.headers["foo"] = exact("bar");
  add_acme(w, one_route_per_match({exact("/path12"), prefix("/prefix12"), regex(".*?regex12")}, {star}));

  auto routes = gateway_routes(w);
  ASSERT_EQ(routes.size(), 4u);
  EXPECT_EQ(routes[0].match.path.kind, PathMatcher::Kind::kExact);
  EXPECT_EQ(routes[0].match.path.value, "/path12");
  EXPECT_EQ(routes[1].match.path.kind, PathMatcher::Kind::kPrefix);
  EXPECT_EQ(routes[1].match.path.value, "/prefix12");
  EXPECT_EQ(routes[2].match.path.kind, PathMatcher::Kind::kRegex);
  EXPECT_EQ(routes[2].match.path.value, ".*?regex12");
  EXPECT_EQ(routes[3].match.path.kind, PathMatcher::Kind::kRegex);
  EXPECT_EQ(routes[3].match.path.value, "*");
  ASSERT_EQ(routes[3].match.headers.size(), 1u);
  EXPECT_EQ(routes[3].match.headers[0].name, "foo");
  EXPECT_EQ(routes[3].match.headers[0].match.kind, StringMatcher::Kind::kExact);
  EXPECT_EQ(routes[3].match.headers[0].match.value, "bar");
  EXPECT_FALSE(routes[3].match.headers[0].invert);
}

}  // namespace
}  // namespace gwsim::route
