#include "fakes/apiserver/protobuf.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace gwsim::fakes {
namespace {

// A tiny protobuf writer for the test messages.
std::string varint(std::uint64_t n) {
  std::string out;
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  return out;
}
std::string field(int number, const std::string& bytes) { return varint(static_cast<std::uint64_t>(number) << 3 | 2) + varint(bytes.size()) + bytes; }
std::string number(int n, std::uint64_t value) { return varint(static_cast<std::uint64_t>(n) << 3) + varint(value); }
std::string entry(const std::string& key, const std::string& value) { return field(1, key) + field(2, value); }

std::string envelope(const std::string& api_version, const std::string& kind, const std::string& raw) {
  const std::string type_meta = field(1, api_version) + field(2, kind);
  return std::string("k8s\0", 4) + field(1, type_meta) + field(2, raw) + field(3, "") + field(4, "");
}

// ObjectMeta: name 1, namespace 3, creationTimestamp 8 (Time: seconds 1), labels 11.
std::string meta(const std::string& name, const std::string& labels = "") {
  return field(1, name) + field(2, "") + field(3, "") + field(8, "") + labels;
}

TEST(ProtobufTest, NamespaceAsKubectlCreateNamespaceSendsIt) {
  const std::string raw = field(1, meta("shop", field(11, entry("team", "a")))) + field(2, "") + field(3, "");
  auto r = decode_kubernetes_protobuf(envelope("v1", "Namespace", raw));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, Json::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"team":"a"}}})"));
}

TEST(ProtobufTest, ConfigMapKeepsEmptyMapValues) {
  const std::string raw = field(1, meta("cfg")) + field(2, entry("a", "b")) + field(2, entry("c", ""));
  auto r = decode_kubernetes_protobuf(envelope("v1", "ConfigMap", raw));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["data"], Json({{"a", "b"}, {"c", ""}}));
}

TEST(ProtobufTest, SecretBytesAreBase64) {
  const std::string raw = field(1, meta("s")) + field(2, entry("pw", "secret")) + field(3, "Opaque");
  auto r = decode_kubernetes_protobuf(envelope("v1", "Secret", raw));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["data"]["pw"], "c2VjcmV0");
  EXPECT_EQ((*r)["type"], "Opaque");
}

TEST(ProtobufTest, DeploymentWithNestedMessagesAndZeroReplicas) {
  // DeploymentSpec: replicas 1, selector 2 (LabelSelector: matchLabels 1), template 3
  // (PodTemplateSpec: metadata 1, spec 2 (PodSpec: containers 2 (Container: name 1, image 2,
  // ports 6 (ContainerPort: containerPort 3)))).
  const std::string container = field(1, "web") + field(2, "nginx:1") + field(6, number(3, 8080));
  const std::string pod_spec = field(2, container) + field(10, "");  // 10: an empty string field
  const std::string tmpl = field(1, meta("", field(11, entry("app", "web")))) + field(2, pod_spec);
  const std::string spec = number(1, 0) + field(2, field(1, entry("app", "web"))) + field(3, tmpl);
  auto r = decode_kubernetes_protobuf(envelope("apps/v1", "Deployment", field(1, meta("web")) + field(2, spec)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Json& s = (*r)["spec"];
  EXPECT_EQ(s["replicas"], 0);  // a pointer field: zero means zero
  EXPECT_EQ(s["selector"]["matchLabels"]["app"], "web");
  EXPECT_EQ(s["template"]["metadata"], Json({{"labels", {{"app", "web"}}}}));
  EXPECT_EQ(s["template"]["spec"]["containers"],
            Json::parse(R"([{"name":"web","image":"nginx:1","ports":[{"containerPort":8080}]}])"));
}

TEST(ProtobufTest, IntOrStringQuantityAndTime) {
  // ServicePort: name 1, port 3, targetPort 4 (IntOrString: type 1, intVal 2, strVal 3).
  const std::string by_number = field(1, "http") + number(3, 80) + field(4, number(1, 0) + number(2, 8080));
  const std::string by_name = field(1, "grpc") + number(3, 90) + field(4, number(1, 1) + field(3, "grpc-port"));
  auto r = decode_kubernetes_protobuf(
      envelope("v1", "Service", field(1, meta("web")) + field(2, field(1, by_number) + field(1, by_name))));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["spec"]["ports"][0]["targetPort"], 8080);
  EXPECT_EQ((*r)["spec"]["ports"][1]["targetPort"], "grpc-port");

  // Container resources: ResourceRequirements (8) limits 1: map<string, Quantity (string 1)>.
  const std::string container = field(1, "a") + field(8, field(1, entry("cpu", field(1, "100m"))));
  // ObjectMeta.creationTimestamp (8): Time seconds 1.
  const std::string m = field(1, "p") + field(8, number(1, 1767225600));
  auto pod = decode_kubernetes_protobuf(envelope("v1", "Pod", field(1, m) + field(2, field(2, container))));
  ASSERT_TRUE(pod.ok()) << pod.error().message;
  EXPECT_EQ((*pod)["spec"]["containers"][0]["resources"]["limits"]["cpu"], "100m");
  EXPECT_EQ((*pod)["metadata"]["creationTimestamp"], "2026-01-01T00:00:00Z");
}

TEST(ProtobufTest, UnknownFieldsAreSkipped) {
  const std::string raw = field(1, meta("shop") + field(99, "future")) + number(77, 5);
  auto r = decode_kubernetes_protobuf(envelope("v1", "Namespace", raw));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["metadata"], Json({{"name", "shop"}}));
}

TEST(ProtobufTest, Refusals) {
  EXPECT_FALSE(decode_kubernetes_protobuf("{\"kind\":\"Namespace\"}").ok());
  EXPECT_FALSE(decode_kubernetes_protobuf(envelope("networking.istio.io/v1", "VirtualService", "")).ok());
  EXPECT_FALSE(decode_kubernetes_protobuf(envelope("v1", "Widget", "")).ok());
  std::string truncated = envelope("v1", "Namespace", field(1, meta("shop")));
  truncated.resize(truncated.size() - 3);
  EXPECT_FALSE(decode_kubernetes_protobuf(truncated).ok());
}

}  // namespace
}  // namespace gwsim::fakes
