// "Did you mean ...?" hints for misspelt scenario fields, kinds and commands.
#include "engine/text/closest_name.h"

#include <gtest/gtest.h>

namespace gwsim::text {
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

TEST(NameHints, ClosestCommandName) {
  const std::vector<std::string> commands = {"run", "route", "list", "serve", "report", "replay", "version"};
  EXPECT_EQ(closest_name("rout", commands), "route");
  EXPECT_EQ(closest_name("serv", commands), "serve");
  EXPECT_EQ(closest_name("repaly", commands), "replay");
  EXPECT_EQ(closest_name("kubectl", commands), "");
}

}  // namespace
}  // namespace gwsim::text
