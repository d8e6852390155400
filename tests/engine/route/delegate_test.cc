#include "engine/route/delegate.h"

#include <gtest/gtest.h>

namespace gwsim::route {
namespace {

using model::HTTPMatchRequest;
using model::HTTPRoute;
using model::StringMatch;
using model::VirtualService;
using namespace delegate_detail;

StringMatch exact(std::string v) { return StringMatch{StringMatch::Kind::kExact, std::move(v)}; }
StringMatch prefix(std::string v) { return StringMatch{StringMatch::Kind::kPrefix, std::move(v)}; }
StringMatch regex(std::string v) { return StringMatch{StringMatch::Kind::kRegex, std::move(v)}; }

HTTPMatchRequest uri(StringMatch m) {
  HTTPMatchRequest r;
  r.uri = std::move(m);
  return r;
}

HTTPRoute to(std::string host, std::vector<HTTPMatchRequest> match = {}, std::string name = "") {
  HTTPRoute r;
  r.name = std::move(name);
  r.match = std::move(match);
  model::HTTPRouteDestination d;
  d.destination.host = std::move(host);
  r.route.push_back(d);
  return r;
}

HTTPRoute delegate_to(std::string name, std::string ns = "", std::vector<HTTPMatchRequest> match = {},
                      std::string route_name = "") {
  HTTPRoute r;
  r.name = std::move(route_name);
  r.match = std::move(match);
  r.delegate = model::Delegate{std::move(name), std::move(ns)};
  return r;
}

VirtualService vs(std::string ns, std::string name, std::vector<std::string> hosts, std::vector<HTTPRoute> http,
                  std::vector<std::string> export_to = {}) {
  VirtualService v;
  v.meta.namespace_ = std::move(ns);
  v.meta.name = std::move(name);
  v.hosts = std::move(hosts);
  if (!v.hosts.empty()) v.gateways = {"istio-system/gw"};
  v.http = std::move(http);
  v.export_to = std::move(export_to);
  return v;
}

// ---- stringMatchConflict / hasConflict (virtualservice_test.go TestHasConflict) -------------

TEST(DelegateTest, StringMatchConflictRules) {
  EXPECT_FALSE(string_match_conflict(std::nullopt, prefix("/a")));
  EXPECT_FALSE(string_match_conflict(prefix("/a"), std::nullopt));
  // Root prefix: the delegate must narrow it.
  EXPECT_FALSE(string_match_conflict(prefix("/a"), prefix("/a/b")));
  EXPECT_FALSE(string_match_conflict(prefix("/a"), prefix("/a")));
  EXPECT_TRUE(string_match_conflict(prefix("/a/b"), prefix("/a")));
  EXPECT_FALSE(string_match_conflict(prefix("/a"), exact("/a/c")));
  EXPECT_TRUE(string_match_conflict(prefix("/a"), exact("/b")));
  // Root exact: only the same exact value.
  EXPECT_FALSE(string_match_conflict(exact("/a"), exact("/a")));
  EXPECT_TRUE(string_match_conflict(exact("/a"), exact("/b")));
  EXPECT_TRUE(string_match_conflict(exact("/a"), prefix("/a")));
  // A regex on either side conflicts with any other uri kind, and with another regex.
  EXPECT_TRUE(string_match_conflict(regex("/a.*"), regex("/a.*")));
  EXPECT_TRUE(string_match_conflict(regex("/a.*"), prefix("/a")));
  EXPECT_TRUE(string_match_conflict(prefix("/a"), regex("/a.*")));
  EXPECT_TRUE(string_match_conflict(exact("/a"), regex("/a")));
  // Anything else with both sides set conflicts (e.g. an empty match).
  EXPECT_TRUE(string_match_conflict(StringMatch{}, prefix("/a")));
}

TEST(DelegateTest, HasConflictOnHeadersPortsSourcesAndGateways) {
  HTTPMatchRequest root, leaf;
  root.headers["version"] = exact("v1");
  leaf.headers["version"] = exact("v2");
  EXPECT_TRUE(has_conflict(root, leaf));
  leaf.headers["version"] = exact("v1");
  EXPECT_FALSE(has_conflict(root, leaf));
  leaf.headers.clear();
  leaf.headers["other"] = exact("x");  // a header the root does not match on
  EXPECT_FALSE(has_conflict(root, leaf));

  HTTPMatchRequest wr, wl;
  wr.without_headers["h"] = exact("a");
  wl.without_headers["h"] = exact("b");
  EXPECT_TRUE(has_conflict(wr, wl));

  HTTPMatchRequest pr, pl;
  pr.port = 80;
  pl.port = 8080;
  EXPECT_TRUE(has_conflict(pr, pl));
  pl.port = 0;
  EXPECT_FALSE(has_conflict(pr, pl));

  HTTPMatchRequest cr, cl;
  cl.ignore_uri_case = true;
  EXPECT_TRUE(has_conflict(cr, cl));

  HTTPMatchRequest nr, nl;
  nr.source_namespace = "a";
  EXPECT_TRUE(has_conflict(nr, nl));  // root sets it, delegate must repeat it
  nl.source_namespace = "a";
  EXPECT_FALSE(has_conflict(nr, nl));

  HTTPMatchRequest lr, ll;
  lr.source_labels = {{"app", "a"}};
  ll.source_labels = {{"app", "b"}};
  EXPECT_TRUE(has_conflict(lr, ll));

  HTTPMatchRequest gr, gl;
  gr.gateways = {"ns/a"};
  gl.gateways = {"ns/a", "ns/b"};
  EXPECT_TRUE(has_conflict(gr, gl));  // root has fewer gateways
  gr.gateways = {"ns/a", "ns/b", "ns/c"};
  EXPECT_FALSE(has_conflict(gr, gl));
  gl.gateways = {"ns/d"};
  EXPECT_TRUE(has_conflict(gr, gl));
}

// ---- mergeHTTPMatchRequests ------------------------------------------------------------------

TEST(DelegateTest, MatchesInheritTheRootsUnsetFields) {
  HTTPMatchRequest root = uri(prefix("/productpage"));
  root.port = 8080;
  root.name = "root";
  root.headers["a"] = exact("1");
  HTTPMatchRequest leaf;
  leaf.name = "leaf";
  leaf.headers["b"] = exact("2");
  leaf.query_params["q"] = exact("x");
  auto merged = merge_matches({root}, {leaf});
  ASSERT_TRUE(merged);
  ASSERT_EQ(merged->size(), 1u);
  const auto& m = merged->front();
  EXPECT_EQ(m.name, "root-leaf");
  ASSERT_TRUE(m.uri);
  EXPECT_EQ(m.uri->value, "/productpage");
  EXPECT_EQ(m.port, 8080u);
  EXPECT_EQ(m.headers.size(), 2u);
  EXPECT_EQ(m.query_params.size(), 1u);
}

TEST(DelegateTest, EachCompatibleRootMatchYieldsOneMergedMatch) {
  // virtualservice_test.go "multiple header merge".
  HTTPMatchRequest r1, r2;
  r1.headers["header1"] = regex("regex");
  r2.headers["header2"] = exact("exact");
  auto merged = merge_matches({r1, r2}, {uri(prefix("/"))});
  ASSERT_TRUE(merged);
  ASSERT_EQ(merged->size(), 2u);
  EXPECT_TRUE((*merged)[0].headers.count("header1"));
  EXPECT_TRUE((*merged)[1].headers.count("header2"));
  EXPECT_EQ((*merged)[1].uri->value, "/");
}

TEST(DelegateTest, OneIncompatibleDelegateMatchDropsTheWholeRoute) {
  auto merged = merge_matches({uri(prefix("/a"))}, {uri(prefix("/a/x")), uri(prefix("/b"))});
  EXPECT_FALSE(merged);
}

TEST(DelegateTest, EmptyMatchListsTakeTheOtherSide) {
  auto a = merge_matches({}, {uri(prefix("/x"))});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->front().uri->value, "/x");
  auto b = merge_matches({uri(prefix("/y"))}, {});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->front().uri->value, "/y");
}

// ---- mergeHTTPRoute ------------------------------------------------------------------------------

TEST(DelegateTest, RouteInheritsUnsetFieldsAndCombinesNames) {
  HTTPRoute root = delegate_to("d", "", {uri(prefix("/api"))}, "root");
  root.timeout = 10000;
  root.retries = model::HTTPRetry{3, std::nullopt, "5xx", std::nullopt, std::nullopt, std::nullopt};
  root.headers = model::Headers{model::HeaderOperations{{{"x-root", "1"}}, {}, {}}, std::nullopt};
  root.fault = model::HTTPFaultInjection{};
  root.cors_policy = model::CorsPolicy{};
  root.rewrite = model::HTTPRewrite{"/v2", "", std::nullopt};
  root.mirror = model::Destination{"mirror.default.svc.cluster.local", "", std::nullopt};
  root.mirror_percentage = model::Percent{50};

  HTTPRoute leaf = to("a.default.svc.cluster.local", {uri(prefix("/api/users"))}, "users");
  leaf.timeout = 2000;  // the delegate's own value wins
  auto merged = merge_route(root, leaf);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->name, "root-users");
  EXPECT_EQ(merged->timeout, 2000);
  ASSERT_TRUE(merged->retries);
  EXPECT_EQ(merged->retries->attempts, 3);
  ASSERT_TRUE(merged->headers);
  EXPECT_EQ(merged->headers->request->set.front().first, "x-root");
  EXPECT_TRUE(merged->fault);
  EXPECT_TRUE(merged->cors_policy);
  ASSERT_TRUE(merged->rewrite);
  EXPECT_EQ(merged->rewrite->uri, "/v2");
  ASSERT_TRUE(merged->mirror);
  EXPECT_EQ(merged->mirror_percentage->value, 50);
  EXPECT_FALSE(merged->delegate);
  ASSERT_EQ(merged->route.size(), 1u);
  EXPECT_EQ(merged->match.front().uri->value, "/api/users");
}

TEST(DelegateTest, RouteNameFallsBackToEitherSide) {
  HTTPRoute root = delegate_to("d", "", {}, "root");
  EXPECT_EQ(merge_route(root, to("a"))->name, "root");
  HTTPRoute anonymous = delegate_to("d");
  EXPECT_EQ(merge_route(anonymous, to("a", {}, "leaf"))->name, "leaf");
}

TEST(DelegateTest, DirectResponseIsInheritedEvenOverDestinations) {
  HTTPRoute root = delegate_to("d");
  root.direct_response = model::HTTPDirectResponse{418, std::string("teapot")};
  auto merged = merge_route(root, to("a"));
  ASSERT_TRUE(merged);
  ASSERT_TRUE(merged->direct_response);
  EXPECT_EQ(merged->direct_response->status, 418u);
  EXPECT_EQ(merged->route.size(), 1u);  // kept, but a direct response wins at translation
}

// ---- merge_delegates ----------------------------------------------------------------------------

TEST(DelegateTest, DelegateRoutesReplaceTheRootRouteInPlace) {
  std::vector<VirtualService> in = {
      vs("default", "root", {"a.example.com"},
         {to("first", {uri(prefix("/first"))}, "first"), delegate_to("d", "", {uri(prefix("/api"))}, "api"),
          to("last", {}, "last")}),
      vs("default", "d", {}, {to("users", {uri(prefix("/api/users"))}, "users"), to("rest", {}, "rest")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 1u);  // the delegate is gone
  EXPECT_TRUE(warnings.empty());
  const auto& http = out[0].http;
  ASSERT_EQ(http.size(), 4u);
  EXPECT_EQ(http[0].name, "first");
  EXPECT_EQ(http[1].name, "api-users");
  EXPECT_EQ(http[1].match.front().uri->value, "/api/users");
  EXPECT_EQ(http[2].name, "api-rest");
  EXPECT_EQ(http[2].match.front().uri->value, "/api");  // the root's match, inherited
  EXPECT_EQ(http[3].name, "last");
}

TEST(DelegateTest, ConflictingDelegateRouteIsDroppedWithAWarning) {
  std::vector<VirtualService> in = {
      vs("default", "root", {"a.example.com"}, {delegate_to("d", "", {uri(exact("/login"))}, "login")}),
      vs("default", "d", {}, {to("p", {uri(prefix("/login"))}, "p"), to("e", {uri(exact("/login"))}, "e")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].http.size(), 1u);
  EXPECT_EQ(out[0].http[0].name, "login-e");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("HTTPMatchRequests conflict"), std::string::npos);
}

TEST(DelegateTest, MissingDelegateDropsOnlyThatRootRoute) {
  std::vector<VirtualService> in = {
      vs("default", "root", {"a.example.com"}, {delegate_to("nope", "", {uri(prefix("/x"))}), to("b", {}, "rest")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].http.size(), 1u);
  EXPECT_EQ(out[0].http[0].name, "rest");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("default/nope of default/root not found"), std::string::npos);
}

TEST(DelegateTest, DelegateNamespaceDefaultsToTheRoots) {
  std::vector<VirtualService> in = {
      vs("apps", "root", {"a.example.com"}, {delegate_to("d")}),
      vs("default", "d", {}, {to("default-ns")}),
      vs("apps", "d", {}, {to("apps-ns")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].http.size(), 1u);
  EXPECT_EQ(out[0].http[0].route.front().destination.host, "apps-ns");
}

TEST(DelegateTest, ExportToDecidesVisibilityFromTheRootsNamespace) {
  auto run = [](std::vector<std::string> export_to, const std::string& delegate_ns) {
    std::vector<VirtualService> in = {
        vs("apps", "root", {"a.example.com"}, {delegate_to("d", delegate_ns)}),
        vs(delegate_ns, "d", {}, {to("x")}, std::move(export_to)),
    };
    std::vector<std::string> warnings;
    return merge_delegates(in, warnings).front().http.size();
  };
  EXPECT_EQ(run({}, "team"), 1u);            // default: public
  EXPECT_EQ(run({"*"}, "team"), 1u);
  EXPECT_EQ(run({"apps"}, "team"), 1u);      // exported to the root's namespace
  EXPECT_EQ(run({"."}, "team"), 0u);         // private to the delegate's namespace
  EXPECT_EQ(run({"team"}, "team"), 0u);
  EXPECT_EQ(run({"istio-system"}, "team"), 0u);  // the gateway's namespace does not matter
  EXPECT_EQ(run({"."}, "apps"), 1u);         // same namespace as the root
}

TEST(DelegateTest, NotExportedWarningNamesTheRootNamespace) {
  std::vector<VirtualService> in = {
      vs("apps", "root", {"a.example.com"}, {delegate_to("d", "team")}),
      vs("team", "d", {}, {to("x")}, {"team"}),
  };
  std::vector<std::string> warnings;
  merge_delegates(in, warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("team/d of apps/root is not exported to apps"), std::string::npos);
}

TEST(DelegateTest, AVirtualServiceWithHostsIsNoDelegate) {
  std::vector<VirtualService> in = {
      vs("default", "root", {"a.example.com"}, {delegate_to("other")}),
      vs("default", "other", {"b.example.com"}, {to("x")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].http.empty());
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(DelegateTest, ADelegateCannotDelegateAgain) {
  std::vector<VirtualService> in = {
      vs("default", "root", {"a.example.com"}, {delegate_to("d1")}),
      vs("default", "d1", {}, {delegate_to("d2", "", {}, "again"), to("x", {}, "kept")}),
      vs("default", "d2", {}, {to("y")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].http.size(), 1u);
  EXPECT_EQ(out[0].http[0].name, "kept");
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(DelegateTest, OneDelegateServesSeveralRootsIndependently) {
  std::vector<VirtualService> in = {
      vs("default", "r1", {"a.example.com"}, {delegate_to("d", "", {uri(prefix("/a"))}, "a")}),
      vs("default", "r2", {"b.example.com"}, {delegate_to("d", "", {uri(prefix("/b"))}, "b")}),
      vs("default", "d", {}, {to("x", {}, "x")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].http[0].name, "a-x");
  EXPECT_EQ(out[0].http[0].match.front().uri->value, "/a");
  EXPECT_EQ(out[1].http[0].name, "b-x");
  EXPECT_EQ(out[1].http[0].match.front().uri->value, "/b");
}

TEST(DelegateTest, PlainVirtualServicesPassThroughInOrder) {
  std::vector<VirtualService> in = {
      vs("default", "b", {"b.example.com"}, {to("x")}),
      vs("default", "a", {"a.example.com"}, {to("y")}),
  };
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].meta.name, "b");
  EXPECT_EQ(out[1].meta.name, "a");
}

TEST(DelegateTest, GatewayApiSemanticsAreNotMerged) {
  std::vector<VirtualService> in = {
      vs("default", "root", {"a.example.com"}, {delegate_to("d")}),
      vs("default", "d", {}, {to("x")}),
  };
  in[0].meta.annotations["internal.istio.io/route-semantics"] = "gateway";
  std::vector<std::string> warnings;
  auto out = merge_delegates(in, warnings);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].http.size(), 1u);
  EXPECT_TRUE(out[0].http[0].delegate);
}

}  // namespace
}  // namespace gwsim::route
