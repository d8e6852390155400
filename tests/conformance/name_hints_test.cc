// "Did you mean ...?" hints for misspelt scenario fields and kinds.
#include "conformance/name_hints.h"

#include <gtest/gtest.h>

namespace gwsim::conformance::detail {
namespace {

TEST(NameHints, EditDistanceCountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(NameHints, ClosestNameIgnoresCaseAndSeparatorsAndRefusesFarGuesses) {
  const std::vector<std::string> fields = {"status", "responseFlags", "bodyContains", "headers"};
  EXPECT_EQ(closest_name("stauts", fields), "status");
  EXPECT_EQ(closest_name("response_flags", fields), "responseFlags");
  EXPECT_EQ(closest_name("BODY-CONTAINS", fields), "bodyContains");
  EXPECT_EQ(closest_name("zzz", fields), "");
  EXPECT_EQ(closest_name("virtualservice", {"VirtualService", "Service"}), "VirtualService");
}

}  // namespace
}  // namespace gwsim::conformance::detail
