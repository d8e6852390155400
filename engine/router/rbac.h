// Envoy's rbac HTTP filters as Istio configures them on the gateway (engine/route/authorization.h):
// the AUDIT filter only logs, a matching DENY policy answers 403 "RBAC: access denied", and when
// ALLOW policies exist a request none of them matches is denied too. Paraphrases Envoy's
// source/extensions/filters/http/rbac/rbac_filter.cc (decodeHeaders: shadow rules never decide),
// filters/common/rbac/engine_impl.cc (RoleBasedAccessControlEngineImpl::handleAction: ALLOW
// allows on a match, DENY denies on one, LOG never denies) and filters/common/rbac/matchers.cc.
#pragma once

#include <cstdint>
#include <string>

#include "engine/http/authn.h"
#include "engine/http/request.h"
#include "engine/route/authorization.h"
#include "engine/router/http_filter.h"

namespace gwsim::router {

// What the rbac matchers read of one request and its connection.
struct RbacInput {
  const http::Request& request;
  const http::AuthnResult& authn;      // jwt_authn's result (request.auth.*)
  std::string remote_address;          // the downstream client (XFF-derived, else the peer)
  std::uint32_t destination_port = 0;  // the port the gateway pod accepted the connection on
  std::string destination_ip;          // the gateway pod's address
};

bool rbac_matches(const route::RbacMatcher& matcher, const RbacInput& input);

// The first policy (by name) whose permissions and principals both match; nullptr: none.
const route::RbacPolicy* rbac_first_match(const std::vector<route::RbacPolicy>& policies, const RbacInput& input);

struct RbacDecision {
  bool allowed = true;
  const route::RbacPolicy* policy = nullptr;  // the policy that allowed or denied; nullptr: none
  std::string trace;                          // what the filters decided, for the decision trace
};

// The AUDIT, DENY and ALLOW filters in Istio's order, stopping at the first denial.
RbacDecision authorize(const route::AuthorizationConfig& config, const RbacInput& input);

FilterStatus rbac_decode_headers(FilterState& state);

// Envoy's network rbac filters on a TCP filter chain (source/extensions/filters/network/rbac/
// rbac_filter.cc onData: the engines decide on the connection's first bytes), over the policies
// generated for TCP (AuthorizationConfig::tcp). The client address is the connection's peer: no
// X-Forwarded-For on TCP. false: denied; the trace says by what, the connection is closed
// (outcome kAccessDenied, no status).
bool rbac_on_new_connection(const route::RouteTable& table, const http::Request& request, match::RoutingResult& routing);

inline constexpr HttpFilter kRbacFilter{"envoy.filters.http.rbac", &rbac_decode_headers, nullptr};

}  // namespace gwsim::router
