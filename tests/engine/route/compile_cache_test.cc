// CompileCache: a table compiled with the cache, after any sequence of changes, is the table
// compiled from scratch; and the cache does reuse work (issue #5: a change among 10,000
// VirtualServices must cost little).
#include "engine/route/compile.h"

#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <sstream>

#include "tests/engine/test_world.h"

namespace gwsim::route {
namespace {

using namespace gwsim::testing;

// Everything a user can see of a table, as text: listeners and chains, route configurations
// with their virtual hosts (name, domains, TLS requirement) and routes (origin, match, action),
// clusters, warnings. Two tables with the same text behave the same.
std::string table_text(const RouteTable& t) {
  std::ostringstream out;
  for (const auto& l : t.listeners) {
    out << "listener " << l.name << "\n";
    for (const auto& c : l.filter_chains) {
      out << "  chain " << c.name << " tls=" << c.tls_mode << " http=" << c.http << " rds=" << c.route_config
          << " vs=" << c.virtual_service << " gw=" << c.gateway << " sni=";
      for (const auto& s : c.server_names) out << s << ",";
      for (const auto& w : c.tcp_clusters) out << " tcp=" << w.cluster << "/" << w.weight;
      out << "\n";
    }
  }
  for (const auto& [name, rc] : t.route_configs) {
    out << "route config " << name << " (" << rc.lookup.size() << " domains)\n";
    for (std::size_t i = 0; i < rc.virtual_hosts.size(); ++i) {
      const auto& vh = rc.virtual_hosts[i];
      out << "  vhost " << vh.name << " tls=" << vh.require_tls << " domains=";
      for (const auto& d : vh.domains) out << d << "->" << rc.lookup.find(d) << ",";
      out << "\n";
      for (const auto& r : vh.routes) {
        out << "    route " << r.name << " " << r.virtual_service << "#" << r.http_index << "." << r.match_index
            << " gw=" << r.gateway << " path=" << static_cast<int>(r.match.path.kind) << ":" << r.match.path.value
            << " action=" << static_cast<int>(r.action_kind);
        for (const auto& c : r.route.clusters) out << " " << c.cluster << "/" << c.weight;
        out << "\n";
      }
    }
  }
  for (const auto& [name, c] : t.clusters) out << "cluster " << name << " endpoints=" << c.endpoints.size() << "\n";
  for (const auto& w : t.warnings) out << "warning " << w << "\n";
  return out.str();
}

class CompileCacheTest : public ::testing::Test {
 protected:
  CompileCacheTest() {
    w.add_service("default", "echo", {{"app", "echo"}}, {WorldBuilder::port("http", 80, 8080)},
                  {{"echo-1", {{"app", "echo"}}}});
    stamp_all();
  }

  // Objects from the API store carry a resourceVersion; every change gets a new one.
  void stamp_all() {
    for (auto& s : w.snap.services) stamp(s.meta);
    for (auto& g : w.snap.gateways) stamp(g.meta);
    for (auto& vs : w.snap.virtual_services) stamp(vs.meta);
  }
  void stamp(Meta& m) {
    if (m.resource_version.empty()) m.resource_version = std::to_string(++version_);
  }
  void touch(Meta& m) { m.resource_version = std::to_string(++version_); }

  // Compile with the cache and from scratch; the two must agree.
  RouteTable compile_both() {
    auto cached = compile_gateway(w.snap, "istio-system/istio-ingressgateway", &cache);
    auto fresh = compile_gateway(w.snap, "istio-system/istio-ingressgateway");
    EXPECT_TRUE(cached.ok() && fresh.ok());
    EXPECT_EQ(table_text(cached.value()), table_text(fresh.value()));
    return std::move(cached.value());
  }

  WorldBuilder w;
  CompileCache cache;
  int version_ = 100;
};

TEST_F(CompileCacheTest, ExactHostBeatsWildcard) {
  w.add_gateway("default", "gw", {"*.example.com"});
  w.add_vs("default", "wild", {"*.example.com"}, {"gw"}, {route_to("echo")});
  w.add_vs("default", "exact", {"a.example.com"}, {"gw"}, {route_to("echo")});
  stamp_all();
  auto table = compile_both();
  const auto& rc = table.route_configs.at("http.8080");
  ASSERT_EQ(rc.virtual_hosts.size(), 2u);
  EXPECT_EQ(rc.virtual_hosts[rc.lookup.find("a.example.com")].name, "a.example.com:80");
  EXPECT_EQ(rc.virtual_hosts[rc.lookup.find("b.example.com")].name, "*.example.com:80");
}

// A VirtualService drawn at random from what binding and merging depend on: namespaces,
// hosts (exact, wildcard, mixed case, "*"), gateways (short, qualified, two, "mesh"),
// exportTo, age, and http routes with and without matches (a catch-all ends the list),
// port and gateway conditions, and two destinations.
VirtualService random_vs(std::mt19937& rng, const std::string& name, std::int64_t version) {
  auto pick = [&rng](const auto& options) { return options[rng() % options.size()]; };
  const std::vector<std::string> namespaces = {"default", "other", "istio-system"};
  const std::vector<std::vector<std::string>> hosts = {
      {"a.example.com"}, {"b.example.com"}, {"*.example.com"}, {"A.Example.com"}, {"a.example.com", "b.example.com"},
      {"c.other.com"},   {"*"},             {"echo"},          {"*.other.com", "a.example.com"}};
  const std::vector<std::vector<std::string>> gateways = {
      {"gw1"}, {"default/gw1"}, {"gw1", "gw2"}, {"default/gw2"}, {"mesh"}, {"default/redirect"}, {"gw1", "default/redirect"}};
  const std::vector<std::vector<std::string>> export_to = {{}, {}, {"."}, {"istio-system"}, {"~"}, {"*"}};
  VirtualService vs;
  vs.meta = meta(pick(namespaces), name, static_cast<std::int64_t>(rng() % 3));
  vs.meta.resource_version = std::to_string(version);
  vs.hosts = pick(hosts);
  vs.gateways = pick(gateways);
  vs.export_to = pick(export_to);
  const int routes = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < routes; ++i) {
    HTTPRoute r = route_to(rng() % 2 ? "echo.default.svc.cluster.local" : "echo2.default.svc.cluster.local");
    r.name = "r" + std::to_string(i);
    switch (rng() % 5) {
      case 0: break;  // no match: a catch-all
      case 1: r.match.push_back(uri(StringMatch::Kind::kPrefix, "/p" + std::to_string(rng() % 3))); break;
      case 2: r.match.push_back(uri(StringMatch::Kind::kExact, "/e")); break;
      case 3: {
        HTTPMatchRequest m = uri(StringMatch::Kind::kPrefix, "/port");
        m.port = rng() % 2 ? 80 : 8080;
        r.match.push_back(m);
        break;
      }
      case 4: {
        HTTPMatchRequest m = uri(StringMatch::Kind::kPrefix, "/gw");
        m.gateways = {"default/gw2"};
        r.match.push_back(m);
        break;
      }
    }
    vs.http.push_back(r);
  }
  return vs;
}

// Any sequence of added, changed and deleted VirtualServices, with now and then a change to
// a Gateway or a Service, compiles with the cache to the table a fresh compile makes.
TEST_F(CompileCacheTest, AnySequenceOfChangesMatchesAFreshCompile) {
  w.add_service("default", "echo2", {{"app", "echo2"}}, {WorldBuilder::port("http", 80, 8080)}, {{"echo2-1", {{"app", "echo2"}}}});
  w.add_gateway("default", "gw1", {"*.example.com", "*.other.com"});
  w.add_gateway("default", "gw2", {"a.example.com", "c.other.com", "other/*"}, 80, 1);
  Gateway& redirect = w.add_gateway("default", "redirect", {"b.example.com", "www.redirect.com"}, 80, 2);
  redirect.servers[0].tls = ServerTLSSettings{};
  redirect.servers[0].tls->https_redirect = true;
  stamp_all();
  std::mt19937 rng(20261125);
  int next_name = 0;
  for (int step = 0; step < 400; ++step) {
    auto& list = w.snap.virtual_services;
    const unsigned op = rng() % 10;
    if (op < 4 || list.empty()) {
      list.push_back(random_vs(rng, "vs-" + std::to_string(next_name++), ++version_));
    } else if (op < 7) {
      auto& vs = list[rng() % list.size()];
      vs = random_vs(rng, vs.meta.name, ++version_);
    } else if (op < 9) {
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(rng() % list.size()));
    } else if (rng() % 5 == 0) {
      // The servers themselves change: httpsRedirect on or off.
      Gateway& gw = w.snap.gateways.back();
      gw.servers[0].tls->https_redirect = !gw.servers[0].tls->https_redirect;
      touch(gw.meta);
    } else if (rng() % 2) {
      Gateway& gw = w.snap.gateways[rng() % w.snap.gateways.size()];
      auto& hosts = gw.servers[0].hosts;
      if (hosts.size() > 1 && rng() % 2) hosts.pop_back();
      else hosts.push_back(rng() % 2 ? "d.example.com" : "*.example.com");
      touch(gw.meta);
    } else {
      Service& svc = w.snap.services[1 + rng() % (w.snap.services.size() - 1)];
      // One port, 80 or 8081: a destination without a port goes to it.
      svc.ports = {WorldBuilder::port("http", rng() % 2 ? 80 : 8081, 8080)};
      touch(svc.meta);
    }
    SCOPED_TRACE("step " + std::to_string(step));
    compile_both();
    if (::testing::Test::HasFailure()) break;
  }
}

// One changed VirtualService among many: only its routes are translated again.
TEST_F(CompileCacheTest, ReusesEverythingAChangeDidNotTouch) {
  w.add_gateway("default", "gw", {"*.example.com"});
  for (int i = 0; i < 50; ++i) {
    w.add_vs("default", "vs-" + std::to_string(i), {"host-" + std::to_string(i) + ".example.com"}, {"gw"}, {route_to("echo")});
  }
  stamp_all();
  compile_both();
  EXPECT_EQ(cache.last_stats().resolved_built, 50u);
  EXPECT_EQ(cache.last_stats().routes_built, 50u);

  auto& changed = w.snap.virtual_services[7];
  changed.http[0] = route_to("echo", "v1");
  touch(changed.meta);
  auto table = compile_both();
  EXPECT_EQ(cache.last_stats().resolved_built, 1u);
  EXPECT_EQ(cache.last_stats().resolved_reused, 49u);
  EXPECT_EQ(cache.last_stats().routes_built, 1u);
  EXPECT_EQ(cache.last_stats().routes_reused, 0u);  // the other 49 were not even looked at
  const auto& rc = table.route_configs.at("http.8080");
  const auto& vh = rc.virtual_hosts[rc.lookup.find("host-7.example.com")];
  EXPECT_EQ(vh.routes[0].route.clusters[0].cluster, "outbound|80|v1|echo.default.svc.cluster.local");

  // Another host on the Gateway: every VirtualService's binding is checked again, but their
  // routes, kept since they were translated, are not translated again.
  w.snap.gateways[0].servers[0].hosts.push_back("*.example.org");
  touch(w.snap.gateways[0].meta);
  compile_both();
  EXPECT_EQ(cache.last_stats().routes_built, 0u);
  EXPECT_EQ(cache.last_stats().routes_reused, 50u);

  // A change to a Service that leaves its ports alone changes no route.
  w.snap.services[1].meta.labels["team"] = "a";
  touch(w.snap.services[1].meta);
  compile_both();
  EXPECT_EQ(cache.last_stats().routes_built, 0u);

  // Another port: a destination without a port takes the Service's only port, so every route
  // to it is translated again.
  w.snap.services[1].ports = {WorldBuilder::port("http", 8081, 8080)};
  touch(w.snap.services[1].meta);
  table = compile_both();
  EXPECT_EQ(cache.last_stats().routes_built, 50u);
  const auto& after = table.route_configs.at("http.8080");
  EXPECT_EQ(after.virtual_hosts[after.lookup.find("host-8.example.com")].routes[0].route.clusters[0].cluster,
            "outbound|8081||echo.default.svc.cluster.local");
}

// Objects read from files have no resourceVersion: nothing can be told unchanged, so
// nothing is reused, and the table is still right.
TEST_F(CompileCacheTest, ObjectsWithoutResourceVersionAreNeverReused) {
  w.add_gateway("default", "gw", {"*.example.com"});
  w.add_vs("default", "a", {"a.example.com"}, {"gw"}, {route_to("echo")});
  compile_both();
  compile_both();
  EXPECT_EQ(cache.last_stats().resolved_reused, 0u);
  EXPECT_EQ(cache.last_stats().routes_reused, 0u);
}

}  // namespace
}  // namespace gwsim::route
