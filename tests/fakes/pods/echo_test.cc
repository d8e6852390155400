#include "fakes/pods/echo.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

EchoPod v1_pod() {
  EchoPod pod;
  pod.name = "k8s-combat-service-v1-7d4b9c8f5-x2k9p";
  pod.namespace_ = "default";
  pod.version = "v1";
  pod.port = 8081;
  return pod;
}

TEST(Echo, BodyHasTheEchoAppLinesInOrder) {
  EchoRequest request;
  request.method = "GET";
  request.authority = "www.service1.io";
  request.path = "/ping?x=1";
  request.client_ip = "127.0.0.1:40112";
  request.headers = {
      {"user-agent", "curl/8.0"}, {"x-forwarded-proto", "http"}, {"accept", "*/*"}, {"x-request-id", "abc"}};
  EXPECT_EQ(echo_body(v1_pod(), request),
            "ServiceVersion=v1\n"
            "ServicePort=8081\n"
            "Host=www.service1.io\n"
            "URL=/ping?x=1\n"
            "Namespace=default\n"
            "Method=GET\n"
            "Proto=HTTP/1.1\n"
            "IP=127.0.0.1\n"
            "RequestHeader=Accept:*/*\n"
            "RequestHeader=User-Agent:curl/8.0\n"
            "RequestHeader=X-Forwarded-Proto:http\n"
            "RequestHeader=X-Request-Id:abc\n"
            "Hostname=k8s-combat-service-v1-7d4b9c8f5-x2k9p\n");
}

TEST(Echo, OptionalFieldsOnlyWhenSet) {
  EchoPod pod = v1_pod();
  pod.namespace_.clear();
  pod.version.clear();
  pod.cluster = "cluster-1";
  pod.istio_version = "1.27.0";
  EchoRequest request;
  request.authority = "a.example.com";
  request.proto = "HTTP/2.0";
  request.client_ip = "127.1.0.9";
  request.alpn = "h2";
  request.sni = "a.example.com";
  EXPECT_EQ(echo_body(pod, request, 503),
            "ServiceVersion=\n"
            "ServicePort=8081\n"
            "Host=a.example.com\n"
            "URL=/\n"
            "Cluster=cluster-1\n"
            "IstioVersion=1.27.0\n"
            "Method=GET\n"
            "Proto=HTTP/2.0\n"
            "IP=127.1.0.9\n"
            "Alpn=h2\n"
            "Sni=a.example.com\n"
            "Hostname=k8s-combat-service-v1-7d4b9c8f5-x2k9p\n");
}

TEST(Echo, HeadersAreGroupedSortedAndFilteredLikeGo) {
  EchoRequest request;
  request.authority = "h";
  request.client_ip = "[::1]:5555";
  request.headers = {{"x-b", "2"},           {":authority", "h"}, {"Host", "h"},
                     {"X-A", "first"},       {"x-a", " second "}, {"transfer-encoding", "chunked"},
                     {"content-length", "0"}};
  std::string body = echo_body(v1_pod(), request);
  EXPECT_NE(body.find("IP=::1\n"), std::string::npos);
  EXPECT_NE(body.find("RequestHeader=Content-Length:0\n"
                      "RequestHeader=X-A:first\n"
                      "RequestHeader=X-A:second\n"
                      "RequestHeader=X-B:2\n"
                      "Hostname="),
            std::string::npos)
      << body;
  EXPECT_EQ(body.find("RequestHeader=Host"), std::string::npos);
  EXPECT_EQ(body.find("Transfer-Encoding"), std::string::npos);
  EXPECT_EQ(body.find(":authority"), std::string::npos);
}

TEST(Echo, HostnameIsThePodNameCutToADnsLabel) {
  EchoPod pod = v1_pod();
  pod.name = std::string(62, 'a') + "-bcdef";
  std::string body = echo_body(pod, EchoRequest{});
  EXPECT_NE(body.find("\nHostname=" + std::string(62, 'a') + "\n"), std::string::npos) << body;
}

TEST(Echo, CanonicalHeaderKey) {
  EXPECT_EQ(canonical_header_key("x-forwarded-proto"), "X-Forwarded-Proto");
  EXPECT_EQ(canonical_header_key("X-FORWARDED-FOR"), "X-Forwarded-For");
  EXPECT_EQ(canonical_header_key("x-envoy-attempt-count"), "X-Envoy-Attempt-Count");
  EXPECT_EQ(canonical_header_key("x_custom"), "X_custom");
  EXPECT_EQ(canonical_header_key("bad header"), "bad header");
  EXPECT_EQ(canonical_header_key(""), "");
}

}  // namespace
}  // namespace gwsim::fakes
