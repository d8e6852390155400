// The exit code every gwsim command gives for bad input (an unreadable file, a manifest or
// scenario that does not load, a wrong option): 2, as istioctl and `diff` do; 1 is kept for a
// result the user asked to fail on (a failing scenario, a finding at the threshold, a change).
#pragma once

namespace gwsim::cli {

inline constexpr int kBadInput = 2;

}  // namespace gwsim::cli
