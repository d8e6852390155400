#include "engine/model/object.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"

namespace gwsim::model {
namespace {

Object load_one(const std::string& yaml) {
  auto load = load_manifest_text(yaml, "obj.yaml");
  EXPECT_FALSE(load.has_errors());
  EXPECT_EQ(load.objects.size(), 1u);
  return load.objects.empty() ? Object{} : load.objects.front();
}

TEST(ObjectTest, AccessorsReadTheDocument) {
  Object o = load_one(
      "apiVersion: networking.istio.io/v1beta1\n"
      "kind: VirtualService\n"
      "metadata:\n"
      "  name: reviews\n"
      "  namespace: bookinfo\n");
  EXPECT_EQ(o.api_version(), "networking.istio.io/v1beta1");
  EXPECT_EQ(o.kind(), "VirtualService");
  EXPECT_EQ(o.name(), "reviews");
  EXPECT_EQ(o.namespace_(), "bookinfo");
  EXPECT_EQ(o.group(), "networking.istio.io");
  EXPECT_EQ(describe(o), "VirtualService bookinfo/reviews");
}

TEST(ObjectTest, CoreGroupAndClusterScopedDescription) {
  Object o = load_one("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  EXPECT_EQ(o.group(), "");
  EXPECT_EQ(o.namespace_(), "");
  EXPECT_EQ(describe(o), "Namespace shop");
}

TEST(ObjectTest, PositionOfFallsBackToNearestKnownParent) {
  Object o = load_one(
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata:\n"
      "  name: web\n"
      "spec:\n"
      "  ports:\n"
      "  - port: 80\n");
  EXPECT_EQ(o.where("/spec/ports/0/port"), "obj.yaml:7:5");
  // targetPort is not written: the nearest parent that is, the port entry, is named.
  EXPECT_EQ(o.where("/spec/ports/0/targetPort"), "obj.yaml:7:5");
  EXPECT_EQ(o.where("/spec"), "obj.yaml:5:1");
  EXPECT_EQ(o.where("/nothing/here"), "obj.yaml:1:1");
}

TEST(ObjectTest, PositionWithoutAnyMapIsTheSource) {
  Object o;
  o.source = SourcePos{"inline", 3, 7};
  EXPECT_EQ(o.where("/spec/x"), "inline:3:7");
  Object unknown;
  EXPECT_EQ(unknown.where("/spec"), "");
}

TEST(ObjectTest, SourcePosToString) {
  EXPECT_EQ((SourcePos{"a.yaml", 2, 5}).to_string(), "a.yaml:2:5");
  EXPECT_EQ((SourcePos{"a.yaml", 2, 0}).to_string(), "a.yaml:2:1");
  EXPECT_EQ((SourcePos{"a.yaml", 0, 0}).to_string(), "a.yaml");
  EXPECT_EQ((SourcePos{}).to_string(), "");
  EXPECT_FALSE((SourcePos{"a.yaml", 0, 0}).known());
}

TEST(ObjectTest, JsonPointerEscapesSlashAndTilde) {
  EXPECT_EQ(json_pointer({"spec", "http", 0, "route"}), "/spec/http/0/route");
  EXPECT_EQ(json_pointer({"metadata", "labels", "app.kubernetes.io/name"}), "/metadata/labels/app.kubernetes.io~1name");
  EXPECT_EQ(json_pointer({"a~b"}), "/a~0b");
}

TEST(ObjectTest, PositionsOfKeysWithSlashesUseEscapedPointers) {
  Object o = load_one(
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: p\n"
      "  labels:\n"
      "    app.kubernetes.io/name: web\n");
  EXPECT_EQ(o.where(json_pointer({"metadata", "labels", "app.kubernetes.io/name"})), "obj.yaml:6:5");
}

}  // namespace
}  // namespace gwsim::model
