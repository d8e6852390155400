// Typed RequestAuthentication (security.istio.io v1, v1beta1): the fields Istio's gateway config
// reads (istio.io/api security/v1/request_authentication.proto; pilot/pkg/security/authn
// policy_applier.go convertToEnvoyJwtConfig), and their reader. Also the JWKS documents gwsim
// stands in for a jwksUri's server with (see JwksDocument).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/k8s.h"
#include "engine/model/kinds.h"
#include "engine/model/object.h"

namespace gwsim::model {

// type.v1beta1.PolicyTargetReference.
struct PolicyTargetReference {
  std::string group;  // "" = core
  std::string kind;
  std::string name;
  std::string namespace_;
};

struct JwtHeader {
  std::string name;
  std::string prefix;
};

struct ClaimToHeader {
  std::string header;
  std::string claim;
};

struct JwtRule {
  std::string issuer;
  std::vector<std::string> audiences;
  std::string jwks_uri;  // jwksUri (or the older jwks_uri)
  std::string jwks;      // inline
  std::vector<JwtHeader> from_headers;
  std::vector<std::string> from_params;
  std::vector<std::string> from_cookies;
  std::string output_payload_to_header;
  bool forward_original_token = false;
  std::vector<ClaimToHeader> output_claim_to_headers;
  std::vector<std::string> space_delimited_claims;
  // timeout only bounds istiod's JWKS fetch, which gwsim never makes.
};

struct RequestAuthentication {
  Meta meta;
  std::optional<Labels> selector;                  // matchLabels; nullopt: no selector
  std::vector<PolicyTargetReference> target_refs;  // targetRef, then targetRefs
  std::vector<JwtRule> jwt_rules;
};

// What fetching a jwksUri answers, since gwsim never fetches one: a ConfigMap annotated
// `gwsim.io/jwks-uri: <uri>` whose data key `jwks` holds the JWKS (see
// docs/scenario-format.md). Other ConfigMaps are not read.
inline constexpr const char* kJwksUriAnnotation = "gwsim.io/jwks-uri";
struct JwksDocument {
  Meta meta;
  std::string uri;
  std::string jwks;
};

struct RequestAuthenticationProblem {
  std::string pointer;
  std::string message;
};

RequestAuthentication read_request_authentication(const Object& object, Meta meta,
                                                  std::vector<RequestAuthenticationProblem>& problems);
// nullopt for a ConfigMap without the annotation.
std::optional<JwksDocument> read_jwks_document(const Object& object, Meta meta);

}  // namespace gwsim::model
