#include "runtime/http_client.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "engine/text/ascii.h"

namespace gwsim::runtime {

namespace {

namespace asio = datapath::asio;
namespace beast = datapath::beast;
namespace http = datapath::http;
namespace ssl = datapath::ssl;
using datapath::error_code;
using datapath::tcp;

using asio::awaitable;
using asio::use_awaitable;

std::pair<std::string, unsigned short> split_address(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return {address, 0};
  return {address.substr(0, colon), static_cast<unsigned short>(std::atoi(address.c_str() + colon + 1))};
}

// Close with a reset: no TIME_WAIT on our side.
void abort_close(tcp::socket& s) {
  error_code ec;
  if (!s.is_open()) return;
  s.set_option(asio::socket_base::linger(true, 0), ec);
  s.close(ec);
}

template <class Stream>
awaitable<void> http_exchange(Stream& stream, const ClientRequest& request, ClientResponse& out) {
  http::request<http::string_body> req;
  req.version(11);
  req.method_string(request.method);
  req.target(request.path);
  if (!request.host.empty()) req.set(http::field::host, request.host);
  for (const auto& [k, v] : request.headers) req.insert(k, v);
  req.body() = request.body;
  if (!req.body().empty()) req.content_length(req.body().size());
  error_code ec;
  co_await http::async_write(stream, req, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    out.kind = ec == beast::error::timeout ? ClientResponse::Kind::kError : ClientResponse::Kind::kClosed;
    out.error = "write: " + ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (request.method == "HEAD") parser.skip(true);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    out.kind = ec == beast::error::timeout ? ClientResponse::Kind::kError : ClientResponse::Kind::kClosed;
    out.error = "read: " + ec.message();
    co_return;
  }
  auto& res = parser.get();
  out.kind = ClientResponse::Kind::kResponse;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.emplace_back(text::to_lower(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(res.body());
}

awaitable<void> run(const ClientRequest& request, ClientResponse& out) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  error_code ec;
  auto [ip, port] = split_address(request.address);
  auto address = asio::ip::make_address(ip, ec);
  if (ec || port == 0) {
    out.error = "bad address " + request.address;
    co_return;
  }
  tcp::socket& s = stream.socket();
  s.open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
  if (ec) {
    out.error = "socket: " + ec.message();
    co_return;
  }
  if (!request.source_ip.empty()) {
    auto source = asio::ip::make_address(request.source_ip, ec);
    if (!ec) s.bind(tcp::endpoint(source, 0), ec);
    if (ec) {
      out.error = "cannot send from " + request.source_ip + ": " + ec.message();
      co_return;
    }
  }
  stream.expires_after(request.timeout);
  co_await stream.async_connect(tcp::endpoint(address, port), asio::redirect_error(use_awaitable, ec));
  if (ec) {
    out.kind = ec == asio::error::connection_refused ? ClientResponse::Kind::kRefused : ClientResponse::Kind::kError;
    out.error = "connect: " + ec.message();
    co_return;
  }
  s.set_option(tcp::no_delay(true), ec);
  auto local = s.local_endpoint(ec);
  out.local = local.address().to_string() + ":" + std::to_string(local.port());

  if (!request.tls) {
    co_await http_exchange(stream, request, out);
    abort_close(stream.socket());
    co_return;
  }
  if (!request.tls_context) {
    out.error = "tls without a context";
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *request.tls_context);
  if (!request.sni.empty()) SSL_set_tlsext_host_name(secure.native_handle(), request.sni.c_str());
  co_await secure.async_handshake(ssl::stream_base::client, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    out.kind = ec == beast::error::timeout ? ClientResponse::Kind::kError : ClientResponse::Kind::kClosed;
    out.error = "handshake: " + ec.message();
    abort_close(beast::get_lowest_layer(secure).socket());
    co_return;
  }
  co_await http_exchange(secure, request, out);
  abort_close(beast::get_lowest_layer(secure).socket());
}

}  // namespace

const std::string* ClientResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return &v;
  return nullptr;
}

ClientResponse send_request(const ClientRequest& request) {
  ClientResponse out;
  asio::io_context ctx{1};
  asio::co_spawn(ctx, run(request, out), asio::detached);
  for (int i = 0; i < 1000 && !ctx.stopped(); ++i) {  // run() returns when the exchange is done
    try {
      ctx.run();
    } catch (...) {
      out.kind = ClientResponse::Kind::kError;
      out.error = "client failure";
      break;
    }
  }
  return out;
}

}  // namespace gwsim::runtime
