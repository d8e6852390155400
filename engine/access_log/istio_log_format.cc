#include "engine/access_log/istio_log_format.h"

#include <array>
#include <charconv>
#include <utility>

#include <nlohmann/json.hpp>

namespace gwsim::access_log {

namespace {

// Envoy prints "-" for a value it does not have.
std::string_view value_or_empty(std::string_view v) { return v == "-" ? std::string_view{} : v; }

// A cursor over one line: fields separated by one space, some of them in double quotes.
class Fields {
 public:
  explicit Fields(std::string_view line) : line_(line) {}

  std::size_t column() const { return pos_ + 1; }

  // The next unquoted field (up to the next space or the end).
  bool plain(std::string_view& out) {
    if (!separator()) return false;
    std::size_t end = line_.find(' ', pos_);
    if (end == std::string_view::npos) end = line_.size();
    if (end == pos_) return false;
    out = line_.substr(pos_, end - pos_);
    pos_ = end;
    return true;
  }

  // The next "quoted" field. Envoy does not escape quotes inside values, so the field ends at
  // the first quote followed by a space or the end of the line.
  bool quoted(std::string_view& out) {
    if (!separator()) return false;
    if (pos_ >= line_.size() || line_[pos_] != '"') return false;
    std::size_t from = pos_ + 1;
    std::size_t at = from;
    while (true) {
      std::size_t q = line_.find('"', at);
      if (q == std::string_view::npos) return false;
      if (q + 1 == line_.size() || line_[q + 1] == ' ') {
        out = line_.substr(from, q - from);
        pos_ = q + 1;
        return true;
      }
      at = q + 1;
    }
  }

  // "[...]"
  bool bracketed(std::string_view& out) {
    if (pos_ >= line_.size() || line_[pos_] != '[') return false;
    std::size_t close = line_.find(']', pos_);
    if (close == std::string_view::npos) return false;
    out = line_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    started_ = true;
    return true;
  }

  bool at_end() const { return pos_ == line_.size(); }

 private:
  bool separator() {
    if (!started_) {
      started_ = true;
      return true;
    }
    if (pos_ >= line_.size() || line_[pos_] != ' ') return false;
    ++pos_;
    return true;
  }

  std::string_view line_;
  std::size_t pos_ = 0;
  bool started_ = false;
};

template <class Int>
bool read_number(std::string_view text, Int& out) {
  if (text == "-") {
    out = 0;
    return true;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "METHOD PATH PROTOCOL": the path is what lies between the first and the last space.
bool split_request_line(std::string_view text, LogRecord& out) {
  if (text == "- - -") return true;  // a TCP connection: no request
  std::size_t first = text.find(' ');
  std::size_t last = text.rfind(' ');
  if (first == std::string_view::npos || last == first) return false;
  out.method = value_or_empty(text.substr(0, first));
  out.path = value_or_empty(text.substr(first + 1, last - first - 1));
  out.protocol = value_or_empty(text.substr(last + 1));
  return true;
}

}  // namespace

LineError read_istio_text(std::string_view line, LogRecord& out) {
  out = LogRecord{};
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Fields f(line);
  std::string_view v;
  auto fail = [&](const char* what) { return LineError{what, f.column()}; };

  if (!f.bracketed(v)) return fail("expected [START_TIME] at the start of the line");
  out.start_time = value_or_empty(v);
  if (!f.quoted(v) || !split_request_line(v, out)) return fail("expected \"METHOD PATH PROTOCOL\"");
  if (!f.plain(v) || !read_number(v, out.response_code)) return fail("expected RESPONSE_CODE (a number)");
  if (!f.plain(v)) return fail("expected RESPONSE_FLAGS");
  out.response_flags = value_or_empty(v);
  if (!f.plain(v)) return fail("expected RESPONSE_CODE_DETAILS");
  out.response_code_details = value_or_empty(v);
  if (!f.plain(v)) return fail("expected CONNECTION_TERMINATION_DETAILS");
  out.connection_termination_details = value_or_empty(v);
  if (!f.quoted(v)) return fail("expected \"UPSTREAM_TRANSPORT_FAILURE_REASON\"");
  out.upstream_transport_failure_reason = value_or_empty(v);
  if (!f.plain(v) || !read_number(v, out.bytes_received)) return fail("expected BYTES_RECEIVED (a number)");
  if (!f.plain(v) || !read_number(v, out.bytes_sent)) return fail("expected BYTES_SENT (a number)");
  if (!f.plain(v) || !read_number(v, out.duration_ms)) return fail("expected DURATION (a number)");
  if (!f.plain(v)) return fail("expected X-ENVOY-UPSTREAM-SERVICE-TIME");
  out.upstream_service_time = value_or_empty(v);
  std::array<std::string_view*, 5> quoted = {&out.x_forwarded_for, &out.user_agent, &out.request_id, &out.authority,
                                              &out.upstream_host};
  std::array<const char*, 5> quoted_names = {
      "expected \"X-FORWARDED-FOR\"", "expected \"USER-AGENT\"", "expected \"X-REQUEST-ID\"",
      "expected \":AUTHORITY\"", "expected \"UPSTREAM_HOST\""};
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (!f.quoted(v)) return fail(quoted_names[i]);
    *quoted[i] = value_or_empty(v);
  }
  std::array<std::string_view*, 6> plain = {&out.upstream_cluster,          &out.upstream_local_address,
                                             &out.downstream_local_address,  &out.downstream_remote_address,
                                             &out.requested_server_name,     &out.route_name};
  std::array<const char*, 6> plain_names = {"expected UPSTREAM_CLUSTER",         "expected UPSTREAM_LOCAL_ADDRESS",
                                            "expected DOWNSTREAM_LOCAL_ADDRESS",  "expected DOWNSTREAM_REMOTE_ADDRESS",
                                            "expected REQUESTED_SERVER_NAME",     "expected ROUTE_NAME"};
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (!f.plain(v)) return fail(plain_names[i]);
    *plain[i] = value_or_empty(v);
  }
  if (!f.at_end()) return fail("unexpected text after ROUTE_NAME (not Istio's default access log format)");
  return {};
}

LineError LogLineReader::read(std::string_view line, LogRecord& out) {
  return format_ == LogFormat::kIstioText ? read_istio_text(line, out) : read_json(line, out);
}

LineError LogLineReader::read_json(std::string_view line, LogRecord& out) {
  out = LogRecord{};
  nlohmann::json doc = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return {"not a JSON object", 1};

  struct Text {
    const char* key;
    std::string_view LogRecord::*field;
  };
  static constexpr Text kText[] = {
      {"start_time", &LogRecord::start_time},
      {"method", &LogRecord::method},
      {"path", &LogRecord::path},
      {"protocol", &LogRecord::protocol},
      {"response_flags", &LogRecord::response_flags},
      {"response_code_details", &LogRecord::response_code_details},
      {"connection_termination_details", &LogRecord::connection_termination_details},
      {"upstream_transport_failure_reason", &LogRecord::upstream_transport_failure_reason},
      {"upstream_service_time", &LogRecord::upstream_service_time},
      {"x_forwarded_for", &LogRecord::x_forwarded_for},
      {"user_agent", &LogRecord::user_agent},
      {"request_id", &LogRecord::request_id},
      {"authority", &LogRecord::authority},
      {"upstream_host", &LogRecord::upstream_host},
      {"upstream_cluster", &LogRecord::upstream_cluster},
      {"upstream_local_address", &LogRecord::upstream_local_address},
      {"downstream_local_address", &LogRecord::downstream_local_address},
      {"downstream_remote_address", &LogRecord::downstream_remote_address},
      {"requested_server_name", &LogRecord::requested_server_name},
      {"route_name", &LogRecord::route_name},
  };
  // Values go into one buffer first, views are taken after (the buffer may move while growing).
  json_values_.clear();
  std::array<std::pair<std::size_t, std::size_t>, std::size(kText)> spans{};
  for (std::size_t i = 0; i < std::size(kText); ++i) {
    auto it = doc.find(kText[i].key);
    if (it == doc.end() || it->is_null()) continue;
    std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    if (value == "-") continue;
    spans[i] = {json_values_.size(), value.size()};
    json_values_ += value;
  }
  for (std::size_t i = 0; i < std::size(kText); ++i)
    out.*(kText[i].field) = std::string_view(json_values_).substr(spans[i].first, spans[i].second);

  struct Number {
    const char* key;
    std::uint64_t* into;
  };
  std::uint64_t code = 0;
  const Number numbers[] = {{"response_code", &code},
                            {"bytes_received", &out.bytes_received},
                            {"bytes_sent", &out.bytes_sent},
                            {"duration", &out.duration_ms}};
  for (const auto& n : numbers) {
    auto it = doc.find(n.key);
    if (it == doc.end() || it->is_null()) continue;
    if (it->is_number_unsigned()) {
      *n.into = it->get<std::uint64_t>();
    } else if (!it->is_string() || !read_number(it->get_ref<const std::string&>(), *n.into)) {
      return {"a number field (response_code, bytes_received, bytes_sent, duration) is not a number", 1};
    }
  }
  if (code > 999) return {"response_code is not an HTTP status", 1};
  out.response_code = static_cast<int>(code);
  if (out.method.empty() && out.authority.empty() && out.response_code == 0 && out.upstream_cluster.empty() &&
      out.start_time.empty())
    return {"no field of Istio's JSON access log format (start_time, method, authority, ...)", 1};
  return {};
}

namespace {

void append_value(std::string_view v, std::string& out) {
  if (v.empty())
    out += '-';
  else
    out += v;
}

void append_quoted(std::string_view v, std::string& out) {
  out += '"';
  append_value(v, out);
  out += '"';
}

}  // namespace

void append_istio_text(const LogRecord& r, std::string& out) {
  out += '[';
  append_value(r.start_time, out);
  out += "] \"";
  if (r.is_http()) {
    append_value(r.method, out);
    out += ' ';
    append_value(r.path, out);
    out += ' ';
    append_value(r.protocol, out);
  } else {
    out += "- - -";
  }
  out += "\" ";
  out += std::to_string(r.response_code);
  out += ' ';
  append_value(r.response_flags, out);
  out += ' ';
  append_value(r.response_code_details, out);
  out += ' ';
  append_value(r.connection_termination_details, out);
  out += ' ';
  append_quoted(r.upstream_transport_failure_reason, out);
  out += ' ';
  out += std::to_string(r.bytes_received);
  out += ' ';
  out += std::to_string(r.bytes_sent);
  out += ' ';
  out += std::to_string(r.duration_ms);
  out += ' ';
  append_value(r.upstream_service_time, out);
  for (std::string_view v : {r.x_forwarded_for, r.user_agent, r.request_id, r.authority, r.upstream_host}) {
    out += ' ';
    append_quoted(v, out);
  }
  for (std::string_view v : {r.upstream_cluster, r.upstream_local_address, r.downstream_local_address,
                             r.downstream_remote_address, r.requested_server_name, r.route_name}) {
    out += ' ';
    append_value(v, out);
  }
  out += '\n';
}

void append_envoy_json(const LogRecord& r, std::string& out) {
  // nlohmann::ordered_json keeps Istio's key order (EnvoyJSONLogFormatIstio).
  nlohmann::ordered_json j;
  auto text = [](std::string_view v) -> nlohmann::ordered_json {
    return v.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::string(v));
  };
  j["start_time"] = text(r.start_time);
  j["route_name"] = text(r.route_name);
  j["method"] = text(r.method);
  j["path"] = text(r.path);
  j["protocol"] = text(r.protocol);
  j["response_code"] = r.response_code;
  j["response_flags"] = text(r.response_flags);
  j["response_code_details"] = text(r.response_code_details);
  j["connection_termination_details"] = text(r.connection_termination_details);
  j["bytes_received"] = r.bytes_received;
  j["bytes_sent"] = r.bytes_sent;
  j["duration"] = r.duration_ms;
  j["upstream_service_time"] = text(r.upstream_service_time);
  j["x_forwarded_for"] = text(r.x_forwarded_for);
  j["user_agent"] = text(r.user_agent);
  j["request_id"] = text(r.request_id);
  j["authority"] = text(r.authority);
  j["upstream_host"] = text(r.upstream_host);
  j["upstream_cluster"] = text(r.upstream_cluster);
  j["upstream_local_address"] = text(r.upstream_local_address);
  j["downstream_local_address"] = text(r.downstream_local_address);
  j["downstream_remote_address"] = text(r.downstream_remote_address);
  j["requested_server_name"] = text(r.requested_server_name);
  j["upstream_transport_failure_reason"] = text(r.upstream_transport_failure_reason);
  out += j.dump();
  out += '\n';
}

}  // namespace gwsim::access_log
