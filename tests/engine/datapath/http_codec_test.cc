#include "engine/datapath/detail_http_codec.h"

#include <gtest/gtest.h>

namespace gwsim::datapath::detail {
namespace {

TEST(DatapathHttpCodec, AResponseIsWrittenWithItsLengthAndWithoutHopByHopHeaders) {
  gwsim::http::Response r;
  r.status = 503;
  r.headers = {{"content-length", "999"}, {"connection", "keep-alive"}, {"server", "istio-envoy"}};
  r.body = "no healthy upstream";
  std::string out;
  serialize_response(out, r, 11, false, false);
  EXPECT_EQ(out,
            "HTTP/1.1 503 Service Unavailable\r\nserver: istio-envoy\r\ncontent-length: 19\r\nconnection: close\r\n\r\n"
            "no healthy upstream");
  serialize_response(out, r, 10, true, true);  // HTTP/1.0 keep-alive, HEAD: no body
  EXPECT_EQ(out, "HTTP/1.0 503 Service Unavailable\r\nserver: istio-envoy\r\ncontent-length: 19\r\n"
                 "connection: keep-alive\r\n\r\n");
}

TEST(DatapathHttpCodec, ARequestCarriesItsAuthorityAndNoCrLfInjection) {
  const gwsim::http::UpstreamRequest up{
      .method = "POST", .path = "/p", .headers = {{"x-a", "1\r\nx-evil: 2"}, {"transfer-encoding", "chunked"}}};
  std::string out;
  serialize_request(out, up, "hi", "a.example.com");
  EXPECT_EQ(out, "POST /p HTTP/1.1\r\nhost: a.example.com\r\nx-a: 1x-evil: 2\r\ncontent-length: 2\r\n\r\nhi");
}

TEST(DatapathHttpCodec, HopByHopNamesIgnoreCase) {
  EXPECT_TRUE(hop_by_hop("Connection"));
  EXPECT_TRUE(hop_by_hop("content-length"));
  EXPECT_FALSE(hop_by_hop("x-forwarded-for"));
}

// Parses `wire` (one whole request) into `out`; the parser's error.
error_code parse(std::string_view wire, gwsim::http::Request& out) {
  RequestParser parser(out);
  parser.header_limit(kMaxHeaderBytes);
  parser.eager(true);
  error_code ec;
  parser.put(asio::buffer(wire.data(), wire.size()), ec);
  return ec;
}

TEST(DatapathHttpCodec, RepeatedHostLinesAreJoinedAndTheVersionKept) {
  gwsim::http::Request r;
  EXPECT_FALSE(parse("GET /p HTTP/1.0\r\nHost: a.example.com\r\nHost: b.example.com\r\n\r\n", r));
  EXPECT_EQ(r.host, "a.example.com,b.example.com");
  EXPECT_EQ(r.version, 10u);
  gwsim::http::Request r11;
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", r11));
  EXPECT_EQ(r11.version, 11u);
}

// Envoy's codec answers what it cannot read with its status text (sendProtocolError).
TEST(DatapathHttpCodec, UnreadableRequestsGetEnvoysCodecStatus) {
  gwsim::http::Request r;
  const std::string huge = "GET / HTTP/1.1\r\nHost: a\r\nx-big: " + std::string(kMaxHeaderBytes, 'v') + "\r\n\r\n";
  error_code ec = parse(huge, r);
  EXPECT_EQ(ec, http::error::header_limit);
  gwsim::http::Response too_large = codec_error_response(ec);
  EXPECT_EQ(too_large.status, 431);
  EXPECT_EQ(too_large.body, "Request Header Fields Too Large");
  // Content-Length beside chunked: Envoy's http1.content_length_not_allowed.
  gwsim::http::Request both;
  ec = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", both);
  EXPECT_TRUE(ec);
  EXPECT_EQ(codec_error_response(ec).status, 400);
  gwsim::http::Response bad = codec_error_response(http::make_error_code(http::error::bad_version));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, "Bad Request");
}

}  // namespace
}  // namespace gwsim::datapath::detail
