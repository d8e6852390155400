#include "engine/datapath/detail_http_codec.h"

namespace gwsim::datapath::detail {

namespace {

// Header text never carries CR/LF.
void append_clean(std::string& out, std::string_view text) {
  if (text.find('\r') == std::string_view::npos && text.find('\n') == std::string_view::npos) {
    out.append(text);
    return;
  }
  for (char c : text)
    if (c != '\r' && c != '\n') out += c;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  append_clean(out, name);
  out += ": ";
  append_clean(out, value);
  out += "\r\n";
}

bool method_has_body(std::string_view method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

}  // namespace

// Hop-by-hop headers never copied between connections (the codec writes its own).
bool hop_by_hop(std::string_view name) {
  static constexpr std::string_view kNames[] = {"connection", "keep-alive", "transfer-encoding", "content-length",
                                                "proxy-connection", "upgrade"};
  for (auto n : kNames)
    if (beast::iequals(name, n)) return true;
  return false;
}

void serialize_request(std::string& out, const gwsim::http::UpstreamRequest& up, const std::string& body,
                       std::string_view authority) {
  out.clear();
  append_clean(out, up.method);
  out += ' ';
  append_clean(out, up.path);
  out += " HTTP/1.1\r\n";
  append_header(out, "host", authority);
  for (const auto& [k, v] : up.headers)
    if (!hop_by_hop(k)) append_header(out, k, v);
  if (!body.empty() || method_has_body(up.method)) append_header(out, "content-length", std::to_string(body.size()));
  out += "\r\n";
  out += body;
}

void serialize_response(std::string& out, const gwsim::http::Response& r, unsigned version, bool keep_alive, bool head) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  std::string_view reason = http::obsolete_reason(static_cast<http::status>(r.status));
  out += reason.empty() || reason == "<unknown-status>" ? std::string_view("Unknown") : reason;
  out += "\r\n";
  for (const auto& [k, v] : r.headers)
    if (!hop_by_hop(k)) append_header(out, k, v);
  const bool no_body = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  if (!no_body) append_header(out, "content-length", std::to_string(r.body.size()));
  if (!keep_alive)
    out += "connection: close\r\n";
  else if (version == 10)
    out += "connection: keep-alive\r\n";
  out += "\r\n";
  if (!head && !no_body) out += r.body;
}

}  // namespace gwsim::datapath::detail

namespace gwsim::datapath::detail {

gwsim::http::Response codec_error_response(const error_code& ec) {
  gwsim::http::Response r;
  if (ec == http::error::header_limit) {
    r.status = 431;
    r.body = "Request Header Fields Too Large";
  } else {
    // Everything else, Content-Length beside chunked included (Beast's bad_transfer_encoding or
    // bad_content_length; Envoy's http1.content_length_not_allowed). A transfer coding Beast
    // reads but does not know ("xchunked") reaches http::http1_codec_decode: 501.
    r.status = 400;
    r.body = "Bad Request";
  }
  r.headers = {{"content-type", "text/plain"}, {"server", "istio-envoy"}};
  return r;
}

}  // namespace gwsim::datapath::detail
