// What Envoy's HTTP/1 codec checks and derives on a request before the connection manager sees
// it (source/common/http/http1/codec_impl.cc, ConnectionImpl and ServerConnectionImpl), with the
// settings Istio's gateway has: Envoy's defaults for max_request_headers_kb (60) and
// max_headers_count (100), allow_absolute_url on. Both modes call it: decision mode on the
// request a scenario describes, the proxy on what its parser read (engine/datapath's parser
// already refuses what it cannot read; this is the part both share).
#pragma once

#include <cstddef>
#include <optional>

#include "engine/http/request.h"

namespace gwsim::http {

inline constexpr std::size_t kMaxRequestHeadersBytes = 60 * 1024;  // max_request_headers_kb: 60
inline constexpr std::size_t kMaxRequestHeadersCount = 100;        // max_headers_count: 100

// The size Envoy's codec holds the request's headers to (getHeadersSize): the request target
// plus every header's name and value (the Host included).
std::size_t request_headers_bytes(const Request& request);

// The codec's pass over an HTTP/1 request (version 10 or 11; HTTP/2 requests are left alone):
// - Host lines given among `headers` become the authority; several are joined with ',' as
//   Envoy's header map appends a repeated inline header (HeaderMapImpl::insertByKey);
// - an absolute-form target ("http://a.example.com/p?q") gives the authority (RFC 9112 3.2.2:
//   it replaces any Host) and the path ("/" when it has none); any other target that does not
//   start with '/' (nor is "*") is 400 http1.invalid_url;
// - more than 100 headers: 431 http1.too_many_headers; more than 60 KiB: 431
//   http1.headers_too_large;
// - a Transfer-Encoding other than "chunked": 501 http1.invalid_transfer_encoding (RFC 9112 6.1:
//   a coding the server does not understand), and with a Content-Length beside it: 400
//   http1.content_length_not_allowed (allow_chunked_length is off).
// Returns the refusal, or nullopt with `request` as the codec hands it on.
std::optional<RequestRejection> http1_codec_decode(Request& request);

}  // namespace gwsim::http
