// The building blocks of Istio's validation (pkg/config/validation, pkg/config/labels,
// pkg/config/protocol, pkg/config/visibility), with Istio's messages. Each returns the errors it
// finds; an empty result means valid.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/text/ascii.h"
#include "engine/text/go_quote.h"

namespace gwsim::validation::detail {

// Errors and warnings in Istio's order. `list` mirrors Go's multierror: Istio prints its errors
// as "N errors occurred:" when there are several, and also when the first one came from a check
// that builds a list (go-multierror's Append on nil).
struct Errors {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  bool list = false;

  bool empty() const { return errors.empty(); }
  void add(std::string error) {
    if (!errors.empty()) list = true;
    errors.push_back(std::move(error));
  }
  // An error appended with multierror.Append: a list even when it is the only one.
  void add_listed(std::string error) {
    errors.push_back(std::move(error));
    list = true;
  }
  void warn(std::string warning) { warnings.push_back(std::move(warning)); }
  void add(const Errors& other) {
    if (other.errors.empty()) {
      warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
      return;
    }
    list = errors.empty() ? other.list : true;
    errors.insert(errors.end(), other.errors.begin(), other.errors.end());
    warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
  }
  void add(const std::optional<std::string>& error) {
    if (error) add(*error);
  }
  void add(const char* error) { add(std::string(error)); }
};

using text::go_quote;  // Go's %q
// Go's %v of a float64 ("150", "0.5", "1e-05").
std::string go_float(double v);

bool is_dns1123_label(std::string_view value);
bool is_wildcard_dns1123_label(std::string_view value);
bool is_ip_address(std::string_view value);

std::optional<std::string> validate_port(std::int64_t port);
std::optional<std::string> validate_fqdn(std::string_view fqdn);
std::optional<std::string> validate_wildcard_domain(std::string_view domain);
std::optional<std::string> validate_wildcard_domain_for_gateway_vs(bool sni, std::string_view domain);
std::optional<std::string> validate_partial_wildcard(std::string_view host);
// Gateway server hosts: [namespace/]dnsName.
Errors validate_gateway_server_host(std::string_view host);
std::optional<std::string> validate_ip_address(std::string_view addr);
std::optional<std::string> validate_ip_subnet(std::string_view subnet);
std::optional<std::string> validate_unix_address(std::string_view addr);
// labels.Instance.Validate (always a list, as Istio builds it with multierror).
Errors validate_labels(const std::map<std::string, std::string>& labels);
// agent.ValidateDuration, on nanoseconds.
std::optional<std::string> validate_duration(std::int64_t ns);
std::optional<std::string> validate_subset_name(std::string_view name);
std::optional<std::string> validate_port_name(std::string_view name);

// protocol.Parse: the canonical name ("HTTP", "GRPC-Web", ...), or "" when unsupported.
std::string parse_protocol(std::string_view protocol);
bool protocol_is_http(std::string_view canonical);
bool protocol_is_tls(std::string_view canonical);
bool protocol_is_tcp(std::string_view canonical);

std::optional<std::string> validate_http_header_name_or_jwt_claim(std::string_view name);
std::optional<std::string> validate_header_with_authority_operation_name(std::string_view name);
std::optional<std::string> validate_header_operation_name(std::string_view name);
std::optional<std::string> validate_cors_header_name(std::string_view name);
std::optional<std::string> validate_header_value(std::string_view value);
bool is_jwt_claim_route(std::string_view header_name);
bool is_authority_header(std::string_view name);

// Istio's RE2 check for string matches: length, then compile ("<where>": ... messages).
std::optional<std::string> validate_regex(std::string_view re, std::string_view where);

// Go's net/http.StatusText(code) != "".
bool is_known_http_status(int code);
bool is_valid_cipher_suite(std::string_view cs);
bool is_grpc_status(std::string_view status);

using text::to_lower;

}  // namespace gwsim::validation::detail
