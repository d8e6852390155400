// Follows Envoy's source/extensions/filters/http/rbac/rbac_filter.cc (RoleBasedAccessControlFilter::
// decodeHeaders), filters/common/rbac/engine_impl.cc (handleAction, checkPolicyMatch: the
// effective policy is the first matching one of the map, by name) and matchers.cc (AndMatcher,
// OrMatcher, NotMatcher, HeaderMatcher, PathMatcher on the path without query,
// IPMatcher for direct_remote_ip / remote_ip / destination_ip, PortMatcher,
// AuthenticatedMatcher, MetadataMatcher, RequestedServerNameMatcher), over the rules Istio's
// authz builder generates (engine/route/authorization.cc). The gateway has no client identity:
// Istio's ingress takes no mTLS from clients, so the authenticated (peer identity) matchers never
// match.
#include "engine/router/rbac.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "engine/router/local_reply.h"

namespace gwsim::router {

namespace {

using route::RbacConfig;
using route::RbacMatcher;
using route::RbacPolicy;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// HeaderUtility::getAllOfHeaderAsString: the values of a header joined with ","; nullopt when
// the request has none. The pseudo headers come from the request line.
std::optional<std::string> header_value(const http::Request& request, const std::string& name) {
  if (name == ":authority") return request.host;
  if (name == ":method") return request.method;
  if (name == ":path") return request.path;
  if (name == ":scheme") return request.scheme;
  std::optional<std::string> out;
  for (const auto& [n, v] : request.headers) {
    if (!same_name(n, name)) continue;
    out = out ? *out + "," + v : v;
  }
  if (!out && name == "host" && !request.host.empty()) return request.host;
  return out;
}

bool any_string(const std::vector<route::RbacStringMatcher>& matchers, std::string_view value) {
  return std::any_of(matchers.begin(), matchers.end(), [&](const auto& m) { return m.matches(value); });
}

// MetadataMatcher over jwt_authn's payload: a string value, or (Istio's extended form) a list
// one of whose strings matches. Numbers, booleans and objects never match a string matcher.
bool jwt_payload_matches(const RbacMatcher& m, const nlohmann::json& claims) {
  const nlohmann::json* v = &claims;
  for (const auto& key : m.path) {
    if (!v->is_object()) return false;
    auto it = v->find(key);
    if (it == v->end()) return false;
    v = &*it;
  }
  if (v->is_string()) return any_string(m.strings, v->get<std::string>());
  if (v->is_array() && m.present) {
    for (const auto& item : *v) {
      if (item.is_string() && any_string(m.strings, item.get<std::string>())) return true;
    }
  }
  return false;
}

std::string path_without_query(const std::string& path) { return path.substr(0, path.find_first_of("?#")); }

// What a policy is called in the trace: the object and the rule.
std::string policy_ref(const RbacPolicy& p) {
  return "AuthorizationPolicy " + p.policy +
         (p.rule < 0 ? " (no rules: matches nothing)" : " rules[" + std::to_string(p.rule) + "]");
}

std::string policy_names(const std::vector<RbacPolicy>& policies) {
  std::vector<std::string> names;
  for (const auto& p : policies) {
    if (std::find(names.begin(), names.end(), p.policy) == names.end()) names.push_back(p.policy);
  }
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

bool rbac_matches(const RbacMatcher& m, const RbacInput& in) {
  using K = RbacMatcher::Kind;
  switch (m.kind) {
    case K::kAny:
      return true;
    case K::kAnd:
      return std::all_of(m.children.begin(), m.children.end(), [&](const auto& c) { return rbac_matches(c, in); });
    case K::kOr:
      return std::any_of(m.children.begin(), m.children.end(), [&](const auto& c) { return rbac_matches(c, in); });
    case K::kNot:
      return !m.children.empty() && !rbac_matches(m.children.front(), in);
    case K::kHeader: {
      auto value = header_value(in.request, m.name);
      if (!value) return false;
      return m.present || any_string(m.strings, *value);
    }
    case K::kUrlPath:
      return any_string(m.strings, path_without_query(in.request.path));
    case K::kUriTemplate:
      return m.regex && RE2::FullMatch(path_without_query(in.request.path), *m.regex);
    case K::kDestinationPort:
      return in.destination_port == m.port;
    case K::kDestinationIp:
      return m.cidr && m.cidr->contains(in.destination_ip);
    case K::kRequestedServerName:
      return any_string(m.strings, http::server_name(in.request));
    case K::kDirectRemoteIp:
      return m.cidr && m.cidr->contains(in.request.source_ip);
    case K::kRemoteIp:
      return m.cidr && m.cidr->contains(in.remote_address.empty() ? in.request.source_ip : in.remote_address);
    case K::kAuthenticated:
      return false;  // no peer certificate identity at the ingress
    case K::kJwtPayload:
      return jwt_payload_matches(m, in.authn.claims);
    case K::kEnvoyMetadata:
      return false;  // other filters' metadata: not simulated (named)
  }
  return false;
}

const RbacPolicy* rbac_first_match(const std::vector<RbacPolicy>& policies, const RbacInput& in) {
  for (const auto& p : policies) {
    const bool permitted =
        std::any_of(p.permissions.begin(), p.permissions.end(), [&](const auto& m) { return rbac_matches(m, in); });
    if (!permitted) continue;
    if (std::any_of(p.principals.begin(), p.principals.end(), [&](const auto& m) { return rbac_matches(m, in); })) {
      return &p;
    }
  }
  return nullptr;
}

RbacDecision authorize(const route::AuthorizationConfig& config, const RbacInput& in) {
  RbacDecision d;
  auto note = [&](const std::string& text) { d.trace += (d.trace.empty() ? "" : "; ") + text; };
  // AUDIT (RBAC LOG): logs, never decides.
  if (config.audit && config.audit->enforced) {
    if (const RbacPolicy* p = rbac_first_match(config.audit->policies, in))
      note("rbac audit: logged by " + policy_ref(*p));
  }
  if (config.deny && config.deny->enforced) {
    if (const RbacPolicy* p = rbac_first_match(config.deny->policies, in)) {
      d.allowed = false;
      d.policy = p;
      note("rbac: denied by DENY " + policy_ref(*p));
      return d;
    }
  }
  if (config.allow && config.allow->enforced) {
    if (const RbacPolicy* p = rbac_first_match(config.allow->policies, in)) {
      d.policy = p;
      note("rbac: allowed by ALLOW " + policy_ref(*p));
    } else {
      d.allowed = false;
      note("rbac: denied: no ALLOW policy matched (" + policy_names(config.allow->policies) + ")");
    }
  }
  return d;
}

FilterStatus rbac_decode_headers(FilterState& s) {
  if (!s.table.authorization) return FilterStatus::kContinue;
  RbacInput in{s.request, s.routing.authn, s.routing.remote_address, 0, s.table.proxy.pod_ip};
  if (s.routing.listener) in.destination_port = s.routing.listener->port;
  RbacDecision d = authorize(*s.table.authorization, in);
  match::DecisionTrace& t = s.routing.trace;
  if (!d.trace.empty()) t.detail += (t.detail.empty() ? "" : "; ") + d.trace;
  if (d.allowed) return FilterStatus::kContinue;
  // sendLocalReply(403, "RBAC: access denied"): before the router, so whatever the route stages
  // found (no route, a redirect, a fault abort) is not what the client gets.
  t.outcome = match::Outcome::kAccessDenied;
  t.response_flags.assign(1, '-');
  send_local_reply(s.routing, s.request, t, s.response);
  return FilterStatus::kLocalReply;
}

bool rbac_on_new_connection(const route::RouteTable& table, const http::Request& request, match::RoutingResult& routing) {
  if (!table.authorization || !table.authorization->tcp) return true;
  static const http::AuthnResult kNoToken;
  RbacInput in{request, kNoToken, request.source_ip, 0, table.proxy.pod_ip};
  if (routing.listener) in.destination_port = routing.listener->port;
  RbacDecision d = authorize(*table.authorization->tcp, in);
  match::DecisionTrace& t = routing.trace;
  if (!d.trace.empty()) t.detail += (t.detail.empty() ? "" : "; ") + ("network " + d.trace);
  if (d.allowed) return true;
  // onData: setConnectionTerminationDetails(rbac_access_denied_matched_policy[...]) and close.
  t.outcome = match::Outcome::kAccessDenied;
  t.status = 0;
  t.response_flags.assign(1, '-');
  t.detail += "; the connection is closed";
  return false;
}

}  // namespace gwsim::router
