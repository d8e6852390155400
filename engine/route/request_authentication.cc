#include "engine/route/request_authentication.h"

#include <algorithm>

#include "engine/model/labels.h"
#include "engine/route/detail_config.h"

namespace gwsim::route {

const char* const kPublicOnlyJwks =
    R"({"keys":[{"kty":"RSA","e":"AQAB","n":"0xObjM0UvS_oaazjpEYlAbwctEJ4L8pH3OuTb7qth7gUwqet-EzQB4dgFdvSdMgrLnSncQGRjpEYz3F3viIbH-3EN3TxSlPNviHxeOdyiBVfumN8dMxbLvVJUpfNOnvmMxJcl-8NNjAwcOjk4otSALaYgYYyOPyvKtgVdrQr-FoubWX4yrjxW-MJ2-7OBeepUUNOsVwGV23YX03sVkkyvY3otRflkBcY3_HKpBxJl9wk2GyOShN4_PNUF9-vwfnvOXMbCDX-w4PTef4geeb_GiT40YCKHTKMSPVanGRn5GExIWmki-mmqh94-mPTJyBR74ShspL3BxPZitDL574T1w"}]})";

namespace {

constexpr const char* kGatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

bool subset_of(const model::Labels& selector, const model::Labels& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

// policyattachment.go ShouldAttachPolicy for a gateway (not a waypoint).
bool should_attach(const model::RequestAuthentication& ra, const GatewayProxy& proxy) {
  auto gateway_name = proxy.labels.find(kGatewayNameLabel);
  const bool selected = !ra.selector || subset_of(*ra.selector, proxy.labels);
  if (gateway_name == proxy.labels.end()) {
    // Not a Gateway API deployment: targetRefs never attach; the selector decides.
    return ra.target_refs.empty() && selected;
  }
  // EnableSelectorBasedK8sGatewayPolicy (default true): no targetRef, the selector decides.
  if (ra.target_refs.empty()) return selected;
  for (const auto& ref : ra.target_refs) {
    if (proxy.namespace_ != ra.meta.namespace_) continue;
    if (!(ref.namespace_.empty() || ref.namespace_ == proxy.namespace_)) continue;
    if (ref.group == model::kGatewayApiGroup && ref.kind == "Gateway" && ref.name == gateway_name->second) return true;
  }
  return false;
}

// Envoy's default token locations when a provider names none (JwtProvider from_headers doc).
void token_locations(const model::JwtRule& rule, JwtProvider& p) {
  p.from_headers = rule.from_headers;
  p.from_params = rule.from_params;
  p.from_cookies = rule.from_cookies;
  if (p.from_headers.empty() && p.from_params.empty() && p.from_cookies.empty()) {
    p.from_headers.push_back({"Authorization", "Bearer "});
    p.from_params.push_back("access_token");
  }
}

// jwks_resolver.go BuildLocalJwks: the inline key set, else what the jwksUri answers.
void resolve_jwks(const model::ConfigSnapshot& snapshot, const model::JwtRule& rule, const std::string& policy,
                  JwtProvider& p, std::vector<std::string>& warnings) {
  std::string jwks = rule.jwks;
  if (!jwks.empty()) {
    p.jwks_source = "inline jwks";
  } else {
    const model::JwksDocument* found = nullptr;
    for (const auto& doc : snapshot.jwks_documents) {
      if (!rule.jwks_uri.empty() && doc.uri == rule.jwks_uri) {
        found = &doc;
        break;
      }
    }
    if (found) {
      jwks = found->jwks;
      p.jwks_source =
          "jwksUri " + rule.jwks_uri + " (ConfigMap " + found->meta.namespace_ + "/" + found->meta.name + ")";
    } else {
      // The fetch failed (gwsim never fetches): istiod inlines a key nobody can sign for.
      jwks = kPublicOnlyJwks;
      const std::string what = rule.jwks_uri.empty() ? "the issuer's OpenID discovery document (" + rule.issuer + ")"
                                                     : "jwksUri " + rule.jwks_uri;
      p.jwks_source = what + " not resolved: Istio's fail-closed key (every token fails)";
      warnings.push_back("RequestAuthentication " + policy + ": JWKS fetch failed for issuer " + rule.issuer + " (" +
                         what + " has no ConfigMap annotated " + model::kJwksUriAnnotation +
                         "), using public-only JWKS with discarded private key - JWT requests will be rejected");
    }
  }
  p.jwks = std::make_shared<const jwt::Jwks>(jwt::Jwks::from_json(jwks));
}

}  // namespace

std::vector<const model::RequestAuthentication*> request_authentications_for(const model::ConfigSnapshot& snapshot,
                                                                             const GatewayProxy& proxy) {
  // getConfigsForWorkload: the workload's namespace, then the root namespace.
  std::vector<const model::RequestAuthentication*> out;
  std::vector<std::string> namespaces = {proxy.namespace_};
  if (proxy.namespace_ != detail::kRootNamespace) namespaces.push_back(detail::kRootNamespace);
  for (const auto& ns : namespaces) {
    std::vector<const model::RequestAuthentication*> in_ns;
    for (const auto& ra : snapshot.request_authentications) {
      if (ra.meta.namespace_ == ns && should_attach(ra, proxy)) in_ns.push_back(&ra);
    }
    std::stable_sort(in_ns.begin(), in_ns.end(),
                     [](const auto* a, const auto* b) { return a->meta.name < b->meta.name; });
    out.insert(out.end(), in_ns.begin(), in_ns.end());
  }
  return out;
}

std::shared_ptr<const JwtAuthnConfig> build_jwt_authn(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                                                      std::vector<std::string>& warnings) {
  auto config = std::make_shared<JwtAuthnConfig>();
  struct Rule {
    const model::JwtRule* rule;
    std::string policy;
  };
  std::vector<Rule> rules;
  for (const auto* ra : request_authentications_for(snapshot, proxy)) {
    const std::string name = ra->meta.namespace_ + "/" + ra->meta.name;
    config->policies.push_back(name);
    for (const auto& rule : ra->jwt_rules) rules.push_back({&rule, name});
  }
  if (rules.empty()) return nullptr;
  // newPolicyApplier: sorted by issuer for a deterministic config.
  std::stable_sort(rules.begin(), rules.end(),
                   [](const Rule& a, const Rule& b) { return a.rule->issuer < b.rule->issuer; });
  for (std::size_t i = 0; i < rules.size(); ++i) {
    JwtProvider p;
    p.name = "origins-" + std::to_string(i);
    p.policy = rules[i].policy;
    p.rule = *rules[i].rule;
    token_locations(p.rule, p);
    resolve_jwks(snapshot, p.rule, p.policy, p, warnings);
    config->providers.push_back(std::move(p));
  }
  return config;
}

}  // namespace gwsim::route
