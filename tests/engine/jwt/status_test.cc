#include "engine/jwt/status.h"

#include <gtest/gtest.h>

namespace gwsim::jwt {
namespace {

// The texts Envoy answers a refused token with (jwt_verify_lib status.cc).
TEST(Status, TextsAreEnvoys) {
  EXPECT_EQ(status_text(Status::kJwtMissed), "Jwt is missing");
  EXPECT_EQ(status_text(Status::kJwtExpired), "Jwt is expired");
  EXPECT_EQ(status_text(Status::kJwtNotYetValid), "Jwt not yet valid");
  EXPECT_EQ(status_text(Status::kJwtVerificationFail), "Jwt verification fails");
  EXPECT_EQ(status_text(Status::kJwtUnknownIssuer), "Jwt issuer is not configured");
  EXPECT_EQ(status_text(Status::kJwtAudienceNotAllowed), "Audiences in Jwt are not allowed");
  EXPECT_EQ(status_text(Status::kJwtBadFormat),
            "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
  EXPECT_EQ(status_text(Status::kJwksKidAlgMismatch), "Jwks doesn't have key to match kid or alg from Jwt");
}

}  // namespace
}  // namespace gwsim::jwt
