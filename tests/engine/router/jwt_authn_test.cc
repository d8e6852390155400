#include "engine/router/jwt_authn.h"

#include <gtest/gtest.h>

#include "engine/jwt/signing_key.h"
#include "engine/route/request_authentication.h"

namespace gwsim::router {
namespace {

constexpr std::uint64_t kNow = 1800000000;

std::shared_ptr<const jwt::SigningKey> key(const char* seed, const char* alg = "ES256") {
  auto made = jwt::SigningKey::from_seed(alg, seed);
  EXPECT_TRUE(made.key) << made.error;
  return made.key;
}

route::JwtProvider provider(const std::string& issuer, const jwt::SigningKey& signer) {
  route::JwtProvider p;
  p.name = "origins-0";
  p.policy = "istio-system/jwt";
  p.rule.issuer = issuer;
  p.from_headers = {{"Authorization", "Bearer "}};
  p.from_params = {"access_token"};
  p.jwks = std::make_shared<const jwt::Jwks>(jwt::Jwks::from_json(signer.jwks("k1")));
  p.jwks_source = "inline jwks";
  return p;
}

struct World {
  route::RouteTable table;
  http::Request request;
  match::RoutingResult routing;
  http::Response response;
  explicit World(std::vector<route::JwtProvider> providers) {
    auto config = std::make_shared<route::JwtAuthnConfig>();
    config->providers = std::move(providers);
    config->policies = {"istio-system/jwt"};
    table.jwt_authn = config;
    request.host = "example.com";
    request.path = "/headers";
    routing.trace.outcome = match::Outcome::kRouted;
  }
  FilterStatus run(std::uint64_t now = kNow) {
    return jwt_authn_decode_headers(table, request, routing, response, now);
  }
};

TEST(JwtAuthn, AValidTokenAuthenticatesAndIsRemoved) {
  auto signer = key("a");
  World w({provider("testing@secure.istio.io", *signer)});
  const std::string token = signer->sign(
      {{"iss", "testing@secure.istio.io"}, {"sub", "alice"}, {"aud", "x"}, {"azp", "client"}, {"exp", kNow + 100}},
      "k1");
  w.request.headers = {{"Authorization", "Bearer " + token}, {"X-Other", "1"}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_TRUE(w.routing.authn.authenticated);
  EXPECT_EQ(w.routing.authn.principal, "testing@secure.istio.io/alice");
  EXPECT_EQ(w.routing.authn.audiences, std::vector<std::string>{"x"});
  EXPECT_EQ(w.routing.authn.presenter, "client");
  EXPECT_EQ(w.routing.authn.claims["sub"], "alice");
  EXPECT_EQ(w.request.header("authorization"), nullptr);  // forwardOriginalToken false
  ASSERT_NE(w.request.header("x-other"), nullptr);
  EXPECT_NE(w.routing.trace.authentication.find("authenticated testing@secure.istio.io/alice"), std::string::npos);
}

TEST(JwtAuthn, AMissingTokenPassesUnauthenticated) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_FALSE(w.routing.authn.authenticated);
  EXPECT_EQ(w.routing.trace.outcome, match::Outcome::kRouted);
}

TEST(JwtAuthn, AnExpiredTokenIs401WithEnvoysBodyAndHeader) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  w.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}, {"exp", kNow - 61}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.routing.trace.outcome, match::Outcome::kUnauthenticated);
  EXPECT_EQ(w.response.status, 401);
  EXPECT_EQ(w.response.body, "Jwt is expired");
  ASSERT_NE(w.response.header("www-authenticate"), nullptr);
  EXPECT_EQ(*w.response.header("www-authenticate"),
            "Bearer realm=\"http://example.com/headers\", error=\"invalid_token\"");
}

TEST(JwtAuthn, ClockSkewIsSixtySeconds) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  w.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}, {"exp", kNow - 60}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  World early({provider("iss", *signer)});
  early.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}, {"nbf", kNow + 3600}}, "k1")}};
  EXPECT_EQ(early.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(early.response.body, "Jwt not yet valid");
}

TEST(JwtAuthn, AnotherKeysSignatureFails) {
  auto signer = key("a");
  auto other = key("b");
  World w({provider("iss", *signer)});
  w.request.headers = {{"Authorization", "Bearer " + other->sign({{"iss", "iss"}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.body, "Jwt verification fails");
}

TEST(JwtAuthn, AnUnknownIssuerIsRefused) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  w.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "other"}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.body, "Jwt issuer is not configured");
}

TEST(JwtAuthn, GarbageIs401BadFormat) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  w.request.headers = {{"Authorization", "Bearer deadbeef"}};
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.body, "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
}

TEST(JwtAuthn, OtherAudiencesAre403) {
  auto signer = key("a");
  auto p = provider("iss", *signer);
  p.rule.audiences = {"bookstore"};
  World w({p});
  w.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}, {"aud", "other"}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.status, 403);
  EXPECT_EQ(w.response.body, "Audiences in Jwt are not allowed");
  World ok({p});
  ok.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}, {"aud", "bookstore"}}, "k1")}};
  EXPECT_EQ(ok.run(), FilterStatus::kContinue);
}

TEST(JwtAuthn, FromHeadersWithPrefixAndOutputs) {
  auto signer = key("a");
  auto p = provider("iss", *signer);
  p.from_headers = {{"X-Jwt-Token", "Value "}};
  p.from_params = {};
  p.rule.output_payload_to_header = "x-jwt-payload";
  p.rule.output_claim_to_headers = {{"x-jwt-sub", "sub"}, {"x-jwt-nested", "group.id"}, {"x-jwt-list", "list"}};
  World w({p});
  const std::string token = signer->sign(
      {{"iss", "iss"}, {"sub", "bob"}, {"group", {{"id", 7}}}, {"list", nlohmann::json::array({"a", "b"})}}, "k1");
  w.request.headers = {{"X-Jwt-Token", "Value " + token}, {"x-jwt-sub", "spoofed"}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_EQ(w.request.header("x-jwt-token"), nullptr);
  ASSERT_NE(w.request.header("x-jwt-sub"), nullptr);
  EXPECT_EQ(*w.request.header("x-jwt-sub"), "bob");  // the client's value was removed first
  ASSERT_NE(w.request.header("x-jwt-nested"), nullptr);
  EXPECT_EQ(*w.request.header("x-jwt-nested"), "7");
  EXPECT_EQ(w.request.header("x-jwt-list"), nullptr);  // not a primitive
  ASSERT_NE(w.request.header("x-jwt-payload"), nullptr);
  EXPECT_EQ(*w.request.header("x-jwt-payload"),
            token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
  // The default Authorization header is not read when fromHeaders is given.
  World plain({p});
  plain.request.headers = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(plain.run(), FilterStatus::kContinue);
  EXPECT_FALSE(plain.routing.authn.authenticated);
}

TEST(JwtAuthn, ForwardOriginalTokenKeepsIt) {
  auto signer = key("a");
  auto p = provider("iss", *signer);
  p.rule.forward_original_token = true;
  World w({p});
  w.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_NE(w.request.header("authorization"), nullptr);
}

TEST(JwtAuthn, TokensInQueryParametersAllMustVerify) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  w.request.path = "/p?access_token=" + signer->sign({{"iss", "iss"}, {"sub", "q"}}, "k1");
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_EQ(w.routing.authn.principal, "iss/q");
  World two({provider("iss", *signer)});
  two.request.path = "/p?access_token=" + signer->sign({{"iss", "iss"}}, "k1");
  two.request.headers = {{"Authorization", "Bearer " + signer->sign({{"iss", "iss"}, {"exp", kNow - 3600}}, "k1")}};
  EXPECT_EQ(two.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(two.response.body, "Jwt is expired");
}

TEST(JwtAuthn, TwoProvidersEitherIssuerPasses) {
  auto a = key("a");
  auto b = key("b", "RS256");
  auto pa = provider("issuer-a", *a);
  auto pb = provider("issuer-b", *b);
  pb.name = "origins-1";
  World w({pa, pb});
  w.request.headers = {{"Authorization", "Bearer " + b->sign({{"iss", "issuer-b"}, {"sub", "s"}}, "k1")}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_EQ(w.routing.authn.principal, "issuer-b/s");
  World bad({pa, pb});
  bad.request.headers = {{"Authorization", "Bearer " + a->sign({{"iss", "issuer-c"}}, "k1")}};
  EXPECT_EQ(bad.run(), FilterStatus::kLocalReply);
  EXPECT_EQ(bad.response.body, "Jwt issuer is not configured");
}

TEST(JwtAuthn, ACorsPreflightIsNotChecked) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", "x.com"}, {"Access-Control-Request-Method", "GET"}, {"Authorization", "Bearer bad"}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
}

TEST(JwtAuthn, AVerifiedTokenIsCachedButTimeIsCheckedAgain) {
  auto signer = key("a");
  World w({provider("iss", *signer)});
  const std::string token = signer->sign({{"iss", "iss"}, {"exp", kNow + 10}}, "k1");
  w.request.headers = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_EQ(w.table.jwt_authn->providers[0].verified->size(), 1u);
  w.request.headers = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(w.run(), FilterStatus::kContinue);
  EXPECT_NE(w.routing.trace.authentication.find("authenticated"), std::string::npos);
  w.request.headers = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(w.run(kNow + 1000), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.body, "Jwt is expired");
}

TEST(JwtAuthn, WithoutConfigNothingHappens) {
  route::RouteTable table;
  http::Request request;
  request.headers = {{"Authorization", "Bearer x"}};
  match::RoutingResult routing;
  http::Response response;
  EXPECT_EQ(jwt_authn_decode_headers(table, request, routing, response, kNow), FilterStatus::kContinue);
  EXPECT_NE(request.header("authorization"), nullptr);
}

}  // namespace
}  // namespace gwsim::router
