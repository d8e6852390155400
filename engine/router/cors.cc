#include "engine/router/cors.h"

#include "engine/router/local_reply.h"

namespace gwsim::router {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// Headers the filter puts on every answer to an allowed origin.
void add_origin_headers(http::Headers& headers, const route::CorsConfig& cors, const std::string& origin) {
  headers.emplace_back("access-control-allow-origin", origin);
  if (cors.policy.allow_credentials.value_or(false)) headers.emplace_back("access-control-allow-credentials", "true");
}

void add_preflight_headers(http::Headers& headers, const route::CorsConfig& cors, const std::string& origin) {
  const auto& p = cors.policy;
  add_origin_headers(headers, cors, origin);
  if (!p.allow_methods.empty()) headers.emplace_back("access-control-allow-methods", join(p.allow_methods));
  if (!p.allow_headers.empty()) headers.emplace_back("access-control-allow-headers", join(p.allow_headers));
  if (p.max_age) headers.emplace_back("access-control-max-age", std::to_string(*p.max_age / 1000));
}

}  // namespace

bool cors_origin_allowed(const route::CorsConfig& cors, std::string_view origin) {
  for (const auto& m : cors.origins) {
    if (m.matches(origin)) return true;
  }
  return false;
}

FilterStatus cors_decode_headers(FilterState& s) {
  const route::Route* route = s.routing.route;
  const std::string* origin = s.request.header("origin");
  if (!route || !route->cors || !origin) return FilterStatus::kContinue;
  const bool allowed = cors_origin_allowed(*route->cors, *origin);
  if (allowed) s.cors_origin = origin;
  const bool preflight = s.request.method == "OPTIONS" && s.request.header("access-control-request-method");
  if (!preflight || (!allowed && route->cors->policy.unmatched_preflights != "IGNORE")) return FilterStatus::kContinue;
  match::DecisionTrace& t = s.routing.trace;
  t.outcome = match::Outcome::kCorsPreflight;
  t.response_flags = "-";
  send_local_reply(s.routing, s.request, t, s.response);
  if (allowed) add_preflight_headers(s.response.headers, *route->cors, *origin);
  return FilterStatus::kLocalReply;
}

void cors_encode_headers(const FilterState& s, http::Headers& headers) {
  if (!s.cors_origin) return;
  const route::CorsConfig& cors = *s.routing.route->cors;
  add_origin_headers(headers, cors, *s.cors_origin);
  if (!cors.policy.expose_headers.empty()) {
    headers.emplace_back("access-control-expose-headers", join(cors.policy.expose_headers));
  }
}

}  // namespace gwsim::router
