#include "engine/jwt/signing_key.h"

#include <gtest/gtest.h>

#include "engine/jwt/jwks.h"
#include "engine/jwt/jwt.h"
#include "engine/jwt/verify.h"

namespace gwsim::jwt {
namespace {

TEST(SigningKey, TheSameSeedGivesTheSameKey) {
  auto a = SigningKey::from_seed("ES256", "seed-1");
  auto b = SigningKey::from_seed("ES256", "seed-1");
  auto c = SigningKey::from_seed("ES256", "seed-2");
  ASSERT_TRUE(a.key && b.key && c.key) << a.error;
  EXPECT_EQ(a.key->jwks("k"), b.key->jwks("k"));
  EXPECT_NE(a.key->jwks("k"), c.key->jwks("k"));
}

TEST(SigningKey, EveryAlgorithmSignsWhatItsJwksVerifies) {
  for (const char* alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}) {
    auto made = SigningKey::from_seed(alg, std::string("seed-") + alg);
    ASSERT_TRUE(made.key) << alg << ": " << made.error;
    const std::string token = made.key->sign({{"iss", "i"}, {"sub", "s"}}, "k1");
    Jwt jwt;
    ASSERT_EQ(jwt.parse(token), Status::kOk) << alg;
    EXPECT_EQ(jwt.alg, alg);
    EXPECT_EQ(jwt.kid, "k1");
    const Jwks jwks = Jwks::from_json(made.key->jwks("k1"));
    ASSERT_EQ(jwks.status(), Status::kOk) << alg;
    EXPECT_EQ(verify_signature(jwt, jwks), Status::kOk) << alg;
  }
}

TEST(SigningKey, RefusesUnknownAlgorithmsAndMismatchedPem) {
  EXPECT_FALSE(SigningKey::from_seed("HS256", "s").key);
  EXPECT_NE(SigningKey::from_seed("none", "s").error, "");
  EXPECT_NE(SigningKey::from_pem("RS256", "not a pem").error, "");
}

}  // namespace
}  // namespace gwsim::jwt
