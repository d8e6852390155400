// Follows Istio's echo app (istio/istio, newest release branch): the line order and field
// names of httpHandler.addResponsePayload in pkg/test/echo/server/endpoint/http.go, with the
// field names and the "Name=value\n" line format of pkg/test/echo/fields.go. The app also
// reads NAMESPACE from the environment, which Istio's test framework sets to the pod's
// namespace (pkg/test/framework/components/echo/kube/templates/deployment.yaml).
#include "fakes/pods/echo.h"

#include <map>

#include "engine/http/request.h"
#include "engine/text/ascii.h"

namespace gwsim::fakes {

using text::iequals;

namespace {

// Bytes allowed in an HTTP header name (RFC 7230 tchar), as Go's validHeaderFieldByte.
bool is_token_byte(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Go's server hands the handler the peer as "host:port" and the app keeps the host part.
std::string strip_port(const std::string& address) {
  std::string_view host = http::host_without_port(address);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::string(host);  // an IPv6 address without its brackets
}

// A pod's hostname is its name cut to 63 characters (a DNS label), without a trailing '-'/'.'.
std::string pod_hostname(const std::string& name) {
  if (name.size() <= 63) return name;
  std::string host = name.substr(0, 63);
  while (!host.empty() && (host.back() == '-' || host.back() == '.')) host.pop_back();
  return host;
}

void line(std::string& out, const char* field, const std::string& value) {
  out += field;
  out += '=';
  out += value;
  out += '\n';
}

void line_if(std::string& out, const char* field, const std::string& value) {
  if (!value.empty()) line(out, field, value);
}

}  // namespace

std::string canonical_header_key(std::string_view key) {
  for (unsigned char c : key)
    if (!is_token_byte(c)) return std::string(key);
  std::string out(key);
  bool upper = true;
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
    else if (!upper && c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    upper = c == '-';
  }
  return out;
}

std::string echo_body(const EchoPod& pod, const EchoRequest& request, int /*status*/) {
  std::string out;
  line(out, "ServiceVersion", pod.version);
  line(out, "ServicePort", pod.port == 0 ? std::string() : std::to_string(pod.port));
  line(out, "Host", request.authority);
  line(out, "URL", request.path);  // the raw request target, unnormalised, as the app does
  line_if(out, "Cluster", pod.cluster);
  line_if(out, "IstioVersion", pod.istio_version);
  line_if(out, "Namespace", pod.namespace_);
  line(out, "Method", request.method);
  line(out, "Proto", request.proto);
  line(out, "IP", strip_port(request.client_ip));
  line_if(out, "Alpn", request.alpn);
  line_if(out, "Sni", request.sni);

  // Go's http.Header: keys canonicalised, values of one key kept in arrival order; the app
  // sorts the keys bytewise. Go moves Host to Request.Host and drops Transfer-Encoding from
  // the map; HTTP/2 pseudo-headers never reach it.
  std::map<std::string, std::vector<std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.front() == ':') continue;
    if (iequals(name, "host") || iequals(name, "transfer-encoding")) continue;
    // Go's textproto trims surrounding blanks from values.
    std::size_t b = value.find_first_not_of(" \t"), e = value.find_last_not_of(" \t");
    headers[canonical_header_key(name)].push_back(b == std::string::npos ? std::string()
                                                                         : value.substr(b, e - b + 1));
  }
  for (const auto& [name, values] : headers)
    for (const auto& value : values) line(out, "RequestHeader", name + ":" + value);

  line(out, "Hostname", pod_hostname(pod.name));
  return out;
}

}  // namespace gwsim::fakes
