// What a request's authentication established, as Envoy's jwt_authn filter leaves it for the
// filters and route matching after it (Istio reads it back as request.auth.principal,
// request.auth.audiences, request.auth.presenter and request.auth.claims[...]; see
// pilot/pkg/security/authz/model and the istio_authn filter's dynamic metadata). A noun below
// both the decision (engine/match) and the filters (engine/router).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gwsim::http {

struct AuthnResult {
  bool authenticated = false;          // a token was found and verified
  std::string principal;               // "<iss>/<sub>" (requestPrincipals)
  std::vector<std::string> audiences;  // aud, as a list
  std::string presenter;               // azp
  nlohmann::json claims;               // the verified token's payload (null: none)
};

}  // namespace gwsim::http
