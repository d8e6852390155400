// Fake pods: which Service ports speak TLS (the pods serve TLS there). The pods on real sockets
// are tested with the runtime's HTTP client (tests/runtime/pod_server_test.cc).
#include "fakes/pods/pod_server.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

TEST(PodSpecs, TlsServicePortNames) {
  model::ServicePort p;
  for (std::string name : {"https", "tls", "https-api", "TLS-x"}) {
    p.name = name;
    EXPECT_TRUE(is_tls_service_port(p)) << name;
  }
  for (std::string name : {"http", "grpc", "httpsx", "tcp"}) {
    p.name = name;
    EXPECT_FALSE(is_tls_service_port(p)) << name;
  }
  p.name = "web";
  p.app_protocol = "https";
  EXPECT_TRUE(is_tls_service_port(p));
}

}  // namespace
}  // namespace gwsim::fakes
