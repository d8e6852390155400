// What security policy costs a request (issue #12): the same routed request through the whole
// pipeline (router::exchange) without policies, and through one RequestAuthentication (a valid
// ES256 token in Authorization), one DENY and one ALLOW AuthorizationPolicy. The goal is at most
// 2x; Envoy's jwt_authn caches a verified token per token string (jwt_authn/jwt_cache.cc), and so
// does gwsim (engine/jwt/token_cache.h), so a repeated token costs a lookup, not a signature
// check. BM_JwtFirstSight measures the signature check itself, a new token each iteration.
// Numbers: docs/performance.md.
#include <benchmark/benchmark.h>

#include <stdexcept>

#include "engine/jwt/signing_key.h"
#include "engine/model/manifest.h"
#include "engine/route/compile.h"
#include "engine/router/jwt_authn.h"
#include "engine/router/router.h"
#include "tests/engine/test_world.h"

namespace {

using namespace gwsim;

const jwt::SigningKey& signer() {
  static const auto made = jwt::SigningKey::from_seed("ES256", "security-bench");
  if (!made.key) throw std::runtime_error(made.error);
  return *made.key;
}

std::string token(std::uint64_t exp, const std::string& subject = "alice") {
  return signer().sign({{"iss", "issuer@example.com"}, {"sub", subject}, {"exp", exp}}, "k1");
}

// The policies an ingress gateway typically carries: a JWT issuer, "deny /admin", and "a valid
// token is required" (ALLOW requestPrincipals ["*"]).
std::string policies() {
  return R"(apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  jwtRules:
  - issuer: issuer@example.com
    jwks: ')" + signer().jwks("k1") +
         R"('
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  action: DENY
  rules:
  - to: [{operation: {paths: ["/admin*"]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: require-jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
)";
}

route::RouteTable table(bool with_policies) {
  testing::WorldBuilder w;
  w.add_service("default", "echo", {{"app", "echo"}}, {testing::WorldBuilder::port("http", 80, 8080)},
                {{"echo-1", {{"app", "echo"}}}, {"echo-2", {{"app", "echo"}}}, {"echo-3", {{"app", "echo"}}}});
  w.add_gateway("default", "gw", {"a.example.com"});
  w.add_vs("default", "vs", {"a.example.com"}, {"gw"}, {testing::route_to("echo")});
  if (with_policies) {
    auto loaded = model::load_manifest_text(policies(), "security_bench.yaml");
    if (loaded.has_errors()) throw std::runtime_error(loaded.diagnostics.front().to_string());
    for (const auto& object : loaded.objects) {
      auto added = model::add_to_snapshot(object, w.snap);
      if (!added.ok()) throw std::runtime_error(added.error().to_string());
    }
  }
  return route::compile_gateway(w.snap, "istio-system/istio-ingressgateway").value();
}

http::Request request(const std::string& bearer) {
  http::Request req;
  req.host = "a.example.com";
  req.path = "/ping";
  req.headers = {{"user-agent", "bench"}, {"accept", "*/*"}, {"authorization", "Bearer " + bearer}};
  return req;
}

const router::UpstreamCall kUpstream = [](const route::Endpoint&, const http::UpstreamRequest&,
                                          const router::AttemptContext&) { return http::UpstreamResponse{}; };

void run(benchmark::State& state, bool with_policies) {
  const auto compiled = table(with_policies);
  const auto req = request(token(router::jwt_clock_now() + 3600));
  lb::Random rng(1);
  lb::LoadBalancerState lb_state;
  int status = 0;
  for (auto _ : state) {
    auto ex = router::exchange(compiled, req, rng, lb_state, kUpstream);
    status = ex.response.status;
    benchmark::DoNotOptimize(status);
  }
  // Both runs must route (200): a benchmark of a 401 or 403 would measure the wrong path.
  if (status != 200) state.SkipWithError(("answered " + std::to_string(status) + ", not 200").c_str());
}

void BM_NoPolicy(benchmark::State& state) { run(state, false); }
void BM_AllowDenyJwt(benchmark::State& state) { run(state, true); }

// A token never seen before: the ES256 signature check (OpenSSL) is paid on every request.
void BM_JwtFirstSight(benchmark::State& state) {
  const auto compiled = table(true);
  const std::uint64_t exp = router::jwt_clock_now() + 3600;
  std::vector<http::Request> requests;
  for (int i = 0; i < 512; ++i) requests.push_back(request(token(exp, "user-" + std::to_string(i))));
  lb::Random rng(1);
  lb::LoadBalancerState lb_state;
  std::size_t i = 0;
  for (auto _ : state) {
    auto ex = router::exchange(compiled, requests[i++ % requests.size()], rng, lb_state, kUpstream);
    benchmark::DoNotOptimize(ex.response.status);
  }
}

}  // namespace

BENCHMARK(BM_NoPolicy);
BENCHMARK(BM_AllowDenyJwt);
// 512 distinct tokens against a cache of 100 (the default jwt_cache_config size): always a miss.
BENCHMARK(BM_JwtFirstSight);
