// A run's results: the exit code `gwsim run` and `gwsim report` end with.
#include "conformance/results.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

TEST(RunSummary, ExitCodeBadInputBeforeFailures) {
  RunSummary summary;
  summary.passed = 3;
  summary.known_deviations = 1;
  summary.skipped = 2;
  EXPECT_EQ(summary.exit_code(), 0) << "known deviations and skips are no failures";
  summary.failed = 1;
  EXPECT_EQ(summary.exit_code(), 1);
  summary.bad_input = 1;
  EXPECT_EQ(summary.exit_code(), 2);
}

TEST(ScenarioResult, StartsAsBadInputUntilRun) {
  ScenarioResult result;
  EXPECT_EQ(result.status, ScenarioStatus::kBadInput);
  StepResult step;
  EXPECT_FALSE(step.passed);
  EXPECT_TRUE(step.routes.empty());
}

}  // namespace
}  // namespace gwsim::conformance
