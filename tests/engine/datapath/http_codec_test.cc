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

}  // namespace
}  // namespace gwsim::datapath::detail
