#include "engine/jwt/jwt.h"

#include <gtest/gtest.h>

#include "engine/jwt/base64url.h"

namespace gwsim::jwt {
namespace {

std::string token(const std::string& header, const std::string& payload, const std::string& sig = "c2ln") {
  return base64url_encode(header) + "." + base64url_encode(payload) + "." + sig;
}

TEST(Jwt, ReadsHeaderAndClaims) {
  Jwt jwt;
  ASSERT_EQ(
      jwt.parse(token(R"({"alg":"RS256","kid":"k1"})",
                      R"({"iss":"https://issuer","sub":"alice","aud":["a","b"],"exp":2000,"nbf":1000,"iat":900})")),
      Status::kOk);
  EXPECT_EQ(jwt.alg, "RS256");
  EXPECT_EQ(jwt.kid, "k1");
  EXPECT_EQ(jwt.iss, "https://issuer");
  EXPECT_EQ(jwt.sub, "alice");
  EXPECT_EQ(jwt.audiences, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(jwt.exp, 2000u);
  EXPECT_EQ(jwt.nbf, 1000u);
  EXPECT_EQ(jwt.signature, "sig");
  EXPECT_EQ(jwt.payload["sub"], "alice");
}

TEST(Jwt, AudienceMayBeOneString) {
  Jwt jwt;
  ASSERT_EQ(jwt.parse(token(R"({"alg":"ES256"})", R"({"aud":"one"})")), Status::kOk);
  EXPECT_EQ(jwt.audiences, (std::vector<std::string>{"one"}));
}

// jwt_verify_lib's parse errors, in its order.
TEST(Jwt, ParseErrorsAreJwtVerifyLibs) {
  struct Case {
    std::string token;
    Status want;
  } cases[] = {
      {"abc", Status::kJwtBadFormat},
      {"a.b", Status::kJwtBadFormat},
      {"a.b.c.d", Status::kJwtBadFormat},
      {"a..b", Status::kJwtBadFormat},  // empty sections are skipped: two remain
      {"%%%.e30.c2ln", Status::kJwtHeaderParseErrorBadBase64},
      {token("not json", "{}"), Status::kJwtHeaderParseErrorBadJson},
      {token(R"({"typ":"JWT"})", "{}"), Status::kJwtHeaderBadAlg},
      {token(R"({"alg":1})", "{}"), Status::kJwtHeaderBadAlg},
      {token(R"({"alg":"none"})", "{}"), Status::kJwtHeaderNotImplementedAlg},
      {token(R"({"alg":"RS256","kid":7})", "{}"), Status::kJwtHeaderBadKid},
      {base64url_encode(R"({"alg":"RS256"})") + ".%%%.c2ln", Status::kJwtPayloadParseErrorBadBase64},
      {token(R"({"alg":"RS256"})", "[1]"), Status::kJwtPayloadParseErrorBadJson},
      {token(R"({"alg":"RS256"})", R"({"iss":1})"), Status::kJwtPayloadParseErrorIssNotString},
      {token(R"({"alg":"RS256"})", R"({"sub":true})"), Status::kJwtPayloadParseErrorSubNotString},
      {token(R"({"alg":"RS256"})", R"({"iat":"now"})"), Status::kJwtPayloadParseErrorIatNotInteger},
      {token(R"({"alg":"RS256"})", R"({"nbf":-1})"), Status::kJwtPayloadParseErrorNbfOutOfRange},
      {token(R"({"alg":"RS256"})", R"({"exp":"soon"})"), Status::kJwtPayloadParseErrorExpNotInteger},
      {token(R"({"alg":"RS256"})", R"({"jti":5})"), Status::kJwtPayloadParseErrorJtiNotString},
      {token(R"({"alg":"RS256"})", R"({"aud":[1]})"), Status::kJwtPayloadParseErrorAudNotString},
      {token(R"({"alg":"RS256"})", "{}", "%%%"), Status::kJwtSignatureParseErrorBadBase64},
  };
  for (const auto& c : cases) {
    Jwt jwt;
    EXPECT_EQ(jwt.parse(c.token), c.want) << c.token;
  }
}

TEST(Jwt, TimeConstraintAllowsSixtySecondsOfSkew) {
  Jwt jwt;
  ASSERT_EQ(jwt.parse(token(R"({"alg":"RS256"})", R"({"nbf":1000,"exp":2000})")), Status::kOk);
  EXPECT_EQ(jwt.verify_time(1500), Status::kOk);
  EXPECT_EQ(jwt.verify_time(940), Status::kOk);
  EXPECT_EQ(jwt.verify_time(939), Status::kJwtNotYetValid);
  EXPECT_EQ(jwt.verify_time(2060), Status::kOk);
  EXPECT_EQ(jwt.verify_time(2061), Status::kJwtExpired);
  Jwt forever;
  ASSERT_EQ(forever.parse(token(R"({"alg":"RS256"})", "{}")), Status::kOk);
  EXPECT_EQ(forever.verify_time(4000000000u), Status::kOk);  // no exp: never expires
}

}  // namespace
}  // namespace gwsim::jwt
