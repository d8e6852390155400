// A small blocking HTTP/1.1 client for the datapath runner and tests: the client in front of
// the live gateway (runtime/live_gateway.h), as curl is in Istio's integration tests. One
// request on a new connection (optionally TLS, with SNI and a client certificate, from a
// chosen loopback source address), every wait bounded by a deadline. The connection is closed
// with a reset after the answer, so thousands of requests leave no TIME_WAIT behind.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/datapath/asio.h"

namespace gwsim::runtime {

struct ClientRequest {
  std::string address;  // "ip:port"
  bool tls = false;
  std::string sni;      // TLS server name; "" sends none
  std::shared_ptr<datapath::ssl::context> tls_context;  // required for tls (see make_client_context)
  std::string source_ip;  // bind the client socket here (loopback only); "" for the default
  std::string method = "GET";
  std::string host;       // Host header; "" sends none
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};  // the whole exchange
};

struct ClientResponse {
  enum class Kind {
    kResponse,  // an HTTP answer
    kRefused,   // the connection was refused
    kClosed,    // accepted, then closed (or the TLS handshake failed) without an answer
    kError,     // anything else (timeout, bad address): see error
  };
  Kind kind = Kind::kError;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;
  std::string local;  // "ip:port" the connection came from (the proxy's downstream_remote)
  std::string error;
  const std::string* header(std::string_view name) const;
};

ClientResponse send_request(const ClientRequest& request);

}  // namespace gwsim::runtime
