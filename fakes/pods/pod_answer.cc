// Follows Istio's echo app, pkg/test/echo/server/endpoint/http.go: httpHandler.echo (the order
// ParseForm, delayResponse, setHeaderResponseFromHeaders, setResponseFromCodes,
// addResponsePayload, Content-Type), validateCodes / validateCodeAndSlices and the pie draw of
// setResponseFromCodes; the form parsing of Go's net/url ParseQuery and the durations of Go's
// time.ParseDuration, with their error texts.
#include "fakes/pods/pod_answer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include <openssl/sha.h>

#include "engine/http/query.h"
#include "engine/text/ascii.h"

namespace gwsim::fakes {

using text::iequals;

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
int hex_value(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

// Go's strconv.Quote, for the printable ASCII the error texts carry.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Go's url.QueryUnescape; nullopt with the error text on a bad escape.
std::optional<std::string> query_unescape(std::string_view s, std::string& error) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        error = "invalid URL escape " + quote(s.substr(i, 3));
        return std::nullopt;
      }
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// Go's Request.ParseForm on the query: the first value of each key, and the first error.
struct Form {
  std::map<std::string, std::string> first;
  std::string error;
  std::string value(const std::string& key) const {
    auto it = first.find(key);
    return it == first.end() ? std::string() : it->second;
  }
};

Form parse_form(std::string_view target) {
  Form form;
  auto query = http::query_string(target);
  if (!query) return form;
  http::for_each_query_pair(*query, [&form](const http::QueryPair& pair) {
    if (pair.text.find(';') != std::string_view::npos) {
      if (form.error.empty()) form.error = "invalid semicolon separator in query";
      return false;
    }
    if (pair.text.empty()) return false;
    std::string error;
    auto key = query_unescape(pair.name, error);
    auto value = key ? query_unescape(pair.value, error) : std::nullopt;
    if (!key || !value) {
      if (form.error.empty()) form.error = error;
      return false;
    }
    form.first.emplace(std::move(*key), std::move(*value));  // keeps the first value
    return false;
  });
  return form;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s = s.substr(at + 1);
  }
}

// Go's strconv.Atoi; the error text when it fails.
std::optional<std::int64_t> atoi(std::string_view s, std::string& error) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  std::int64_t value = 0;
  bool ok = !digits.empty();
  for (char c : digits) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    if (value > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) {
      error = "strconv.Atoi: parsing " + quote(s) + ": value out of range";
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  if (!ok) {
    error = "strconv.Atoi: parsing " + quote(s) + ": invalid syntax";
    return std::nullopt;
  }
  return negative ? -value : value;
}

struct CodeSlices {
  int code;
  std::int64_t slices;
};

// validateCodes: "" is 200:1; an item is code or code:count, 200 <= code < 600, count >= 0.
std::optional<std::vector<CodeSlices>> validate_codes(std::string_view text, std::string& error) {
  std::vector<CodeSlices> codes;
  if (text.empty()) return std::vector<CodeSlices>{{200, 1}};
  for (std::string_view item : split(text, ',')) {
    auto flavor = split(item, ':');
    if (flavor.size() > 2) {
      error = "invalid " + quote(item) + " (want code or code:count)";
      return std::nullopt;
    }
    auto code = atoi(flavor[0], error);
    if (!code) return std::nullopt;
    if (*code < 200 || *code >= 600) {
      error = "invalid HTTP response code " + std::to_string(*code);
      return std::nullopt;
    }
    std::int64_t count = 1;
    if (flavor.size() > 1) {
      auto parsed = atoi(flavor[1], error);
      if (!parsed) return std::nullopt;
      if (*parsed < 0) {
        error = "invalid count " + std::to_string(*parsed);
        return std::nullopt;
      }
      count = *parsed;
    }
    codes.push_back({static_cast<int>(*code), count});
  }
  return codes;
}

// Go's httpguts.ValidHeaderFieldName: Go's server does not write a header with another name.
bool valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    bool token = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                 std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!token) return false;
  }
  return true;
}

// Set as Go's `Header()[name] = []string{value}`: the exact key is replaced.
void set_exact(std::vector<std::pair<std::string, std::string>>& headers, std::string_view name,
               std::string_view value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v.assign(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::string(value));
}

// The request's first value of a header (case-insensitive), "" when absent.
std::string header_value(const EchoRequest& request, std::string_view name) {
  for (const auto& [k, v] : request.headers)
    if (iequals(k, name)) return v;
  return {};
}

// Whether a comma-separated header holds a token (case-insensitive), as gorilla/websocket's
// tokenListContainsValue reads Connection and Upgrade.
bool has_token(const std::string& list, std::string_view token) {
  for (std::string_view item : split(list, ',')) {
    std::size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string_view::npos && iequals(item.substr(b, e - b + 1), token)) return true;
  }
  return false;
}

std::string base64(const unsigned char* data, std::size_t size) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t n = static_cast<std::uint32_t>(data[i]) << 16;
    if (i + 1 < size) n |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (i + 2 < size) n |= data[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// The echo app's webSocketEcho (pkg/test/echo/server/endpoint/http.go): gorilla/websocket's
// Upgrader.Upgrade checks the handshake (server.go) and answers 101; the app then reads one
// message and answers it with its payload, the message and StatusCode=200. The fake answers
// the handshake and puts that reply (to an empty message) in the body.
PodAnswer websocket_answer(const EchoPod& pod, const EchoRequest& request) {
  PodAnswer answer;
  auto refuse = [&](int status, const std::string& why) {
    answer.status = status;
    answer.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Sec-Websocket-Version", "13"},
                      {"X-Content-Type-Options", "nosniff"}};
    answer.body = why + "\n";
    return answer;
  };
  const std::string not_websocket = "websocket: the client is not using the websocket protocol: ";
  if (!has_token(header_value(request, "Connection"), "upgrade"))
    return refuse(400, not_websocket + "'upgrade' token not found in 'Connection' header");
  if (!has_token(header_value(request, "Upgrade"), "websocket"))
    return refuse(400, not_websocket + "'websocket' token not found in 'Upgrade' header");
  if (request.method != "GET") return refuse(405, not_websocket + "request method is not GET");
  if (!has_token(header_value(request, "Sec-Websocket-Version"), "13"))
    return refuse(400, "websocket: unsupported version: 13 not found in 'Sec-Websocket-Version' header");
  const std::string key = header_value(request, "Sec-Websocket-Key");
  if (key.empty())
    return refuse(400, "websocket: not a websocket handshake: 'Sec-WebSocket-Key' header must be Base64 encoded "
                       "value of 16-byte in length");
  // RFC 6455 section 4.2.2: base64(SHA-1(key + the protocol's GUID)).
  const std::string accept_input = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(accept_input.data()), accept_input.size(), digest);
  answer.status = 101;
  answer.headers = {{"Connection", "Upgrade"},
                    {"Sec-WebSocket-Accept", base64(digest, sizeof digest)},
                    {"Upgrade", "websocket"}};
  answer.body = echo_body(pod, request, 101) + "StatusCode=200\n";
  return answer;
}

}  // namespace

bool is_websocket_request(const EchoRequest& request) { return header_value(request, "testwebsocket") == "enabled"; }

bool parse_go_duration(std::string_view text, std::int64_t& ms) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    ms = 0;
    return true;
  }
  if (s.empty()) return false;
  static const std::pair<std::string_view, double> kUnits[] = {
      {"ns", 1e-6}, {"us", 1e-3}, {"\xC2\xB5s", 1e-3}, {"\xCE\xBCs", 1e-3}, {"ms", 1.0},
      {"s", 1e3},   {"m", 6e4},   {"h", 3.6e6}};
  double total = 0;
  while (!s.empty()) {
    std::size_t i = 0;
    double whole = 0, fraction = 0, scale = 1;
    bool digits = false;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, digits = true) whole = whole * 10 + (s[i] - '0');
    if (i < s.size() && s[i] == '.') {
      for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, digits = true) {
        scale /= 10;
        fraction += (s[i] - '0') * scale;
      }
    }
    if (!digits) return false;
    std::size_t unit_end = i;
    while (unit_end < s.size() && s[unit_end] != '.' && !(s[unit_end] >= '0' && s[unit_end] <= '9')) ++unit_end;
    std::string_view unit = s.substr(i, unit_end - i);
    const double* per = nullptr;
    for (const auto& [name, value] : kUnits)
      if (name == unit) per = &value;
    if (!per) return false;  // a missing or unknown unit
    total += (whole + fraction) * *per;
    if (total > 9.2e12) return false;  // beyond Go's int64 nanoseconds
    s = s.substr(unit_end);
  }
  ms = negative ? -static_cast<std::int64_t>(std::floor(total)) : static_cast<std::int64_t>(std::floor(total));
  return true;
}

EchoPod echo_pod(const std::string& namespace_, const std::string& name, const model::Labels& labels,
                 std::uint32_t port) {
  EchoPod pod;
  pod.name = name;
  pod.namespace_ = namespace_;
  if (auto v = labels.find("version"); v != labels.end()) pod.version = v->second;
  pod.port = port;
  return pod;
}

// Go's strings.TrimSpace for ASCII whitespace.
std::string_view trim_space(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// The Gateway API conformance backend's response header control (gateway-api
// conformance/echo-basic/echo-basic.go, writeEchoResponseHeaders): every value of the request's
// X-Echo-Set-Header is a list "Name:value,Name2:value2"; each item is trimmed and cut at its first
// ':'; a new name is set as given (its casing kept), a name already set gets ",value" appended.
// The conformance suite sets it for backend response headers (conformance/utils/http/http.go).
void set_echo_headers(const EchoRequest& request, std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [k, list] : request.headers) {
    if (!iequals(k, "X-Echo-Set-Header")) continue;
    for (std::string_view item : split(list, ',')) {
      item = trim_space(item);
      const auto colon = item.find(':');
      const std::string_view name = item.substr(0, colon);
      const std::string_view value = colon == std::string_view::npos ? std::string_view() : item.substr(colon + 1);
      // Go's server does not write framing headers or invalid names it is handed.
      if (iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection") ||
          !valid_header_name(name))
        continue;
      auto it = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
      if (it == headers.end())
        headers.emplace_back(std::string(name), std::string(value));
      else
        it->second += "," + std::string(trim_space(value));
    }
  }
}

PodAnswer pod_answer(
const EchoPod& pod, const PodBehaviour& behaviour, const EchoRequest& request,
                     lb::Random& random) {
  PodAnswer answer;
  if (behaviour.refuse) {
    answer.connected = false;
    answer.status = 0;
    return answer;
  }
  if (is_websocket_request(request)) {
    PodAnswer answer = websocket_answer(pod, request);
    if (behaviour.status) answer.status = *behaviour.status;
    if (behaviour.delay_ms) answer.delay_ms = std::min(std::max<std::int64_t>(0, *behaviour.delay_ms), kMaxPodDelayMs);
    return answer;
  }
  std::string errors;  // the app's writeError lines, above the payload
  auto error_line = [&](const std::string& what) { errors += what + "\n"; };
  const Form form = parse_form(request.path);
  if (!form.error.empty()) error_line("ParseForm() error: " + form.error);

  if (std::string delay = form.value("delay"); !delay.empty()) {
    std::int64_t ms = 0;
    if (parse_go_duration(delay, ms))
      answer.delay_ms = std::max<std::int64_t>(0, ms);  // Go's time.Sleep of a negative returns at once
    else
      error_line("error delaying response error: time: invalid duration " + quote(delay));
  }

  if (std::string list = form.value("headers"); !list.empty()) {
    for (std::string_view item : split(list, ',')) {
      auto parts = split(item, ':');
      if (parts.size() != 2) {
        error_line("response headers error: invalid " + quote(item) + " (want name:value)");
        break;
      }
      // Framing stays the server's own (as Go's server recomputes it).
      if (iequals(parts[0], "content-length") || iequals(parts[0], "transfer-encoding") ||
          iequals(parts[0], "connection"))
        continue;
      if (!valid_header_name(parts[0])) continue;
      std::string value(parts[1]);
      for (char& c : value)
        if (c == '\r' || c == '\n') c = ' ';  // Go's headerNewlineToSpace
      set_exact(answer.headers, parts[0], value);
    }
  }

  if (std::string codes_text = form.value("codes"); !codes_text.empty()) {
    std::string error;
    if (auto codes = validate_codes(codes_text, error)) {
      std::int64_t total = 0;
      for (const auto& c : *codes) total += c.slices;
      if (total <= 0) {
        // rand.Intn(0) panics; Go's server recovers and closes the connection unanswered.
        answer.connected = false;
        answer.terminated = true;
        answer.status = 0;
        answer.headers.clear();
        answer.delay_ms = std::min(answer.delay_ms, kMaxPodDelayMs);
        return answer;
      }
      const auto slice = static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(total)));
      // The app's pie: the last code unless an earlier slice holds the draw.
      answer.status = codes->back().code;
      std::int64_t position = 0;
      for (std::size_t n = 0; n < codes->size(); ++n) {
        if (position > slice) {
          answer.status = (*codes)[n - 1].code;
          break;
        }
        position += (*codes)[n].slices;
      }
    } else {
      error_line("codes error: " + error);  // the status stays 200
    }
  }

  set_echo_headers(request, answer.headers);
  set_exact(answer.headers, "Content-Type", "application/text");
  // Go's server writes header keys sorted.
  std::stable_sort(answer.headers.begin(), answer.headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  answer.body = errors + echo_body(pod, request, answer.status);

  // The scenario's behaviour: its status wins, its delay adds.
  if (behaviour.status) answer.status = *behaviour.status;
  if (behaviour.delay_ms) answer.delay_ms += std::max<std::int64_t>(0, *behaviour.delay_ms);
  answer.delay_ms = std::min(answer.delay_ms, kMaxPodDelayMs);
  return answer;
}

}  // namespace gwsim::fakes
