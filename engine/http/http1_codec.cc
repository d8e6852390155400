#include "engine/http/http1_codec.h"

#include <strings.h>

#include <string_view>

namespace gwsim::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// "http://authority/path?query" (scheme case-insensitive): splits it, or false.
bool split_absolute_url(std::string_view target, std::string& authority, std::string& path) {
  std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view scheme = target.substr(0, scheme_end);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return false;
  std::string_view rest = target.substr(scheme_end + 3);
  std::size_t path_start = rest.find_first_of("/?");
  std::string_view host = rest.substr(0, path_start);
  if (host.empty() || host.find('@') != std::string_view::npos) return false;  // no userinfo in HTTP
  authority.assign(host);
  std::string_view tail = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  path.clear();
  if (tail.empty() || tail.front() != '/') path.push_back('/');
  path.append(tail);
  return true;
}

}  // namespace

std::size_t request_headers_bytes(const Request& request) {
  std::size_t bytes = request.path.size();
  if (!request.host.empty()) bytes += 4 + request.host.size();
  for (const auto& [name, value] : request.headers) bytes += name.size() + value.size();
  return bytes;
}

std::optional<RequestRejection> http1_codec_decode(Request& request) {
  if (request.version != 10 && request.version != 11) return std::nullopt;
  // Host lines: one entry of the header map (:authority), repeated values appended.
  for (auto it = request.headers.begin(); it != request.headers.end();) {
    if (!iequals(it->first, "host")) {
      ++it;
      continue;
    }
    request.host = request.host.empty() ? it->second : request.host + "," + it->second;
    it = request.headers.erase(it);
  }
  const std::size_t count = request.headers.size() + (request.host.empty() ? 0 : 1);
  if (count > kMaxRequestHeadersCount) return RequestRejection{431, "http1.too_many_headers"};
  if (request_headers_bytes(request) > kMaxRequestHeadersBytes) return RequestRejection{431, "http1.headers_too_large"};

  const std::string* transfer_encoding = request.header("transfer-encoding");
  if (transfer_encoding) {
    if (!iequals(*transfer_encoding, "chunked")) return RequestRejection{501, "http1.invalid_transfer_encoding"};
    if (request.header("content-length")) return RequestRejection{400, "http1.content_length_not_allowed"};
  }

  // The request target (ServerConnectionImpl::handlePath).
  if (!request.path.empty() && (request.path.front() == '/' || (request.method == "OPTIONS" && request.path == "*")))
    return std::nullopt;
  std::string authority, path;
  if (!split_absolute_url(request.path, authority, path)) return RequestRejection{400, "http1.invalid_url"};
  request.host = std::move(authority);
  request.path = std::move(path);
  return std::nullopt;
}

}  // namespace gwsim::http
