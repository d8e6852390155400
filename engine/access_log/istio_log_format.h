// The Istio gateway's access log line, as istiod configures Envoy's file access log:
// pilot/pkg/model/telemetry_logging.go, EnvoyTextLogFormat (meshConfig accessLogEncoding TEXT,
// the default) and EnvoyJSONLogFormatIstio (JSON). Envoy fills them in
// source/common/formatter/substitution_formatter.cc: an empty value prints "-".
//
//   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
//   %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
//   "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
//   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
//   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
//   %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
//   %REQUESTED_SERVER_NAME% %ROUTE_NAME%
//
// Reading is allocation-free for text lines (the record's views point into the line), so a
// replay of a million lines costs the parse and the decision, nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gwsim::access_log {

// One logged request. Every view is "" where Envoy printed "-" (no value).
struct LogRecord {
  std::string_view start_time;
  std::string_view method;  // "" for a TCP connection's line
  std::string_view path;    // as the client sent it (X-ENVOY-ORIGINAL-PATH before a rewrite)
  std::string_view protocol;
  int response_code = 0;  // 0: no response was sent
  std::string_view response_flags;  // "NR", "UF,URX", ... ("" for none)
  std::string_view response_code_details;  // "via_upstream", "route_not_found", ...
  std::string_view connection_termination_details;
  std::string_view upstream_transport_failure_reason;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t duration_ms = 0;
  std::string_view upstream_service_time;
  std::string_view x_forwarded_for;
  std::string_view user_agent;
  std::string_view request_id;
  std::string_view authority;
  std::string_view upstream_host;
  std::string_view upstream_cluster;
  std::string_view upstream_local_address;
  std::string_view downstream_local_address;
  std::string_view downstream_remote_address;
  std::string_view requested_server_name;
  std::string_view route_name;

  bool is_http() const { return !method.empty(); }
};

enum class LogFormat { kIstioText, kEnvoyJson };

// Why a line could not be read, with the 1-based column where reading stopped ("" / 0: read).
struct LineError {
  const char* what = nullptr;  // static text: no allocation on the error path either
  std::size_t column = 0;
  explicit operator bool() const { return what != nullptr; }
};

// Reads lines of one format. Text lines are read in place (the record views `line`, which must
// outlive it); a JSON line's values are kept in the reader until the next read.
class LogLineReader {
 public:
  explicit LogLineReader(LogFormat format) : format_(format) {}
  LineError read(std::string_view line, LogRecord& out);

 private:
  LineError read_json(std::string_view line, LogRecord& out);
  LogFormat format_;
  std::string json_values_;  // the JSON line's string values, back to back
};

// Reads one line of EnvoyTextLogFormat.
LineError read_istio_text(std::string_view line, LogRecord& out);

// Appends `record` as one EnvoyTextLogFormat line (with its newline): what `gwsim serve`
// prints and what read_istio_text reads back.
void append_istio_text(const LogRecord& record, std::string& out);

// Appends `record` as one line of EnvoyJSONLogFormatIstio (keys in Istio's order).
void append_envoy_json(const LogRecord& record, std::string& out);

}  // namespace gwsim::access_log
