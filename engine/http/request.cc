#include "engine/http/request.h"

#include <strings.h>

namespace gwsim::http {

const std::string* Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  }
  return nullptr;
}

std::string_view host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(':') == colon) return host.substr(0, colon);
  return host;
}

std::string server_name(const Request& request) {
  if (request.scheme != "https") return {};
  return request.sni.empty() ? std::string(host_without_port(request.host)) : request.sni;
}

}  // namespace gwsim::http
