#include "conformance/scenario_jwt.h"

#include <gtest/gtest.h>

#include "conformance/scenario.h"
#include "engine/jwt/jwks.h"
#include "engine/jwt/jwt.h"
#include "engine/jwt/verify.h"

namespace gwsim::conformance {
namespace {

ScenarioJwtKeys keys() {
  ScenarioJwtKey k;
  k.name = "k1";
  k.kid = "k1";
  k.key = seeded_key("ES256", "k1").key;
  k.wrong = seeded_key("ES256", "k1/another key").key;
  return {{"k1", k}};
}

jwt::Jwt parsed(const std::string& token) {
  jwt::Jwt jwt;
  EXPECT_EQ(jwt.parse(token), jwt::Status::kOk);
  return jwt;
}

TEST(ScenarioJwt, MintedTokensVerifyAgainstTheSubstitutedJwks) {
  const auto k = keys();
  std::string unknown;
  const auto jwks_text = substitute_jwks("{{jwks:k1}}", k, unknown);
  ASSERT_TRUE(jwks_text.has_value());
  const jwt::Jwks jwks = jwt::Jwks::from_json(*jwks_text);
  ASSERT_EQ(jwks.status(), jwt::Status::kOk);
  JwtMint mint;
  mint.key = "k1";
  mint.claims = {{"iss", "i"}, {"sub", "s"}};
  const jwt::Jwt good = parsed(mint_token(k.at("k1"), mint, 1000000));
  EXPECT_EQ(good.kid, "k1");
  EXPECT_EQ(jwt::verify_signature(good, jwks), jwt::Status::kOk);
  EXPECT_EQ(good.exp, 0u);
  mint.wrong_key = true;
  EXPECT_EQ(jwt::verify_signature(parsed(mint_token(k.at("k1"), mint, 1000000)), jwks),
            jwt::Status::kJwtVerificationFail);
}

TEST(ScenarioJwt, ExpiredAndNotYetValidAreAnHourAway) {
  JwtMint mint;
  mint.key = "k1";
  mint.expired = true;
  const jwt::Jwt expired = parsed(mint_token(keys().at("k1"), mint, 1000000));
  EXPECT_EQ(expired.verify_time(1000000), jwt::Status::kJwtExpired);
  mint.expired = false;
  mint.not_yet_valid = true;
  const jwt::Jwt early = parsed(mint_token(keys().at("k1"), mint, 1000000));
  EXPECT_EQ(early.verify_time(1000000), jwt::Status::kJwtNotYetValid);
}

TEST(ScenarioJwt, SubstitutionInsideStringsAndUnknownKeys) {
  nlohmann::json doc = {{"data", {{"jwks", "{{jwks:k1}}"}, {"other", "a {{jwks:k1}} b"}}}, {"n", 1}};
  EXPECT_EQ(substitute_jwks_in(doc, keys()), "");
  EXPECT_EQ(doc["data"]["jwks"].get<std::string>().rfind("{\"keys\":", 0), 0u);
  EXPECT_EQ(doc["data"]["other"].get<std::string>().rfind("a {\"keys\"", 0), 0u);
  nlohmann::json bad = {{"x", "{{jwks:nope}}"}};
  EXPECT_EQ(substitute_jwks_in(bad, keys()), "nope");
}

TEST(ScenarioJwt, LoaderRefusesAnUndeclaredKey) {
  const std::string text = R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: s}
spec:
  jwtKeys:
    - {name: k1, algorithm: ES256}
  steps:
    - request:
        host: a.example.com
        jwt: {key: k2}
      expect: {status: 200}
)";
  auto load = load_scenario_text(text, "s.yaml");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(load.errors[0].message.find("\"k2\" is not declared in spec.jwtKeys (declared: k1)"), std::string::npos)
      << load.errors[0].message;
  EXPECT_EQ(load.errors[0].where, "s.yaml:10:20");  // the key's name
}

TEST(ScenarioJwt, LoaderPutsTheTokenInAuthorization) {
  const std::string text = R"(apiVersion: gwsim.io/v1alpha1
kind: Scenario
metadata: {name: s}
spec:
  jwtKeys:
    - {name: k1, algorithm: ES256}
  steps:
    - request:
        host: a.example.com
        jwt: {key: k1, claims: {sub: x}}
      expect: {status: 200}
)";
  auto load = load_scenario_text(text, "s.yaml");
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? "" : load.errors[0].message);
  const auto& request = std::get<RequestSpec>(load.scenario->steps[0].action);
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].first, "Authorization");
  EXPECT_EQ(request.headers[0].second.rfind("Bearer ey", 0), 0u);
}

}  // namespace
}  // namespace gwsim::conformance
