// A request target's query string, split into its pairs as written.
#include "engine/http/query.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gwsim::http {
namespace {

TEST(Query, TheQueryIsWhatFollowsTheFirstQuestionMark) {
  EXPECT_FALSE(query_string("/a/b").has_value());
  EXPECT_EQ(query_string("/a?x=1?y"), "x=1?y");
  EXPECT_EQ(query_string("/a?"), "");
}

TEST(Query, PairsComeInOrderWithBareNamesAndEmptyPairs) {
  std::vector<std::string> seen;
  for_each_query_pair("a=1&flag&&b=x=y&", [&](const QueryPair& p) {
    std::string s(p.name);
    if (p.has_value) s.append("=").append(p.value);  // append: GCC 12's -Wrestrict misfires on "=" + string
    seen.push_back(s.append("|").append(p.text));
    return false;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a=1|a=1", "flag|flag", "|", "b=x=y|b=x=y"}));
}

TEST(Query, AVisitCanStopTheWalk) {
  int visits = 0;
  EXPECT_TRUE(for_each_query_pair("a&b&c", [&](const QueryPair& p) { return ++visits, p.name == "b"; }));
  EXPECT_EQ(visits, 2);
}

TEST(Query, RawValueIsTheFirstPairOfThatNameUndecoded) {
  EXPECT_EQ(raw_query_value("/p?user=a%20b&user=c", "user"), "a%20b");
  EXPECT_EQ(raw_query_value("/p?debug&x=1", "debug"), "");
  EXPECT_FALSE(raw_query_value("/p?x=1", "user").has_value());
  EXPECT_FALSE(raw_query_value("/p", "user").has_value());
}

}  // namespace
}  // namespace gwsim::http
