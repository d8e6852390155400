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

}  // namespace
}  // namespace gwsim::router
