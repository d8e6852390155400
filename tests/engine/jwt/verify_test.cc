#include "engine/jwt/verify.h"

#include <gtest/gtest.h>

#include "engine/jwt/signing_key.h"

namespace gwsim::jwt {
namespace {

std::shared_ptr<const SigningKey> key(const char* alg, const char* seed) {
  auto made = SigningKey::from_seed(alg, seed);
  EXPECT_TRUE(made.key) << made.error;
  return made.key;
}

Jwt parsed(const std::string& token) {
  Jwt jwt;
  EXPECT_EQ(jwt.parse(token), Status::kOk);
  return jwt;
}

TEST(Verify, AnotherKeysSignatureFails) {
  auto signer = key("RS256", "one");
  auto other = key("RS256", "two");
  const Jwt jwt = parsed(signer->sign({{"sub", "x"}}, ""));
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(signer->jwks(""))), Status::kOk);
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(other->jwks(""))), Status::kJwtVerificationFail);
}

TEST(Verify, AlteredPayloadFails) {
  auto signer = key("ES256", "one");
  std::string token = signer->sign({{"sub", "alice"}}, "");
  Jwt jwt = parsed(token);
  Jwt forged = parsed(parsed(signer->sign({{"sub", "mallory"}}, "")).header_base64url + "." +
                      parsed(signer->sign({{"sub", "mallory"}}, "")).payload_base64url + "." +
                      token.substr(token.rfind('.') + 1));
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(signer->jwks(""))), Status::kOk);
  EXPECT_EQ(verify_signature(forged, Jwks::from_json(signer->jwks(""))), Status::kJwtVerificationFail);
}

TEST(Verify, KidAndAlgSelectTheKeys) {
  auto signer = key("ES256", "one");
  const Jwt jwt = parsed(signer->sign({{"sub", "x"}}, "k1"));
  // A key with another kid is not tried: no key matched.
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(signer->jwks("k2"))), Status::kJwksKidAlgMismatch);
  // A key without kid is tried.
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(signer->jwks(""))), Status::kOk);
  // A key for another alg is not tried.
  auto rsa = key("RS256", "r");
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(rsa->jwks(""))), Status::kJwksKidAlgMismatch);
}

TEST(Verify, PssIsNotPkcs1) {
  auto pss = key("PS256", "same");
  const Jwt jwt = parsed(pss->sign({{"sub", "x"}}, ""));
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(pss->jwks(""))), Status::kOk);
  // The same RSA key declared for RS256: the key's alg does not match the token's.
  auto rs = key("RS256", "same");
  EXPECT_EQ(verify_signature(jwt, Jwks::from_json(rs->jwks(""))), Status::kJwksKidAlgMismatch);
}

// CheckAudience: scheme and trailing slash ignored on both sides; none configured allows all.
TEST(Verify, Audiences) {
  EXPECT_TRUE(audiences_allowed({}, {"anything"}));
  EXPECT_TRUE(audiences_allowed({"a", "b"}, {"x", "b"}));
  EXPECT_FALSE(audiences_allowed({"a"}, {"x"}));
  EXPECT_FALSE(audiences_allowed({"a"}, {}));
  EXPECT_TRUE(audiences_allowed({"https://example.com/"}, {"example.com"}));
  EXPECT_TRUE(audiences_allowed({"example.com"}, {"http://example.com"}));
}

}  // namespace
}  // namespace gwsim::jwt
