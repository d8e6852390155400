#include "engine/match/route_match.h"

#include <optional>

#include <re2/re2.h>

#include "engine/http/query.h"
#include "engine/text/ascii.h"

namespace gwsim::match {

using text::iequals;

std::optional<std::string> header_value(const http::Request& r, const std::string& name) {
  if (name == ":method") return r.method;
  if (name == ":authority") return r.host;
  if (name == ":scheme") return r.scheme;
  if (name == ":path") return r.path;
  std::optional<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (!iequals(k, name)) continue;
    out = out ? *out + "," + v : v;
  }
  return out;
}

std::optional<std::string> query_parameter(std::string_view path, std::string_view name) {
  auto query = http::query_string(path);
  if (!query) return std::nullopt;
  if (auto hash = query->find('#'); hash != std::string_view::npos) query = query->substr(0, hash);
  std::optional<std::string> found;
  http::for_each_query_pair(*query, [&](const http::QueryPair& p) {
    if (http::percent_decode(p.name) == name) found = p.has_value ? http::percent_decode(p.value) : std::string();
    return found.has_value();
  });
  return found;
}

namespace {

using route::HeaderMatcher;
using route::PathMatcher;
using route::Route;

std::string_view path_without_query(std::string_view path) {
  auto q = path.find_first_of("?#");
  return q == std::string_view::npos ? path : path.substr(0, q);
}

bool starts_with_ci(std::string_view s, std::string_view prefix, bool case_sensitive) {
  if (s.size() < prefix.size()) return false;
  return case_sensitive ? s.substr(0, prefix.size()) == prefix
                        : strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Envoy's path matching: prefix on the whole :path; exact, regex and path-separated prefix on the
// path without query.
bool path_matches(const PathMatcher& m, std::string_view path) {
  switch (m.kind) {
    case PathMatcher::Kind::kPrefix: return starts_with_ci(path, m.value, m.case_sensitive);
    case PathMatcher::Kind::kExact: {
      auto p = path_without_query(path);
      return m.case_sensitive ? p == m.value : iequals(p, m.value);
    }
    case PathMatcher::Kind::kRegex: {
      auto p = path_without_query(path);
      return m.regex && RE2::FullMatch(re2::StringPiece(p.data(), p.size()), *m.regex);
    }
    case PathMatcher::Kind::kPathSeparatedPrefix: {
      // Envoy's PathSeparatedPrefixRouteEntryImpl::matches: the path without query and fragment
      // starts with the prefix and ends there or continues with "/".
      auto p = path_without_query(path);
      return starts_with_ci(p, m.value, m.case_sensitive) && (p.size() == m.value.size() || p[m.value.size()] == '/');
    }
  }
  return false;
}

// Envoy HeaderUtility::matchHeaders, with Istio's treat_missing_header_as_empty for
// non-presence withoutHeaders matchers.
bool header_matches(const HeaderMatcher& m, const http::Request& r) {
  auto value = header_value(r, m.name);
  const bool presence = m.match.kind == route::StringMatcher::Kind::kPresent;
  if (!value) {
    if (m.invert && !presence) value = std::string();  // treat_missing_header_as_empty
    else return m.invert && presence;
  }
  return m.match.matches(*value) != m.invert;
}

// A metadata match on the jwt_authn payload (Istio's MetadataListMatcher with extended JWT
// matching): the value at the path is a string the matcher accepts, or a list with such a
// string; anything else (absent, a number, an object) does not match; invert flips the result.
bool claim_matches(const route::ClaimMatcher& m, const nlohmann::json& claims) {
  const nlohmann::json* v = &claims;
  for (const auto& key : m.path) {
    if (!v->is_object()) {
      v = nullptr;
      break;
    }
    auto it = v->find(key);
    if (it == v->end()) {
      v = nullptr;
      break;
    }
    v = &*it;
  }
  bool matched = false;
  if (v && v->is_string()) {
    matched = m.match.matches(v->get<std::string>());
  } else if (v && v->is_array()) {
    for (const auto& item : *v) matched = matched || (item.is_string() && m.match.matches(item.get<std::string>()));
  }
  return matched != m.invert;
}

}  // namespace

FailedCondition first_failed_condition(const Route& route, const http::Request& r, const nlohmann::json& claims) {
  using Kind = FailedCondition::Kind;
  const route::RouteMatch& m = route.match;
  for (std::size_t i = 0; i < m.claims.size(); ++i)
    if (!claim_matches(m.claims[i], claims)) return {Kind::kClaim, i};
  if (!path_matches(m.path, r.path)) return {Kind::kPath, 0};
  for (std::size_t i = 0; i < m.headers.size(); ++i)
    if (!header_matches(m.headers[i], r)) return {Kind::kHeader, i};
  for (std::size_t i = 0; i < m.query_parameters.size(); ++i) {
    auto v = query_parameter(r.path, m.query_parameters[i].name);
    if (!v || !m.query_parameters[i].match.matches(*v)) return {Kind::kQueryParameter, i};
  }
  return {};
}

bool route_matches(const Route& route, const http::Request& r) { return route_matches(route, r, nlohmann::json()); }

bool route_matches(const Route& route, const http::Request& r, const nlohmann::json& claims) {
  return !first_failed_condition(route, r, claims).failed();
}

bool match_route(const http::Request& request, RoutingResult& out) {
  DecisionTrace& t = out.trace;
  const route::VirtualHost& vh = *out.virtual_host;
  const Route* matched = nullptr;
  for (std::size_t i = 0; i < vh.routes.size(); ++i) {
    if (route_matches(vh.routes[i], request, out.authn.claims)) {
      matched = &vh.routes[i];
      t.route_index = static_cast<int>(i);
      break;
    }
  }
  if (!matched) {
    t.outcome = Outcome::kNoRoute;
    t.status = 404;
    t.response_flags = "NR";
    t.detail = "no route of virtual host " + vh.name + " matches (no fall-through to other virtual hosts)";
    return false;
  }
  out.route = matched;
  t.route_name = matched->name;
  t.virtual_service = matched->virtual_service;
  t.virtual_service_parents = matched->parents;
  t.gateway = matched->gateway;
  t.http_index = matched->http_index;
  t.match_index = matched->match_index;
  switch (matched->action_kind) {
    case Route::ActionKind::kUnsupported:
      t.outcome = Outcome::kUnsupported;
      t.detail = matched->unsupported_reason;
      return false;
    case Route::ActionKind::kRedirect:
      t.outcome = Outcome::kRedirect;
      t.status = static_cast<int>(matched->redirect.code);
      return false;
    case Route::ActionKind::kDirectResponse:
      t.outcome = Outcome::kDirectResponse;
      t.status = static_cast<int>(matched->direct_response.status);
      return false;
    case Route::ActionKind::kRoute: break;
  }
  return true;
}

}  // namespace gwsim::match
