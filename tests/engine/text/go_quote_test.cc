// Tests of engine/text/go_quote.h: Go's strconv.Quote, as Istio's messages print names.
#include "engine/text/go_quote.h"

#include <gtest/gtest.h>

namespace gwsim::text {
namespace {

TEST(GoQuote, EscapesAsGoDoes) {
  EXPECT_EQ(go_quote("shop.example.com"), "\"shop.example.com\"");
  EXPECT_EQ(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(go_quote("\n\r\t\a\b\f\v"), "\"\\n\\r\\t\\a\\b\\f\\v\"");
  EXPECT_EQ(go_quote(std::string("\x01\x7f", 2)), "\"\\x01\\x7f\"");
  EXPECT_EQ(go_quote(""), "\"\"");
}

}  // namespace
}  // namespace gwsim::text
