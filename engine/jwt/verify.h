// Checking a parsed JWT against a key set and a provider's audiences: jwt_verify_lib's
// verifyJwtWithoutTimeChecking (src/verify.cc) and CheckAudience (src/check_audience.cc).
#pragma once

#include <string>
#include <vector>

#include "engine/jwt/jwks.h"
#include "engine/jwt/jwt.h"
#include "engine/jwt/status.h"

namespace gwsim::jwt {

// The signature against each key whose kid (when both have one) and alg (when the key has one)
// match the token's: kOk on the first that verifies; kJwtVerificationFail when some key matched
// but none verified; kJwksKidAlgMismatch when no key matched.
Status verify_signature(const Jwt& jwt, const Jwks& jwks);

// CheckAudience::areAudiencesAllowed: true when none is configured, else when one of the token's
// audiences is configured; both sides compared without an http:// or https:// prefix and
// without a trailing slash.
bool audiences_allowed(const std::vector<std::string>& configured, const std::vector<std::string>& token);

}  // namespace gwsim::jwt
