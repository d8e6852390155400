// Follows Envoy's source/extensions/filters/http/cors/cors_filter.cc (CorsFilter::decodeHeaders,
// encodeHeaders, isOriginAllowed) over the policy Istio translates (TranslateCORSPolicy in
// pilot/pkg/networking/core/route/route.go: lists joined with ",", maxAge in whole seconds,
// unmatchedPreflights IGNORE -> forward_not_matching_preflights false).
#include "engine/router/cors.h"

#include "engine/router/edge_headers.h"
#include "engine/router/local_reply.h"

namespace gwsim::router {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// encodeHeaders: every answer to a request from an allowed origin (the upstream's, and the
// filter's own preflight answer, which passes through the encoder filters too) gets the origin,
// credentials and exposed headers, set over whatever the upstream wrote.
void add_origin_headers(http::Headers& headers, const route::CorsConfig& cors, const std::string& origin) {
  set_header(headers, "access-control-allow-origin", origin);
  if (cors.policy.allow_credentials.value_or(false)) set_header(headers, "access-control-allow-credentials", "true");
  if (!cors.policy.expose_headers.empty())
    set_header(headers, "access-control-expose-headers", join(cors.policy.expose_headers));
}

// decodeHeaders' preflight answer: 200 with the origin when allowed, credentials, the allowed
// methods and headers ("*" answers with what the preflight asked for) and max age. An
// unmatched preflight that is not forwarded gets the same answer without the origin.
void add_preflight_headers(http::Headers& headers, const route::CorsConfig& cors, const http::Request& request,
                           const std::string* allowed_origin) {
  const auto& p = cors.policy;
  if (allowed_origin) set_header(headers, "access-control-allow-origin", *allowed_origin);
  if (p.allow_credentials.value_or(false)) set_header(headers, "access-control-allow-credentials", "true");
  auto echo = [&](const char* request_header) {
    const std::string* asked = request.header(request_header);
    return asked ? *asked : std::string();
  };
  if (std::string methods = join(p.allow_methods); !methods.empty())
    set_header(headers, "access-control-allow-methods",
               methods == "*" ? echo("access-control-request-method") : methods);
  if (std::string allowed = join(p.allow_headers); !allowed.empty())
    set_header(headers, "access-control-allow-headers",
               allowed == "*" ? echo("access-control-request-headers") : allowed);
  if (p.max_age) set_header(headers, "access-control-max-age", std::to_string(*p.max_age / 1000));
}

}  // namespace

bool cors_origin_allowed(const route::CorsConfig& cors, std::string_view origin) {
  // isOriginAllowed: a matcher that accepts the literal "*" (exact "*", regex ".*") allows any
  // origin.
  for (const auto& m : cors.origins) {
    if (m.matches("*") || m.matches(origin)) return true;
  }
  return false;
}

FilterStatus cors_decode_headers(FilterState& s) {
  const route::Route* route = s.routing.route;
  const std::string* origin = s.request.header("origin");
  if (!route || !route->cors || !origin || origin->empty()) return FilterStatus::kContinue;
  const bool allowed = cors_origin_allowed(*route->cors, *origin);
  if (allowed) s.cors_origin = origin;
  const std::string* requested_method = s.request.header("access-control-request-method");
  const bool preflight = s.request.method == "OPTIONS" && requested_method && !requested_method->empty();
  if (!preflight || (!allowed && route->cors->policy.unmatched_preflights != "IGNORE")) return FilterStatus::kContinue;
  match::DecisionTrace& t = s.routing.trace;
  t.outcome = match::Outcome::kCorsPreflight;
  t.response_flags.assign(1, '-');  // (a string literal here trips GCC 12's -Wrestrict)
  send_local_reply(s.routing, s.request, t, s.response);
  add_preflight_headers(s.response.headers, *route->cors, s.request, allowed ? origin : nullptr);
  if (allowed) add_origin_headers(s.response.headers, *route->cors, *origin);
  return FilterStatus::kLocalReply;
}

void cors_encode_headers(const FilterState& s, http::Headers& headers) {
  if (!s.cors_origin) return;
  add_origin_headers(headers, *s.routing.route->cors, *s.cors_origin);
}

}  // namespace gwsim::router
