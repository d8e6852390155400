#include "engine/validation/detail_rules.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include <re2/re2.h>

namespace gwsim::validation::detail {

namespace {

// Compiled once: patterns from pkg/config/labels and pkg/config/validation.
struct Patterns {
  RE2 dns1123_label{"[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?"};
  RE2 wildcard_prefix{"(\\*|(\\*|\\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)"};
  // [dnsPrefix/]name for label keys; group 1 is the prefix with its slash, group 2 the name.
  RE2 tag{"((?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*)/)?"
          "((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])"};
  RE2 label_value{"((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"};
  // RFC 7230 tchars, written as Istio writes the class (so "+-." is a range, as in Istio).
  RE2 header_name{"[!#$%&'*+-.^_`|~A-Za-z0-9]+"};
  RE2 header_value{"[^\\x00-\\x08\\x0A-\\x1F\\x7F]*"};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

bool go_atoi_ok(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> check_dns1123_preconditions(std::string_view name) {
  if (name.size() > 255) return "domain name " + go_quote(name) + " too long (max 255)";
  if (name.empty()) return std::string("empty domain name not allowed");
  return std::nullopt;
}

std::optional<std::string> validate_dns1123_labels(std::string_view domain) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = domain.find('.', start);
    parts.push_back(domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  std::string_view tld = parts.back();
  if (go_atoi_ok(tld)) {
    return "domain name " + go_quote(domain) + " invalid (top level domain " + go_quote(tld) + " cannot be all-numeric)";
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i == parts.size() - 1 && parts[i].empty()) return std::nullopt;  // "istio.io."
    if (!is_dns1123_label(parts[i])) {
      return "domain name " + go_quote(domain) + " invalid (label " + go_quote(parts[i]) + " invalid)";
    }
  }
  return std::nullopt;
}

// validateSidecarOrGatewayHostnamePart, for gateways.
Errors validate_gateway_hostname_part(std::string_view hostname) {
  Errors e;
  if (hostname != "*" && hostname.find('.') == std::string_view::npos) e.add("short names (non FQDN) are not allowed");
  if (auto err = validate_wildcard_domain(hostname); err && !is_ip_address(hostname)) e.add(*err);
  e.add(validate_partial_wildcard(hostname));
  return e;
}

bool parse_prefix(std::string_view s) {
  auto slash = s.find('/');
  std::string addr(s.substr(0, slash));
  std::string_view bits = s.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  if (bits.size() > 1 && bits[0] == '0') return false;
  int n = std::stoi(std::string(bits));
  unsigned char buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) return n <= 32;
  if (addr.find('%') == std::string::npos && inet_pton(AF_INET6, addr.c_str(), buf) == 1) return n <= 128;
  return false;
}

const char* go_regexp_error(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "unexpected error";
  }
}

}  // namespace

std::string go_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return "0";
  char buf[64];
  // Shortest text that reads back as the same value, as Go's %v does.
  double a = std::fabs(v);
  bool exponent = a < 1e-4 || a >= 1e21;
  for (int precision = 0; precision <= 17; ++precision) {
    if (exponent) std::snprintf(buf, sizeof buf, "%.*e", precision, v);
    else std::snprintf(buf, sizeof buf, "%.*f", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

bool is_dns1123_label(std::string_view value) {
  return value.size() <= 63 && RE2::FullMatch(re2::StringPiece(value.data(), value.size()), patterns().dns1123_label);
}

bool is_wildcard_dns1123_label(std::string_view value) {
  return value.size() <= 63 && RE2::FullMatch(re2::StringPiece(value.data(), value.size()), patterns().wildcard_prefix);
}

bool is_ip_address(std::string_view value) {
  std::string s(value);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return true;
  auto zone = s.find('%');  // netip accepts an IPv6 zone: fe80::1%eth0
  if (zone != std::string::npos) {
    if (zone + 1 == s.size()) return false;
    s = s.substr(0, zone);
  }
  return inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::optional<std::string> validate_port(std::int64_t port) {
  if (port >= 1 && port <= 65535) return std::nullopt;
  return "port number " + std::to_string(port) + " must be in the range 1..65535";
}

std::optional<std::string> validate_fqdn(std::string_view fqdn) {
  if (auto err = check_dns1123_preconditions(fqdn)) return err;
  return validate_dns1123_labels(fqdn);
}

std::optional<std::string> validate_wildcard_domain(std::string_view domain) {
  if (auto err = check_dns1123_preconditions(domain)) return err;
  // Wildcards only in the first label.
  auto dot = domain.find('.');
  std::string_view first = domain.substr(0, dot);
  if (!is_wildcard_dns1123_label(first)) {
    return "domain name " + go_quote(domain) + " invalid (label " + go_quote(first) + " invalid)";
  }
  if (dot != std::string_view::npos) return validate_dns1123_labels(domain.substr(dot + 1));
  return std::nullopt;
}

std::optional<std::string> validate_wildcard_domain_for_gateway_vs(bool sni, std::string_view domain) {
  if (auto err = check_dns1123_preconditions(domain)) return err;
  if (sni && domain.rfind("outbound_", 0) == 0) {
    // AUTO_PASSTHROUGH SNI names: outbound_.<PORT>_._.<HOSTNAME>
    static const char* kFormat = "outbound_.<PORT>_._.<HOSTNAME>";
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
      size_t u = domain.find('_', start);
      parts.push_back(domain.substr(start, u == std::string_view::npos ? std::string_view::npos : u - start));
      if (u == std::string_view::npos) break;
      start = u + 1;
    }
    if (parts.size() < 4) {
      return "domain name " + std::string(domain) + " invalid, should follow '" + kFormat + "' format";
    }
    auto trim_dots = [](std::string_view s) {
      while (!s.empty() && s.front() == '.') s.remove_prefix(1);
      while (!s.empty() && s.back() == '.') s.remove_suffix(1);
      return s;
    };
    std::string_view port = trim_dots(parts[1]);
    std::string_view hostname = trim_dots(parts[3]);
    if (parts[0] != "outbound") {
      return "domain name " + go_quote(domain) + " invalid (label " + go_quote(parts[0]) + " invalid)";
    }
    if (std::none_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return "domain name " + go_quote(domain) + " invalid (label " + go_quote(port) + " invalid). should follow " +
             kFormat + " format";
    }
    if (std::none_of(hostname.begin(), hostname.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      return "domain name " + go_quote(domain) + " invalid (label " + go_quote(hostname) + " invalid). should follow " +
             kFormat + " format";
    }
    return std::nullopt;
  }
  return validate_wildcard_domain(domain);
}

std::optional<std::string> validate_partial_wildcard(std::string_view host) {
  if (host.find('*') != std::string_view::npos && host.size() != 1 && host.rfind("*.", 0) != 0) {
    return "partial wildcard " + go_quote(host) + " not allowed";
  }
  return std::nullopt;
}

Errors validate_gateway_server_host(std::string_view host) {
  auto slash = host.find('/');
  if (slash == std::string_view::npos) return validate_gateway_hostname_part(host);
  Errors e;
  std::string_view ns = host.substr(0, slash);
  std::string_view name = host.substr(slash + 1);
  if (ns.empty() || name.empty()) e.add("config namespace and dnsName in host entry cannot be empty");
  if (ns != "*" && ns != "." && !is_dns1123_label(ns)) e.add("invalid namespace value " + go_quote(ns) + " in gateway");
  e.add(validate_gateway_hostname_part(name));
  return e;
}

std::optional<std::string> validate_ip_address(std::string_view addr) {
  if (is_ip_address(addr)) return std::nullopt;
  return std::string(addr) + " is not a valid IP";
}

std::optional<std::string> validate_ip_subnet(std::string_view subnet) {
  if (std::count(subnet.begin(), subnet.end(), '/') == 1) {
    if (!parse_prefix(subnet)) return std::string(subnet) + " is not a valid CIDR block";
    return std::nullopt;
  }
  return validate_ip_address(subnet);
}

std::optional<std::string> validate_unix_address(std::string_view addr) {
  if (addr.empty()) return std::string("unix address must not be empty");
  if (addr.front() == '@') return std::nullopt;  // abstract socket
  if (addr.front() != '/' || addr.back() == '/') return std::string(addr) + " is not an absolute path to a file";
  return std::nullopt;
}

Errors validate_labels(const std::map<std::string, std::string>& labels) {
  Errors e;
  for (const auto& [key, value] : labels) {
    std::string prefix, name;
    if (!RE2::FullMatch(key, patterns().tag, &prefix, &name)) {
      e.add_listed("invalid tag key: " + go_quote(key));
    } else if (!prefix.empty() && prefix.size() - 1 > 253) {
      e.add_listed("invalid tag key: " + go_quote(key) + " (DNS prefix is too long)");
    } else if (name.size() > 63) {
      e.add_listed("invalid tag key: " + go_quote(key) + " (name is too long)");
    }
    if (!RE2::FullMatch(value, patterns().label_value)) e.add_listed("invalid tag value: " + go_quote(value));
  }
  return e;
}

std::optional<std::string> validate_duration(std::int64_t ns) {
  if (ns < 1000000) return std::string("duration must be greater than 1ms");
  if (ns % 1000000 != 0) return std::string("only durations to ms precision are supported");
  return std::nullopt;
}

std::optional<std::string> validate_subset_name(std::string_view name) {
  if (name.empty()) return std::string("subset name cannot be empty");
  if (!is_dns1123_label(name)) return "subset name is invalid: " + std::string(name);
  return std::nullopt;
}

std::optional<std::string> validate_port_name(std::string_view name) {
  if (!is_dns1123_label(name)) return "invalid port name: " + std::string(name);
  return std::nullopt;
}

std::string parse_protocol(std::string_view protocol) {
  static const std::map<std::string, std::string> names = {
      {"tcp", "TCP"},     {"udp", "UDP"},     {"grpc", "GRPC"},   {"grpc-web", "GRPC-Web"},
      {"http", "HTTP"},   {"http_proxy", "HTTP_PROXY"},           {"http2", "HTTP2"},
      {"https", "HTTPS"}, {"tls", "TLS"},     {"mongo", "Mongo"}, {"redis", "Redis"},
      {"mysql", "MySQL"},
  };
  auto it = names.find(to_lower(protocol));
  return it == names.end() ? std::string() : it->second;
}

bool protocol_is_http(std::string_view p) {
  return p == "HTTP" || p == "HTTP2" || p == "HTTP_PROXY" || p == "GRPC" || p == "GRPC-Web";
}
bool protocol_is_tls(std::string_view p) { return p == "HTTPS" || p == "TLS"; }
bool protocol_is_tcp(std::string_view p) {
  return p == "TCP" || p == "HTTPS" || p == "TLS" || p == "Mongo" || p == "Redis" || p == "MySQL";
}

bool is_jwt_claim_route(std::string_view name) {
  static const std::string kPrefix = "@request.auth.claims";
  if (to_lower(name).rfind(kPrefix, 0) != 0) return false;
  std::string_view rest = name.substr(kPrefix.size());
  if (rest.size() > 1 && rest.front() == '.') return true;
  return rest.size() > 2 && rest.front() == '[' && rest.back() == ']';
}

bool is_authority_header(std::string_view name) {
  std::string l = to_lower(name);
  return l == ":authority" || l == "host";
}

namespace {
bool is_internal_header(std::string_view name) { return (!name.empty() && name.front() == ':') || to_lower(name) == "host"; }
bool matches_header_name(std::string_view name) {
  return RE2::FullMatch(re2::StringPiece(name.data(), name.size()), patterns().header_name);
}
}  // namespace

std::optional<std::string> validate_http_header_name_or_jwt_claim(std::string_view name) {
  if (name.empty()) return std::string("header name cannot be empty");
  if (is_jwt_claim_route(name)) return std::nullopt;
  if (name == ":method" || name == ":scheme" || name == ":authority" || name == ":path" || name == ":status") {
    return std::nullopt;
  }
  if (!matches_header_name(name)) return "header name " + std::string(name) + " is not a valid header name";
  return std::nullopt;
}

std::optional<std::string> validate_header_with_authority_operation_name(std::string_view name) {
  if (name.empty()) return std::string("header name cannot be empty");
  if (is_internal_header(name) && !is_authority_header(name)) {
    return "invalid header " + go_quote(name) + ": header cannot have \":\" prefix";
  }
  return std::nullopt;
}

std::optional<std::string> validate_header_operation_name(std::string_view name) {
  if (name.empty()) return std::string("header name cannot be empty");
  if (to_lower(name) == "host") return "invalid header " + go_quote(name) + ": cannot set Host header";
  if (is_internal_header(name)) return "invalid header " + go_quote(name) + ": header cannot have \":\" prefix";
  return std::nullopt;
}

std::optional<std::string> validate_cors_header_name(std::string_view name) {
  if (name.empty()) return std::string("header name cannot be empty");
  if (name == "*") return std::nullopt;
  if (!matches_header_name(name)) return "header name " + std::string(name) + " is not a valid header name";
  return std::nullopt;
}

std::optional<std::string> validate_header_value(std::string_view value) {
  if (!RE2::FullMatch(re2::StringPiece(value.data(), value.size()), patterns().header_value)) {
    return "header value configuration " + std::string(value) + " is invalid";
  }
  // Envoy's %VARIABLE% syntax: the same small state machine Envoy and Istio use.
  enum State { kLiteral, kVariable, kExpectArray, kExpectString, kString, kExpectDelimOrEnd, kExpectArgsEnd, kExpectVarEnd };
  State state = kLiteral;
  auto fail = [](const std::string& m) { return std::optional<std::string>("header value configuration: " + m); };
  for (size_t pos = 0; pos < value.size(); ++pos) {
    char ch = value[pos];
    bool has_next = pos + 1 < value.size();
    switch (state) {
      case kLiteral:
        if (ch != '%') break;
        if (!has_next) return fail("invalid header configuration. Un-escaped %");
        if (value[pos + 1] == '%') {
          ++pos;
          break;
        }
        state = kVariable;
        break;
      case kVariable:
        if (ch == '%') state = kLiteral;
        else if (ch == '(') state = kExpectArray;
        break;
      case kExpectArray:
        if (ch == '[') state = kExpectString;
        else if (ch != ' ') state = kString;
        break;
      case kExpectDelimOrEnd:
        if (ch == ',') state = kExpectString;
        else if (ch == ']') state = kExpectArgsEnd;
        else if (ch != ' ') return fail("invalid header configuration. Expecting ',', ']', or whitespace");
        break;
      case kExpectString:
        if (ch == '"') state = kString;
        else if (ch != ' ') return fail("invalid header configuration. Expecting '\"'");
        break;
      case kString:
        if (ch == '\\') {
          if (!has_next) return fail("invalid header configuration. Un-terminated backslash in JSON string");
          ++pos;
        } else if (ch == ')') {
          state = kExpectVarEnd;
        } else if (ch == '"') {
          state = kExpectDelimOrEnd;
        }
        break;
      case kExpectArgsEnd:
        if (ch == ')') state = kExpectVarEnd;
        else if (ch != ' ') return fail("invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'");
        break;
      case kExpectVarEnd:
        if (ch == '%') state = kLiteral;
        else if (ch != ' ') return fail("invalid header configuration. Expecting '%' or whitespace after");
        break;
    }
  }
  if (state != kLiteral) {
    return fail("invalid header configuration. Un-terminated variable expression '" + std::string(value) + "'");
  }
  return std::nullopt;
}

std::optional<std::string> validate_regex(std::string_view regex, std::string_view where) {
  if (regex.size() > 1024) return go_quote(where) + ": regex is too large, max length allowed is 1024";
  RE2::Options options;
  options.set_log_errors(false);
  RE2 compiled(re2::StringPiece(regex.data(), regex.size()), options);
  if (compiled.ok()) return std::nullopt;
  return go_quote(where) + ": error parsing regexp: " + go_regexp_error(compiled.error_code()) + ": `" +
         compiled.error_arg() + "`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)";
}

bool is_known_http_status(int code) {
  static const std::set<int> known = {100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
                                      300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405,
                                      406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
                                      422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504,
                                      505, 506, 507, 508, 510, 511};
  return known.count(code) > 0;
}

bool is_valid_cipher_suite(std::string_view cs) {
  if (cs.empty() || cs == "ALL") return true;
  if (!std::isalnum(static_cast<unsigned char>(cs.front()))) return true;  // "-X", "+X", "!X" expressions
  static const std::set<std::string, std::less<>> valid = {
      "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",   "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
      "ECDHE-ECDSA-AES128-SHA",        "ECDHE-RSA-AES128-SHA",          "ECDHE-ECDSA-AES256-SHA",
      "ECDHE-RSA-AES256-SHA",          "AES128-GCM-SHA256",             "AES256-GCM-SHA384",
      "AES128-SHA",                    "AES256-SHA",                    "DES-CBC3-SHA"};
  return valid.find(cs) != valid.end();
}

bool is_grpc_status(std::string_view status) {
  static const std::set<std::string, std::less<>> codes = {
      "OK",        "CANCELLED",          "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return codes.find(status) != codes.end();
}

}  // namespace gwsim::validation::detail
