#include "conformance/world.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

model::ConfigSnapshot with_ports() {
  model::ConfigSnapshot s;
  model::Service svc;
  svc.meta.namespace_ = "default";
  svc.meta.name = "echo";
  auto port = [](const char* name, int number, std::optional<std::string> app = std::nullopt) {
    model::ServicePort p;
    p.name = name;
    p.port = number;
    p.app_protocol = std::move(app);
    return p;
  };
  svc.ports = {port("http", 80),
               port("grpc", 7070),
               port("grpc-web-x", 7071),
               port("http2-a", 81),
               port("GRPC", 7072),
               port("tcp", 82),
               port("http", 83, "kubernetes.io/h2c"),
               port("grpc", 84, "http"),
               port("https", 443)};
  s.services.push_back(svc);
  model::ServiceEntry se;
  se.meta.namespace_ = "default";
  se.meta.name = "external";
  se.ports = {{9000, "GRPC", "g", 0}, {9001, "HTTP", "h", 0}};
  s.service_entries.push_back(se);
  return s;
}

// Istio's setUpstreamProtocol: HTTP/2 for ports whose protocol IsHTTP2 (ConvertProtocol: the
// appProtocol first, else the port name's prefix, case-insensitive).
TEST(UpstreamProtocol, FollowsThePortsProtocol) {
  model::ConfigSnapshot s = with_ports();
  EXPECT_EQ(upstream_protocol(s, "default/echo", 80), "HTTP/1.1");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 7070), "HTTP/2");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 7071), "HTTP/2");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 81), "HTTP/2");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 7072), "HTTP/2");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 82), "HTTP/1.1");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 83), "HTTP/2");
  EXPECT_EQ(upstream_protocol(s, "default/echo", 84), "HTTP/1.1");  // appProtocol wins over the name
  EXPECT_EQ(upstream_protocol(s, "default/external", 9000), "HTTP/2");
  EXPECT_EQ(upstream_protocol(s, "default/external", 9001), "HTTP/1.1");
  EXPECT_EQ(upstream_protocol(s, "default/none", 80), "HTTP/1.1");
}

// The object a step reads is the stored one, after the controllers ran.
TEST(WorldReadObject, ReadsTheStoredObjectOrNothing) {
  World world;
  model::Object service;
  service.doc = model::Json::parse(R"({"apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "echo", "namespace": "default"},
    "spec": {"selector": {"app": "echo"}, "ports": [{"name": "http", "port": 80}]}})");
  ASSERT_TRUE(world.apply({service}).ok());
  ObjectSpec spec;
  spec.api_version = "v1";
  spec.kind = "Service";
  spec.name = "echo";
  auto read = world.read_object(spec);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["spec"]["ports"][0]["port"], 80);
  spec.name = "other";
  EXPECT_FALSE(world.read_object(spec));
}

}  // namespace
}  // namespace gwsim::conformance
