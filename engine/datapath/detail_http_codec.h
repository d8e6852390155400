// HTTP/1.1 on the wire for the proxy, written by hand: requests and responses serialized into
// one buffer for one write (Beast's serializer costs more than the whole routing decision),
// and parsers that fill gwsim's own types as they go (no Beast header container in between).
// Plays the part of Envoy's source/common/http/http1/codec_impl.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/datapath/asio.h"
#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/text/ascii.h"

namespace gwsim::datapath::detail {

// What the parser holds at most: beyond Envoy's 60 KiB of names and values (which
// http::http1_codec_decode checks, in both modes), with room for the request line, the colons
// and line ends of 100 headers; more is refused with 431 as well.
inline constexpr std::size_t kMaxHeaderBytes = 80 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

// Hop-by-hop headers never copied between connections (the codec writes its own).
bool hop_by_hop(std::string_view name);

void serialize_request(std::string& out, const gwsim::http::UpstreamRequest& up, const std::string& body,
                       std::string_view authority);
void serialize_response(std::string& out, const gwsim::http::Response& r, unsigned version, bool keep_alive,
                        bool head);

// Envoy's answer to a request its HTTP/1 codec could not read (sendProtocolError): 431 for
// headers beyond the parser's limit, 400 otherwise; the status text as body.
gwsim::http::Response codec_error_response(const error_code& ec);

// Parsers that fill gwsim's own types as they go: no Beast header container in between.
class RequestParser final : public http::basic_parser<true> {
 public:
  explicit RequestParser(gwsim::http::Request& out) : out_(out) {}
  std::string body;
  http::verb method = http::verb::unknown;
  unsigned version = 11;

 private:
  void on_request_impl(http::verb m, std::string_view method_text, std::string_view target, int v,
                       error_code&) override {
    method = m;
    version = static_cast<unsigned>(v);
    out_.version = version == 11 ? 11 : 10;  // Envoy treats every version but 1.1 as HTTP/1.0
    out_.method.assign(method_text);
    out_.path.assign(target);
  }
  void on_response_impl(int, std::string_view, int, error_code&) override {}
  void on_field_impl(http::field f, std::string_view name, std::string_view value, error_code&) override {
    if (f == http::field::host) {
      // A repeated Host is appended, as Envoy's header map does (see http1_codec.h).
      if (!out_.host.empty()) out_.host += ',';
      out_.host.append(value);
      return;
    }
    out_.headers.emplace_back(std::string(name), std::string(value));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && *length <= kMaxBodyBytes) body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(std::string_view data, error_code&) override {
    body.append(data);
    return data.size();
  }
  void on_chunk_header_impl(std::uint64_t, std::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view data, error_code&) override {
    body.append(data);
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  gwsim::http::Request& out_;
};

class ResponseParser final : public http::basic_parser<false> {
 public:
  explicit ResponseParser(gwsim::http::UpstreamResponse& out) : out_(out) {}

 private:
  void on_request_impl(http::verb, std::string_view, std::string_view, int, error_code&) override {}
  void on_response_impl(int code, std::string_view, int, error_code&) override { out_.status = code; }
  void on_field_impl(http::field, std::string_view name, std::string_view value, error_code&) override {
    if (!hop_by_hop(name)) out_.headers.emplace_back(text::to_lower(name), std::string(value));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && *length <= kMaxBodyBytes) out_.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(std::string_view data, error_code&) override {
    out_.body.append(data);
    return data.size();
  }
  void on_chunk_header_impl(std::uint64_t, std::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view data, error_code&) override {
    out_.body.append(data);
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  gwsim::http::UpstreamResponse& out_;
};

}  // namespace gwsim::datapath::detail
