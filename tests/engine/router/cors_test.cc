#include "engine/router/cors.h"

#include <gtest/gtest.h>

#include "tests/engine/router/filter_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

TEST(CorsFilter, APreflightFromAnAllowedOriginIsAnsweredWithThePolicy) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", "cors.com"}, {"Access-Control-Request-Method", "DELETE"}};
  EXPECT_EQ(cors_decode_headers(w.start()), FilterStatus::kLocalReply);
  EXPECT_EQ(w.routing.trace.outcome, match::Outcome::kCorsPreflight);
  EXPECT_EQ(w.response.status, 200);
  EXPECT_EQ(*w.response.header("access-control-allow-origin"), "cors.com");
  EXPECT_EQ(*w.response.header("access-control-allow-methods"), "POST,GET");
  EXPECT_EQ(*w.response.header("access-control-allow-headers"), "X-Foo");
  EXPECT_EQ(*w.response.header("access-control-max-age"), "86400");
  EXPECT_EQ(w.response.header("access-control-allow-credentials"), nullptr);
}

TEST(CorsFilter, AnUnmatchedPreflightGoesOnUnlessThePolicyIgnoresIt) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", "evil.com"}, {"Access-Control-Request-Method", "GET"}};
  EXPECT_EQ(cors_decode_headers(w.start()), FilterStatus::kContinue);

  FilterWorld ignore;
  ignore.route.cors = cors_for("cors.com");
  ignore.route.cors->policy.unmatched_preflights = "IGNORE";
  ignore.request = w.request;
  EXPECT_EQ(cors_decode_headers(ignore.start()), FilterStatus::kLocalReply);
  EXPECT_EQ(ignore.response.status, 200);
  EXPECT_EQ(ignore.response.header("access-control-allow-origin"), nullptr);
}

TEST(CorsFilter, AnActualRequestFromAnAllowedOriginGetsOriginAndExposeHeaders) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.route.cors->policy.allow_credentials = true;
  w.request.headers = {{"Origin", "cors.com"}};
  auto& state = w.start();
  EXPECT_EQ(cors_decode_headers(state), FilterStatus::kContinue);
  http::Headers headers;
  cors_encode_headers(state, headers);
  EXPECT_EQ(headers, (http::Headers{{"access-control-allow-origin", "cors.com"},
                                    {"access-control-allow-credentials", "true"},
                                    {"access-control-expose-headers", "X-Bar,X-Baz"}}));
}

TEST(CorsFilter, WithoutAPolicyOrOriginNothingHappens) {
  FilterWorld w;
  w.request.headers = {{"Origin", "cors.com"}};
  auto& state = w.start();
  EXPECT_EQ(cors_decode_headers(state), FilterStatus::kContinue);
  http::Headers headers;
  cors_encode_headers(state, headers);
  EXPECT_TRUE(headers.empty());
}

// Envoy's decodeHeaders (cors_filter.cc): its preflight answer passes through the filter's own
// encodeHeaders too, so an allowed origin's preflight also lists the exposed headers.
TEST(CorsFilter, APreflightAnswerAlsoCarriesTheExposedHeadersAndCredentials) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.route.cors->policy.allow_credentials = true;
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", "cors.com"}, {"Access-Control-Request-Method", "GET"}};
  EXPECT_EQ(cors_decode_headers(w.start()), FilterStatus::kLocalReply);
  ASSERT_NE(w.response.header("access-control-expose-headers"), nullptr);
  EXPECT_EQ(*w.response.header("access-control-expose-headers"), "X-Bar,X-Baz");
  EXPECT_EQ(*w.response.header("access-control-allow-credentials"), "true");
  int origins = 0;
  for (const auto& [k, v] : w.response.headers) origins += k == "access-control-allow-origin";
  EXPECT_EQ(origins, 1);  // set, not added twice
}

TEST(CorsFilter, AWildcardMethodOrHeaderListEchoesWhatThePreflightAsked) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.route.cors->policy.allow_methods = {"*"};
  w.route.cors->policy.allow_headers = {"*"};
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", "cors.com"},
                       {"Access-Control-Request-Method", "PUT"},
                       {"Access-Control-Request-Headers", "x-a, x-b"}};
  EXPECT_EQ(cors_decode_headers(w.start()), FilterStatus::kLocalReply);
  EXPECT_EQ(*w.response.header("access-control-allow-methods"), "PUT");
  EXPECT_EQ(*w.response.header("access-control-allow-headers"), "x-a, x-b");

  FilterWorld listed;  // "*" among others is not the wildcard: Envoy compares the joined list
  listed.route.cors = cors_for("cors.com");
  listed.route.cors->policy.allow_methods = {"GET", "*"};
  listed.request = w.request;
  EXPECT_EQ(cors_decode_headers(listed.start()), FilterStatus::kLocalReply);
  EXPECT_EQ(*listed.response.header("access-control-allow-methods"), "GET,*");
}

TEST(CorsFilter, AnIgnoredUnmatchedPreflightStillListsMethodsHeadersAndMaxAge) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.route.cors->policy.unmatched_preflights = "IGNORE";
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", "evil.com"}, {"Access-Control-Request-Method", "GET"}};
  EXPECT_EQ(cors_decode_headers(w.start()), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.header("access-control-allow-origin"), nullptr);
  EXPECT_EQ(w.response.header("access-control-expose-headers"), nullptr);
  EXPECT_EQ(*w.response.header("access-control-allow-methods"), "POST,GET");
  EXPECT_EQ(*w.response.header("access-control-max-age"), "86400");
}

TEST(CorsFilter, AMatcherAcceptingTheLiteralStarAllowsEveryOrigin) {
  route::CorsConfig cors = cors_for("*");
  EXPECT_TRUE(cors_origin_allowed(cors, "https://anything.example"));
  EXPECT_FALSE(cors_origin_allowed(cors_for("cors.com"), "https://anything.example"));
}

TEST(CorsFilter, AnEmptyOriginOrAnEmptyRequestedMethodIsNoCorsPreflight) {
  FilterWorld w;
  w.route.cors = cors_for("");
  w.request.method = "OPTIONS";
  w.request.headers = {{"Origin", ""}, {"Access-Control-Request-Method", "GET"}};
  EXPECT_EQ(cors_decode_headers(w.start()), FilterStatus::kContinue);

  FilterWorld no_method;
  no_method.route.cors = cors_for("cors.com");
  no_method.request.method = "OPTIONS";
  no_method.request.headers = {{"Origin", "cors.com"}, {"Access-Control-Request-Method", ""}};
  EXPECT_EQ(cors_decode_headers(no_method.start()), FilterStatus::kContinue);
}

TEST(CorsFilter, TheOriginHeadersReplaceWhatTheUpstreamWrote) {
  FilterWorld w;
  w.route.cors = cors_for("cors.com");
  w.request.headers = {{"Origin", "cors.com"}};
  auto& state = w.start();
  EXPECT_EQ(cors_decode_headers(state), FilterStatus::kContinue);
  http::Headers headers = {{"access-control-allow-origin", "*"}};
  cors_encode_headers(state, headers);
  EXPECT_EQ(headers, (http::Headers{{"access-control-allow-origin", "cors.com"},
                                    {"access-control-expose-headers", "X-Bar,X-Baz"}}));
}

}  // namespace
}  // namespace gwsim::router
