// Paraphrases Istio's route/retry/retry.go ConvertPolicy; see retry_policy.h.
#include "engine/route/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace gwsim::route {

std::optional<RetryPolicy> convert_retry_policy(const std::optional<model::HTTPRetry>& retries) {
  if (!retries) return RetryPolicy{};
  if (retries->attempts <= 0) return std::nullopt;
  RetryPolicy p;
  p.num_retries = static_cast<std::uint32_t>(retries->attempts);
  if (!retries->retry_on.empty()) {
    p.retry_on.clear();
    p.retriable_status_codes.clear();
    std::string token;
    std::string spec = retries->retry_on + ",";
    for (char c : spec) {
      if (c != ',') {
        token += c;
        continue;
      }
      if (!token.empty()) {
        if (std::all_of(token.begin(), token.end(), ::isdigit)) {
          p.retriable_status_codes.push_back(static_cast<std::uint32_t>(std::stoul(token)));
        } else {
          p.retry_on += (p.retry_on.empty() ? "" : ",") + token;
        }
      }
      token.clear();
    }
    if (!p.retriable_status_codes.empty() && p.retry_on.find("retriable-status-codes") == std::string::npos) {
      p.retry_on += (p.retry_on.empty() ? "" : ",") + std::string("retriable-status-codes");
    }
  }
  p.per_try_timeout = retries->per_try_timeout;
  if (retries->retry_ignore_previous_hosts) p.retry_previous_hosts = *retries->retry_ignore_previous_hosts;
  return p;
}

}  // namespace gwsim::route
