#include "engine/router/http_filter.h"

#include <array>

#include <gtest/gtest.h>

#include "tests/engine/router/filter_world.h"

namespace gwsim::router {
namespace {

using namespace gwsim::testing;

// Each test filter appends its letter to the response body.
FilterStatus a_continues(FilterState& s) {
  s.response.body += "a";
  return FilterStatus::kContinue;
}
FilterStatus b_replies(FilterState& s) {
  s.response.body += "b";
  s.response.status = 403;
  return FilterStatus::kLocalReply;
}
FilterStatus c_continues(FilterState& s) {
  s.response.body += "c";
  return FilterStatus::kContinue;
}
void a_encodes(const FilterState&, http::Headers& h) { h.emplace_back("x-a", "1"); }
void c_encodes(const FilterState&, http::Headers& h) { h.emplace_back("x-c", "1"); }

TEST(HttpFilterChain, FiltersRunInOrderUntilOneReplies) {
  constexpr std::array<HttpFilter, 3> chain = {HttpFilter{"a", &a_continues, &a_encodes},
                                               HttpFilter{"b", &b_replies, nullptr},
                                               HttpFilter{"c", &c_continues, &c_encodes}};
  FilterWorld w;
  EXPECT_EQ(decode_headers(chain, w.start()), FilterStatus::kLocalReply);
  EXPECT_EQ(w.response.body, "ab");
  EXPECT_EQ(w.response.status, 403);
}

TEST(HttpFilterChain, AllContinuingMeansTheRouterRunsAndEncodersAddInOrder) {
  constexpr std::array<HttpFilter, 2> chain = {HttpFilter{"a", &a_continues, &a_encodes},
                                               HttpFilter{"c", &c_continues, &c_encodes}};
  FilterWorld w;
  auto& state = w.start();
  EXPECT_EQ(decode_headers(chain, state), FilterStatus::kContinue);
  EXPECT_EQ(w.response.body, "ac");
  http::Headers headers;
  encode_headers(chain, state, headers);
  EXPECT_EQ(headers, (http::Headers{{"x-a", "1"}, {"x-c", "1"}}));
}

}  // namespace
}  // namespace gwsim::router
