// The CORS filter: a preflight from an allowed origin (or any preflight, when the policy
// ignores unmatched ones) is answered by the gateway; an actual request from an allowed origin
// gets the allow-origin headers on its answer. Paraphrases Envoy's
// source/extensions/filters/http/cors/cors_filter.cc, with Istio's translation of the policy
// (lists joined with ",", maxAge in seconds).
#pragma once

#include <string_view>

#include "engine/router/http_filter.h"

namespace gwsim::router {

bool cors_origin_allowed(const route::CorsConfig& cors, std::string_view origin);

FilterStatus cors_decode_headers(FilterState& state);
void cors_encode_headers(const FilterState& state, http::Headers& headers);

inline constexpr HttpFilter kCorsFilter{"envoy.filters.http.cors", &cors_decode_headers, &cors_encode_headers};

}  // namespace gwsim::router
