// Text conversions shared by the typed model and validation: Go-style durations (what Istio's
// JSON reader and the CRDs' CEL rules accept), RFC 3339 timestamps, base64.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gwsim::model::detail {

// Go's time.ParseDuration: "300ms", "1.5h", "2h45m", "-1s", "500us", "0"; nanoseconds.
std::optional<std::int64_t> parse_go_duration_ns(std::string_view text);

// RFC 3339 ("2026-01-01T00:00:00Z", "2026-01-01T02:00:00.5+02:00") -> Unix seconds.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// Standard base64 with padding (Go's StdEncoding; CR/LF ignored). nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace gwsim::model::detail
