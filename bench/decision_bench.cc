// The decision path (route_request) against route tables of growing size: virtual host lookup
// by exact and wildcard host, and first-match route scanning; and one whole request through the
// pipeline (router::exchange). Numbers: docs/performance.md.
#include <benchmark/benchmark.h>

#include "engine/match/decide.h"
#include "engine/route/compile.h"
#include "engine/router/router.h"
#include "tests/engine/test_world.h"

namespace {

using namespace gwsim;

model::Meta meta(const std::string& ns, const std::string& name, std::int64_t t = 0) {
  model::Meta m;
  m.namespace_ = ns;
  m.name = name;
  m.creation_time = t;
  return m;
}

// `hosts` virtual hosts (exact "host-N.example.com" or wildcard "*.host-N.example.com"), each
// with `routes` prefix routes "/r0", "/r1", ... and a final catch-all.
route::RouteTable make_table(int hosts, int routes, bool wildcard) {
  model::ConfigSnapshot snap;
  model::Gateway gw;
  gw.meta = meta("default", "gw");
  model::Server s;
  s.port = model::GatewayPort{80, "HTTP", "http", 0};
  s.hosts = {"*"};
  gw.servers.push_back(s);
  snap.gateways.push_back(gw);
  for (int h = 0; h < hosts; ++h) {
    model::VirtualService vs;
    vs.meta = meta("default", "vs-" + std::to_string(h), h);
    vs.hosts = {(wildcard ? "*.host-" : "host-") + std::to_string(h) + ".example.com"};
    vs.gateways = {"gw"};
    for (int r = 0; r < routes; ++r) {
      model::HTTPRoute route;
      model::HTTPMatchRequest m;
      m.uri = model::StringMatch{model::StringMatch::Kind::kPrefix, "/r" + std::to_string(r) + "/"};
      route.match = {m};
      model::HTTPRouteDestination d;
      d.destination.host = "svc-" + std::to_string(r % 10);
      route.route = {d};
      vs.http.push_back(route);
    }
    snap.virtual_services.push_back(std::move(vs));
  }
  route::GatewayProxy proxy;
  proxy.service = "istio-system/istio-ingressgateway";
  proxy.namespace_ = "istio-system";
  proxy.labels = {{"istio", "ingressgateway"}};
  proxy.service_ports = {{80, 8080}};
  proxy.translated_ports = {{80, 8080}};
  return route::compile_for_proxy(snap, proxy);
}

void run(benchmark::State& state, bool wildcard) {
  const int hosts = static_cast<int>(state.range(0));
  const int routes = static_cast<int>(state.range(1));
  auto table = make_table(hosts, routes, wildcard);
  lb::Random rng(1);
  http::Request req;
  // The last host, and a path that matches the last route: the worst case for the scan.
  req.host = std::string(wildcard ? "a.host-" : "host-") + std::to_string(hosts - 1) + ".example.com";
  req.path = "/r" + std::to_string(routes - 1) + "/x";
  for (auto _ : state) {
    auto result = match::route_request(table, req, rng);
    benchmark::DoNotOptimize(result.route);
  }
  state.counters["vhosts"] = hosts;
  state.counters["routes"] = routes;
}

void BM_ExactHost(benchmark::State& state) { run(state, false); }
void BM_WildcardHost(benchmark::State& state) { run(state, true); }

// One routed request through the whole pipeline: stages, HTTP filters, edge headers, the load
// balancer over three pods, one attempt that the upstream answers at once.
void BM_Exchange(benchmark::State& state) {
  testing::WorldBuilder w;
  w.add_service("default", "echo", {{"app", "echo"}}, {testing::WorldBuilder::port("http", 80, 8080)},
                {{"echo-1", {{"app", "echo"}}}, {"echo-2", {{"app", "echo"}}}, {"echo-3", {{"app", "echo"}}}});
  w.add_gateway("default", "gw", {"a.example.com"});
  w.add_vs("default", "vs", {"a.example.com"}, {"gw"}, {testing::route_to("echo")});
  auto table = route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();
  lb::Random rng(1);
  lb::LoadBalancerState lb_state;
  http::Request req;
  req.host = "a.example.com";
  req.path = "/ping";
  req.headers = {{"user-agent", "bench"}, {"accept", "*/*"}};
  const router::UpstreamCall upstream = [](const route::Endpoint&, const http::UpstreamRequest&,
                                           const router::AttemptContext&) { return http::UpstreamResponse{}; };
  for (auto _ : state) {
    auto ex = router::exchange(table, req, rng, lb_state, upstream);
    benchmark::DoNotOptimize(ex.response.status);
  }
}

void BM_Compile(benchmark::State& state) {
  for (auto _ : state) {
    auto table = make_table(static_cast<int>(state.range(0)), 1, false);
    benchmark::DoNotOptimize(table.route_configs.size());
  }
}

}  // namespace

// {virtual hosts, routes per host}; 10,000 x 1,000 routes would need gigabytes, so the
// largest route count is measured with 100 hosts.
#define GWSIM_SIZES Args({1, 1})->Args({1, 1000})->Args({100, 10})->Args({100, 1000})->Args({10000, 1})->Args({10000, 10})
BENCHMARK(BM_ExactHost)->GWSIM_SIZES;
BENCHMARK(BM_WildcardHost)->GWSIM_SIZES;
BENCHMARK(BM_Exchange);
BENCHMARK(BM_Compile)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
