#include "engine/http/http1_codec.h"

#include <gtest/gtest.h>

namespace gwsim::http {
namespace {

Request codec_get(std::string host, std::string path = "/") {
  Request r;
  r.host = std::move(host);
  r.path = std::move(path);
  return r;
}

// Envoy's header map appends a repeated inline header to the first (HeaderMapImpl::insertByKey,
// delimiter ','): two Host lines make one authority that names neither host.
TEST(Http1Codec, RepeatedHostLinesBecomeOneAuthorityJoinedWithAComma) {
  Request r = codec_get("");
  r.headers = {{"Host", "a.example.com"}, {"x-a", "1"}, {"host", "b.example.com"}};
  EXPECT_EQ(http1_codec_decode(r), std::nullopt);
  EXPECT_EQ(r.host, "a.example.com,b.example.com");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "x-a");
}

// ServerConnectionImpl::handlePath with allow_absolute_url: RFC 9112 3.2.2, the target's
// authority replaces the Host header.
TEST(Http1Codec, AnAbsoluteFormTargetGivesTheAuthorityAndThePath) {
  Request r = codec_get("ignored.example.com", "http://www.service1.io:80/ping?x=1");
  EXPECT_EQ(http1_codec_decode(r), std::nullopt);
  EXPECT_EQ(r.host, "www.service1.io:80");
  EXPECT_EQ(r.path, "/ping?x=1");

  Request bare = codec_get("", "HTTPS://a.example.com");
  EXPECT_EQ(http1_codec_decode(bare), std::nullopt);
  EXPECT_EQ(bare.host, "a.example.com");
  EXPECT_EQ(bare.path, "/");
}

TEST(Http1Codec, ATargetThatIsNeitherAPathNorAnAbsoluteUrlIs400) {
  for (const char* target : {"ping", "ftp://a.example.com/", "http:///nohost", "http://user@a.example.com/"}) {
    Request r = codec_get("a", target);
    auto rejected = http1_codec_decode(r);
    ASSERT_TRUE(rejected) << target;
    EXPECT_EQ(rejected->status, 400);
    EXPECT_EQ(rejected->details, "http1.invalid_url");
  }
  Request options = codec_get("a", "*");
  options.method = "OPTIONS";
  EXPECT_EQ(http1_codec_decode(options), std::nullopt);
}

// ConnectionImpl::completeLastHeader: max_headers_count (default 100) counts every header,
// the Host included.
TEST(Http1Codec, MoreThan100HeadersIs431) {
  Request r = codec_get("a");
  for (int i = 0; i < 99; ++i) r.headers.emplace_back("x-h" + std::to_string(i), "v");
  EXPECT_EQ(http1_codec_decode(r), std::nullopt);  // 99 + Host = 100
  r.headers.emplace_back("x-one-more", "v");
  auto rejected = http1_codec_decode(r);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 431);
  EXPECT_EQ(rejected->details, "http1.too_many_headers");
}

// ConnectionImpl::checkMaxHeadersSize: the target plus names and values over
// max_request_headers_kb (default 60).
TEST(Http1Codec, HeadersOver60KiBAre431) {
  Request r = codec_get("a");  // 4 + 1 bytes, and the path's 1
  r.headers = {{"x-big", std::string(kMaxRequestHeadersBytes - 6 - 5, 'v')}};
  EXPECT_EQ(request_headers_bytes(r), kMaxRequestHeadersBytes);
  EXPECT_EQ(http1_codec_decode(r), std::nullopt);
  r.headers[0].second += 'v';
  auto rejected = http1_codec_decode(r);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 431);
  EXPECT_EQ(rejected->details, "http1.headers_too_large");
}

// ConnectionImpl::onHeadersCompleteBase: a transfer coding other than chunked is 501
// (RFC 9112 6.1); ServerConnectionImpl::onHeadersComplete: chunked with a Content-Length is 400.
TEST(Http1Codec, ATransferCodingOtherThanChunkedIs501) {
  for (const char* coding : {"xchunked", "gzip, chunked", "identity"}) {
    Request r = codec_get("a");
    r.method = "POST";
    r.headers = {{"Transfer-Encoding", coding}};
    auto rejected = http1_codec_decode(r);
    ASSERT_TRUE(rejected) << coding;
    EXPECT_EQ(rejected->status, 501);
    EXPECT_EQ(rejected->details, "http1.invalid_transfer_encoding");
  }
  Request chunked = codec_get("a");
  chunked.headers = {{"transfer-encoding", "Chunked"}};
  EXPECT_EQ(http1_codec_decode(chunked), std::nullopt);
  chunked.headers.emplace_back("content-length", "3");
  auto both = http1_codec_decode(chunked);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->status, 400);
  EXPECT_EQ(both->details, "http1.content_length_not_allowed");
}

TEST(Http1Codec, Http2RequestsAreNotItsConcern) {
  Request r = codec_get("", "relative");
  r.version = 20;
  r.headers = {{"host", "a"}, {"transfer-encoding", "xchunked"}};
  EXPECT_EQ(http1_codec_decode(r), std::nullopt);
  EXPECT_EQ(r.host, "");
}

}  // namespace
}  // namespace gwsim::http
