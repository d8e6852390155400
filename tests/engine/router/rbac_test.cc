#include "engine/router/rbac.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "tests/engine/router/filter_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

std::shared_ptr<const route::AuthorizationConfig> compile(const std::string& policies) {
  auto load = model::load_manifest_text(policies, "ap.yaml");
  EXPECT_FALSE(load.has_errors());
  auto built = model::build_snapshot(load.objects);
  EXPECT_TRUE(built.problems.empty());
  route::GatewayProxy proxy;
  proxy.namespace_ = "istio-system";
  proxy.pod_ip = "10.0.0.5";
  std::vector<route::UnsimulatedRef> unsimulated;
  return route::build_authorization(built.snapshot, proxy, unsimulated);
}

std::string policy(const std::string& name, const std::string& spec) {
  return "---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: " + name +
         ", namespace: istio-system}\nspec:\n" + spec;
}

http::AuthnResult token(nlohmann::json claims) {
  http::AuthnResult a;
  a.authenticated = true;
  a.principal = claims.value("iss", "") + "/" + claims.value("sub", "");
  a.claims = std::move(claims);
  return a;
}

// A FilterWorld with the policies compiled into its table and the listener on 8080.
struct RbacWorld : FilterWorld {
  route::Listener listener;
  explicit RbacWorld(const std::string& policies) {
    table.authorization = compile(policies);
    table.proxy.pod_ip = "10.0.0.5";
    listener.port = 8080;
    routing.listener = &listener;
    routing.trace.outcome = match::Outcome::kRouted;
    request.host = "a.example.com";
  }
  FilterStatus run() { return rbac_decode_headers(start()); }
};

TEST(RbacFilter, ADenyAnswers403AndTheTraceNamesPolicyAndRule) {
  RbacWorld w(policy(
      "deny-post",
      "  action: DENY\n  rules: [{to: [{operation: {paths: [/x]}}]}, {to: [{operation: {methods: [POST]}}]}]\n"));
  w.request.method = "POST";
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.routing.trace.outcome, match::Outcome::kAccessDenied);
  EXPECT_EQ(w.response.status, 403);
  EXPECT_EQ(w.response.body, "RBAC: access denied");
  EXPECT_EQ(w.routing.trace.detail, "rbac: denied by DENY AuthorizationPolicy istio-system/deny-post rules[1]");
}

TEST(RbacFilter, WithoutPoliciesOrWhenNothingMatchesTheRequestGoesOn) {
  FilterWorld none;
  EXPECT_EQ(rbac_decode_headers(none.start()), FilterStatus::kContinue);
  RbacWorld w(policy("deny-post", "  action: DENY\n  rules: [{to: [{operation: {methods: [POST]}}]}]\n"));
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_EQ(w.routing.trace.outcome, match::Outcome::kRouted);
  EXPECT_EQ(w.routing.trace.detail, "");
}

TEST(RbacFilter, AllowPoliciesOfWhichNoneMatchesDenyAndTheAllowingRuleIsTraced) {
  const std::string policies = policy("allow-a", "  rules: [{to: [{operation: {paths: [/a]}}]}]\n") +
                               policy("allow-b", "  rules: [{to: [{operation: {paths: [/b]}}]}]\n");
  RbacWorld allowed(policies);
  allowed.request.path = "/b";
  EXPECT_EQ(allowed.run(), FilterStatus::kContinue);
  EXPECT_EQ(allowed.routing.trace.detail, "rbac: allowed by ALLOW AuthorizationPolicy istio-system/allow-b rules[0]");
  RbacWorld denied(policies);
  denied.request.path = "/c";
  EXPECT_EQ(denied.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(denied.routing.trace.detail,
            "rbac: denied: no ALLOW policy matched (istio-system/allow-a, istio-system/allow-b)");
}

TEST(RbacFilter, AuditNeverDenies) {
  RbacWorld w(policy("audit", "  action: AUDIT\n  rules: [{}]\n"));
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_EQ(w.routing.trace.detail, "rbac audit: logged by AuthorizationPolicy istio-system/audit rules[0]");
}

TEST(RbacFilter, DenyIsEvaluatedBeforeAllow) {
  RbacWorld w(policy("allow-all", "  rules: [{}]\n") + policy("deny-all", "  action: DENY\n  rules: [{}]\n"));
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.routing.trace.detail, "rbac: denied by DENY AuthorizationPolicy istio-system/deny-all rules[0]");
}

TEST(RbacFilter, IpBlocksReadThePeerAndRemoteIpBlocksTheForwardedClient) {
  const std::string policies =
      policy("p", "  rules: [{from: [{source: {ipBlocks: [192.168.0.0/16], remoteIpBlocks: [203.0.113.7]}}]}]\n");
  RbacWorld w(policies);
  w.request.source_ip = "192.168.1.1";
  w.routing.remote_address = "203.0.113.7";
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  RbacWorld other(policies);
  other.request.source_ip = "192.168.1.1";
  other.routing.remote_address = "203.0.113.8";
  EXPECT_EQ(other.run(), FilterStatus::kLocalReply);
  RbacWorld no_xff(policies);  // no remote address computed: the peer
  no_xff.request.source_ip = "192.168.1.1";
  EXPECT_EQ(no_xff.run(), FilterStatus::kLocalReply);
}

TEST(RbacMatchers, RequestPrincipalsWithWildcards) {
  auto config = compile(policy("p",
                               "  rules: [{from: [{source: {requestPrincipals: ['https://issuer.example/alice', "
                               "'https://other.example/*', '*@example.com']}}]}]\n"));
  http::Request r;
  auto allowed = [&](const http::AuthnResult& authn) {
    RbacInput in{r, authn};
    return authorize(*config, in).allowed;
  };
  EXPECT_TRUE(allowed(token({{"iss", "https://issuer.example"}, {"sub", "alice"}})));
  EXPECT_FALSE(allowed(token({{"iss", "https://issuer.example"}, {"sub", "bob"}})));
  EXPECT_TRUE(allowed(token({{"iss", "https://other.example"}, {"sub", "anyone"}})));
  EXPECT_TRUE(allowed(token({{"iss", "https://x"}, {"sub", "carol@example.com"}})));
  EXPECT_FALSE(allowed(http::AuthnResult{}));  // no token
}

TEST(RbacMatchers, NotRequestPrincipalsStarDeniesRequestsWithoutAToken) {
  // istio.io's "require a JWT" pattern: DENY notRequestPrincipals ["*"].
  auto config =
      compile(policy("require-jwt", "  action: DENY\n  rules: [{from: [{source: {notRequestPrincipals: ['*']}}]}]\n"));
  http::Request r;
  http::AuthnResult none;
  RbacInput without{r, none};
  EXPECT_FALSE(authorize(*config, without).allowed);
  auto with = token({{"iss", "i"}, {"sub", "s"}});
  RbacInput in{r, with};
  EXPECT_TRUE(authorize(*config, in).allowed);
}

TEST(RbacMatchers, ClaimsAudiencesAndPresenter) {
  auto config = compile(policy("p", R"(  rules:
  - when:
    - {key: 'request.auth.claims[groups]', values: [admins]}
    - {key: 'request.auth.claims[realm][role]', values: ['oper*']}
    - {key: request.auth.audiences, values: [api]}
    - {key: request.auth.presenter, values: [web]}
    - {key: request.auth.principal, values: [i/s]}
)"));
  http::Request r;
  auto allowed = [&](nlohmann::json claims) {
    auto authn = token(std::move(claims));
    RbacInput in{r, authn};
    return authorize(*config, in).allowed;
  };
  nlohmann::json good = {{"iss", "i"},
                         {"sub", "s"},
                         {"groups", nlohmann::json::array({"users", "admins"})},
                         {"realm", {{"role", "operator"}}},
                         {"aud", "api"},
                         {"azp", "web"}};
  EXPECT_TRUE(allowed(good));
  auto list_aud = good;
  list_aud["aud"] = nlohmann::json::array({"x", "api"});
  EXPECT_TRUE(allowed(list_aud));
  auto wrong_group = good;
  wrong_group["groups"] = "users";
  EXPECT_FALSE(allowed(wrong_group));
  auto wrong_nested = good;
  wrong_nested["realm"]["role"] = "dev";
  EXPECT_FALSE(allowed(wrong_nested));
  auto number_claim = good;
  number_claim["groups"] = 5;
  EXPECT_FALSE(allowed(number_claim));
  http::AuthnResult none;  // no token: no payload
  RbacInput without{r, none};
  EXPECT_FALSE(authorize(*config, without).allowed);
}

TEST(RbacMatchers, HostsPortsMethodsHeadersAndSni) {
  auto config = compile(policy("p", R"(  rules:
  - to: [{operation: {hosts: [A.example.com], ports: ['8443'], notMethods: [DELETE]}}]
    when:
    - {key: 'request.headers[x-env]', values: [prod]}
    - {key: connection.sni, values: ['*.example.com']}
    - {key: destination.ip, values: [10.0.0.0/24]}
)"));
  http::Request r;
  r.scheme = "https";
  r.sni = "a.example.com";
  r.host = "a.EXAMPLE.com";
  r.headers = {{"X-Env", "prod"}};
  http::AuthnResult none;
  RbacInput in{r, none, "", 8443, "10.0.0.5"};
  EXPECT_TRUE(authorize(*config, in).allowed);
  r.method = "DELETE";
  EXPECT_FALSE(authorize(*config, in).allowed);
  r.method = "GET";
  in.destination_port = 8080;
  EXPECT_FALSE(authorize(*config, in).allowed);
  in.destination_port = 8443;
  r.host = "a.example.com:443";  // hosts compare the :authority as written
  EXPECT_FALSE(authorize(*config, in).allowed);
  r.host = "a.example.com";
  r.headers = {{"x-env", "dev"}};
  EXPECT_FALSE(authorize(*config, in).allowed);
}

TEST(RbacMatchers, PeerIdentitiesNeverMatchAtTheIngress) {
  auto config =
      compile(policy("p", "  rules: [{from: [{source: {namespaces: ['*']}}, {source: {principals: ['*']}}]}]\n"));
  http::Request r;
  r.client_certificate = true;
  http::AuthnResult none;
  RbacInput in{r, none};
  EXPECT_FALSE(authorize(*config, in).allowed);
}

}  // namespace
}  // namespace gwsim::router
