// A request as it arrives at the gateway, before any routing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gwsim::match {

struct Request {
  std::uint32_t port = 80;      // the gateway Service port the client connects to
  std::string scheme = "http";  // http | https
  std::string sni;              // TLS server name (https only)
  std::string method = "GET";
  std::string host;             // Host / :authority, may carry ":port"
  std::string path = "/";       // path and query
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, as given
  std::string source_ip = "127.0.0.1";  // the client address
  bool client_certificate = false;      // for MUTUAL TLS servers

  // The first value of a header (case-insensitive name), or nullptr.
  const std::string* header(std::string_view name) const;
};

}  // namespace gwsim::match
