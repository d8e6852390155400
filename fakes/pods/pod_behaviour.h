// How a fake pod misbehaves, as a scenario's `pods` step sets it (through the control plane):
// the failures of a real container that the echo app's own query controls cannot ask for. What
// the pod then answers is fakes/pods/pod_answer.h.
#pragma once

#include <cstdint>
#include <optional>

namespace gwsim::fakes {

struct PodBehaviour {
  bool refuse = false;                   // connections are refused (a crashed container)
  std::optional<int> status;             // answer this status instead of the app's
  std::optional<std::int64_t> delay_ms;  // answer this much later (on top of ?delay=)
  friend bool operator==(const PodBehaviour&, const PodBehaviour&) = default;
};

}  // namespace gwsim::fakes
