// A JSON Web Token (RFC 7519) as jwt_verify_lib's Jwt::parseFromString reads it (src/jwt.cc):
// exactly three non-empty base64url sections; a header with a supported alg and an optional
// string kid; a payload whose iss, sub, jti are strings, iat, nbf, exp non-negative integers and
// aud a string or a list of strings. The time check is Jwt::verifyTimeConstraint, with Envoy's
// default clock skew of 60 seconds (kClockSkewInSecond).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/jwt/status.h"

namespace gwsim::jwt {

inline constexpr std::uint64_t kClockSkewSeconds = 60;

struct Jwt {
  std::string header_base64url;
  std::string payload_base64url;
  nlohmann::json header;   // the decoded header object
  nlohmann::json payload;  // the decoded payload object (the claims)
  std::string alg;
  std::string kid;
  std::string iss;
  std::string sub;
  std::string jti;
  std::vector<std::string> audiences;
  std::uint64_t iat = 0;
  std::uint64_t nbf = 0;
  std::uint64_t exp = 0;  // 0: no expiry
  std::string signature;  // raw bytes

  // The token's parts; kOk, or the first problem found (in jwt_verify_lib's order).
  Status parse(std::string_view token);
  // nbf and exp against `now` (seconds since the epoch), allowing `clock_skew` either way.
  Status verify_time(std::uint64_t now, std::uint64_t clock_skew = kClockSkewSeconds) const;
};

// Whether jwt_verify_lib implements the alg (its isImplemented list).
bool is_implemented_alg(std::string_view alg);

}  // namespace gwsim::jwt
