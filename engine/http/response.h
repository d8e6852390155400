// The HTTP answers gwsim reasons about: an upstream's (or its failure to answer), and the one
// the gateway writes to its client.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/http/request.h"

namespace gwsim::http {

struct UpstreamResponse {
  bool connected = true;  // false: no response: the connection failed, or ended before one came
  // With connected false: the connection was made and the request sent, then the upstream closed
  // or reset it before a whole response (Envoy's reset reason "connection termination", flag
  // UC); otherwise the connection failed (UF).
  bool terminated = false;
  int status = 200;
  std::int64_t delay_ms = 0;  // how long the upstream takes to answer (timeouts apply to it)
  Headers headers;
  std::string body;
};

struct Response {
  int status = 0;   // 0: no HTTP response (refused / closed)
  Headers headers;  // lower-case names
  std::string body;
  // The first value of a header (case-insensitive name), or nullptr.
  const std::string* header(std::string_view name) const;
};

}  // namespace gwsim::http
