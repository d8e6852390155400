// Outcome names: one table that traces, reports and scenario files share.
#include "engine/match/trace.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace gwsim::match {
namespace {

TEST(Trace, EveryOutcomeHasADistinctNameThatReadsBack) {
  std::set<std::string> names;
  for (Outcome o : kAllOutcomes) {
    const std::string name = outcome_name(o);
    EXPECT_NE(name, "?");
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(outcome_named(name), o);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(Outcome::kRequestRejected) + 1);
}

TEST(Trace, NamesAreExactAndCaseSensitive) {
  EXPECT_EQ(outcome_named("NoRoute"), Outcome::kNoRoute);
  EXPECT_EQ(outcome_named("TLSError"), Outcome::kTlsError);
  EXPECT_FALSE(outcome_named("noroute").has_value());
  EXPECT_FALSE(outcome_named("TlsError").has_value());
  EXPECT_FALSE(outcome_named("").has_value());
}

}  // namespace
}  // namespace gwsim::match
