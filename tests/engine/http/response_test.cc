#include "engine/http/response.h"

#include <gtest/gtest.h>

namespace gwsim::http {
namespace {

TEST(HttpResponse, HeaderLookupIgnoresCase) {
  Response r;
  r.status = 200;
  r.headers = {{"content-type", "text/plain"}, {"x-envoy-upstream-service-time", "3"}};
  ASSERT_NE(r.header("Content-Type"), nullptr);
  EXPECT_EQ(*r.header("Content-Type"), "text/plain");
  EXPECT_EQ(r.header("server"), nullptr);
}

TEST(HttpResponse, AnUpstreamAnswersUnlessTold) {
  UpstreamResponse r;
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.delay_ms, 0);
}

}  // namespace
}  // namespace gwsim::http
