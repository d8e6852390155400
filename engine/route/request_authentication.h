// Step: the gateway's jwt_authn configuration from the RequestAuthentications that apply to its
// workload. Follows pilot/pkg/model/authentication.go (getConfigsForWorkload: the workload's
// namespace and the root namespace; policyattachment.go ShouldAttachPolicy: selector, or
// targetRef(s) to the Gateway API Gateway the workload runs) and pilot/pkg/security/authn/
// policy_applier.go (newPolicyApplier: every rule of every policy, sorted by issuer;
// convertToEnvoyJwtConfig: one provider "origins-<i>" per rule; JWKS inline, or from the jwksUri
// through pilot/pkg/model/jwks_resolver.go BuildLocalJwks, which gwsim answers from a JwksDocument
// and never fetches; a jwksUri nobody answers gets Istio's fail-closed key, PublicOnlyJwks).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/jwt/jwks.h"
#include "engine/jwt/jwt.h"
#include "engine/jwt/token_cache.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// One jwt_authn provider (envoy JwtProvider), as Istio writes it for one jwtRule.
struct JwtProvider {
  std::string name;    // "origins-<i>"
  std::string policy;  // the RequestAuthentication "ns/name"
  model::JwtRule rule;
  // Where tokens are read: the rule's locations, or Envoy's defaults when it names none
  // (Authorization with prefix "Bearer ", and the access_token query parameter).
  std::vector<model::JwtHeader> from_headers;
  std::vector<std::string> from_params;
  std::vector<std::string> from_cookies;
  std::shared_ptr<const jwt::Jwks> jwks;
  std::string jwks_source;  // for traces: "inline jwks", "jwksUri https://... (ConfigMap ns/name)", ...
  // Tokens this provider verified (Envoy's per-provider JWT cache): time and audiences are
  // checked on every use, the signature once.
  std::shared_ptr<jwt::TokenCache<jwt::Jwt>> verified = std::make_shared<jwt::TokenCache<jwt::Jwt>>(100);
};

struct JwtAuthnConfig {
  std::vector<JwtProvider> providers;  // sorted by issuer
  std::vector<std::string> policies;   // the RequestAuthentications that applied, "ns/name"
};

// The RequestAuthentications of the snapshot that apply to the proxy, in Istio's order.
std::vector<const model::RequestAuthentication*> request_authentications_for(const model::ConfigSnapshot& snapshot,
                                                                             const GatewayProxy& proxy);

// nullptr when no jwtRule applies (Istio adds no jwt_authn filter then). Warnings name what
// istiod would log (an unresolved jwksUri).
std::shared_ptr<const JwtAuthnConfig> build_jwt_authn(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                                                      std::vector<std::string>& warnings);

// pilot/pkg/model/jwks_resolver.go PublicOnlyJwks: a key whose private half nobody has.
extern const char* const kPublicOnlyJwks;

}  // namespace gwsim::route
