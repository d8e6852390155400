#include "engine/router/jwt_authn.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/http/query.h"
#include "engine/jwt/verify.h"
#include "engine/route/request_authentication.h"
#include "engine/router/local_reply.h"
#include "engine/text/ascii.h"

namespace gwsim::router {

namespace {

using jwt::Status;
using route::JwtProvider;

// A token found in the request and where (JwtLocation).
struct Token {
  std::string value;
  std::string header;  // the header it came from ("" for a query parameter or cookie)
};

bool iequals(std::string_view a, std::string_view b) { return text::to_lower(a) == text::to_lower(b); }

std::optional<std::string> all_of_header(const http::Request& r, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (iequals(k, name)) out = out ? *out + "," + v : v;
  }
  return out;
}

void remove_header(http::Request& r, std::string_view name) {
  std::erase_if(r.headers, [&](const auto& h) { return iequals(h.first, name); });
}

bool jwt_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '=';
}

// extractor.cc extractJWT: from the first token character after the prefix, up to the first
// character that cannot be in a JWT. A character test, not find_first_of over the set: that was a
// memchr per character of a 300-character token (13% of a policy-checked request).
std::string extract_after(std::string_view value, std::size_t after) {
  std::size_t start = after;
  while (start < value.size() && !jwt_char(value[start])) ++start;
  if (start == value.size()) return std::string(value);
  std::size_t end = start;
  while (end < value.size() && jwt_char(value[end])) ++end;
  return std::string(value.substr(start, end - start));
}

// Http::Utility::parseCookieValue
std::optional<std::string> cookie_value(const http::Request& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (!iequals(k, "cookie")) continue;
    std::size_t start = 0;
    while (start <= v.size()) {
      std::size_t semi = v.find(';', start);
      std::string_view part =
          std::string_view(v).substr(start, semi == std::string::npos ? std::string::npos : semi - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      const std::size_t eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        std::string_view value = part.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return std::string(value);
      }
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
  }
  return std::nullopt;
}

// Extractor::extract for one provider's locations: headers, then query parameters, then cookies.
std::vector<Token> extract(const JwtProvider& p, const http::Request& r) {
  std::vector<Token> out;
  for (const auto& h : p.from_headers) {
    auto value = all_of_header(r, h.name);
    if (!value) continue;
    if (h.prefix.empty()) {
      out.push_back({*value, h.name});
      continue;
    }
    const std::size_t pos = value->find(h.prefix);
    if (pos == std::string::npos) continue;
    out.push_back({extract_after(*value, pos + h.prefix.size()), h.name});
  }
  if (!p.from_params.empty()) {
    if (auto query = http::query_string(r.path)) {
      http::for_each_query_pair(*query, [&](const http::QueryPair& q) {
        const std::string name = http::percent_decode(q.name);
        for (const auto& param : p.from_params) {
          if (name == param) out.push_back({http::percent_decode(q.value), ""});
        }
        return false;
      });
    }
  }
  for (const auto& c : p.from_cookies) {
    if (auto value = cookie_value(r, c)) out.push_back({*value, ""});
  }
  return out;
}

// convertClaimDoubleToString: integers without a fraction.
std::string claim_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) {
    const double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%f", d);
    return buf;
  }
  return {};  // not a primitive: no header
}

// The claim at a dotted path (StructUtils::GetValue walks nested claims).
const nlohmann::json* claim_at(const nlohmann::json& payload, const std::string& path) {
  const nlohmann::json* v = &payload;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!v->is_object()) return nullptr;
    auto it = v->find(key);
    if (it == v->end()) return nullptr;
    v = &*it;
    if (dot == std::string::npos) return v;
    start = dot + 1;
  }
}

// The payload as Istio's istio_authn and route matches read it: NormalizePayloadInMetadata splits
// the space-delimited claims (scope and permission, plus the rule's) into lists.
nlohmann::json normalized_claims(const nlohmann::json& payload, const model::JwtRule& rule) {
  nlohmann::json out = payload;
  std::vector<std::string> names = {"permission", "scope"};
  names.insert(names.end(), rule.space_delimited_claims.begin(), rule.space_delimited_claims.end());
  for (const auto& name : names) {
    auto it = out.find(name);
    if (it == out.end() || !it->is_string()) continue;
    nlohmann::json list = nlohmann::json::array();
    const std::string s = it->get<std::string>();
    std::size_t start = 0;
    while (start < s.size()) {
      const std::size_t sp = s.find(' ', start);
      const std::string part = s.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
      if (!part.empty()) list.push_back(part);
      if (sp == std::string::npos) break;
      start = sp + 1;
    }
    *it = list;
  }
  return out;
}

struct Run {
  http::Request& request;
  std::uint64_t now;
  http::AuthnResult authn;
  std::vector<std::string> notes;  // for the trace
};

// AuthenticatorImpl for one provider (startVerify .. handleGoodJwt) on one token.
Status authenticate(const JwtProvider& p, const Token& token, Run& run) {
  std::shared_ptr<const jwt::Jwt> jwt = p.verified->find(token.value);
  const bool cached = jwt != nullptr;
  if (!jwt) {
    auto parsed = std::make_shared<jwt::Jwt>();
    const Status s = parsed->parse(token.value);
    if (s != Status::kOk) return s;
    jwt = std::move(parsed);
  }
  if (!p.rule.issuer.empty() && jwt->iss != p.rule.issuer) return Status::kJwtUnknownIssuer;
  if (Status s = jwt->verify_time(run.now); s != Status::kOk) return s;
  if (!jwt::audiences_allowed(p.rule.audiences, jwt->audiences)) return Status::kJwtAudienceNotAllowed;
  if (!cached) {
    if (!p.jwks || p.jwks->status() != Status::kOk) return Status::kJwksNoValidKeys;
    if (Status s = jwt::verify_signature(*jwt, *p.jwks); s != Status::kOk) return s;
    p.verified->insert(token.value, jwt);
  }
  // handleGoodJwt
  if (!p.rule.output_payload_to_header.empty())
    run.request.headers.emplace_back(text::to_lower(p.rule.output_payload_to_header), jwt->payload_base64url);
  for (const auto& c : p.rule.output_claim_to_headers) {
    const nlohmann::json* v = claim_at(jwt->payload, c.claim);
    const std::string text = v ? claim_text(*v) : std::string();
    if (!text.empty()) run.request.headers.emplace_back(text::to_lower(c.header), text);
  }
  if (!p.rule.forward_original_token && !token.header.empty()) remove_header(run.request, token.header);
  run.authn.authenticated = true;
  run.authn.principal = jwt->iss + "/" + jwt->sub;
  run.authn.audiences = jwt->audiences;
  auto azp = jwt->payload.find("azp");
  run.authn.presenter = azp != jwt->payload.end() && azp->is_string() ? azp->get<std::string>() : std::string();
  run.authn.claims = normalized_claims(jwt->payload, p.rule);
  run.notes.push_back(p.name + " (" + p.policy + ") verified " + run.authn.principal + (cached ? " (cached)" : ""));
  return Status::kOk;
}

// ProviderVerifierImpl: the provider's own locations (its output headers removed first, as
// Extractor::sanitizeHeaders does); every token found must verify.
Status verify_provider(const JwtProvider& p, Run& run) {
  if (!p.rule.output_payload_to_header.empty()) remove_header(run.request, p.rule.output_payload_to_header);
  for (const auto& c : p.rule.output_claim_to_headers) remove_header(run.request, c.header);
  std::vector<Token> tokens = extract(p, run.request);
  if (tokens.empty()) return Status::kJwtMissed;
  // startVerify takes the last token first.
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    const Status s = authenticate(p, *it, run);
    if (s != Status::kOk) {
      run.notes.push_back(p.name + " (" + p.policy + "): " + std::string(jwt::status_text(s)));
      return s;
    }
  }
  return Status::kOk;
}

// AnyVerifierImpl::onComplete's aggregate: errors other than missing / unknown issuer first,
// then unknown issuer, then missing.
Status aggregate(const std::vector<Status>& children, bool allow_missing) {
  Status final = Status::kJwtMissed;
  for (Status s : children) {
    if ((s != Status::kJwtMissed && s != Status::kJwtUnknownIssuer) || final == Status::kJwtMissed) final = s;
  }
  if (allow_missing && final == Status::kJwtMissed) return Status::kOk;
  return final;
}

// requires_any{provider, allow_missing}
Status provider_or_missing(const JwtProvider& p, Run& run) {
  const Status s = verify_provider(p, run);
  return s == Status::kOk ? s : aggregate({s}, true);
}

// The requirement convertToEnvoyJwtConfig builds.
Status verify_requirement(const route::JwtAuthnConfig& config, Run& run) {
  if (config.providers.size() == 1) return provider_or_missing(config.providers.front(), run);
  std::vector<Status> children;
  for (const auto& p : config.providers) {
    const Status s = verify_provider(p, run);
    if (s == Status::kOk) return s;
    children.push_back(s);
  }
  // requires_all{requires_any{Pi, allow_missing}...}: the first failure ends it.
  Status all = Status::kOk;
  for (const auto& p : config.providers) {
    all = provider_or_missing(p, run);
    if (all != Status::kOk) break;
  }
  if (all == Status::kOk) return all;
  children.push_back(all);
  return aggregate(children, false);
}

// filter.cc isCorsPreflightRequest (Istio sets bypass_cors_preflight).
bool cors_preflight(const http::Request& r) {
  auto origin = r.header("origin");
  auto method = r.header("access-control-request-method");
  return r.method == "OPTIONS" && origin && !origin->empty() && method && !method->empty();
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

}  // namespace

std::uint64_t jwt_clock_now() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

FilterStatus jwt_authn_decode_headers(const route::RouteTable& table, http::Request& request,
                                      match::RoutingResult& routing, http::Response& response, std::uint64_t now) {
  if (!table.jwt_authn) return FilterStatus::kContinue;
  const route::JwtAuthnConfig& config = *table.jwt_authn;
  match::DecisionTrace& t = routing.trace;
  const std::string policies = "RequestAuthentication " + join(config.policies, ", ");
  if (cors_preflight(request)) {
    t.authentication = policies + ": CORS preflight, not checked (bypass_cors_preflight)";
    return FilterStatus::kContinue;
  }
  Run run{request, now, {}, {}};
  const Status status = verify_requirement(config, run);
  if (status == Status::kOk) {
    t.authentication = policies + ": " +
                       (run.authn.authenticated ? "authenticated " + run.authn.principal
                                                : std::string("no token (passes unauthenticated)"));
    routing.authn = run.authn.authenticated ? std::move(run.authn) : http::AuthnResult{};
    return FilterStatus::kContinue;
  }
  routing.authn = http::AuthnResult{};
  const std::string text(jwt::status_text(status));
  t.authentication = policies + ": " + join(run.notes, "; ");
  t.outcome = match::Outcome::kUnauthenticated;
  t.detail = text;
  t.response_flags = "-";
  send_local_reply(routing, request, t, response);
  if (status == Status::kJwtAudienceNotAllowed) {
    // filter.cc onComplete: a token for other audiences is Forbidden, not Unauthorized.
    response.status = 403;
    t.status = 403;
  }
  // buildOriginalUri (path cut at 256 characters) and the invalid_token error unless missing.
  std::string path = request.path.substr(0, 256);
  std::string value = "Bearer realm=\"" + request.scheme + "://" + request.host + path + "\"";
  if (status != Status::kJwtMissed) value += ", error=\"invalid_token\"";
  response.headers.emplace_back("www-authenticate", value);
  return FilterStatus::kLocalReply;
}

}  // namespace gwsim::router
