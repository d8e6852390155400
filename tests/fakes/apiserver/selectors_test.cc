#include "fakes/apiserver/selectors.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

LabelSelector labels(const std::string& text) {
  auto s = LabelSelector::parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.error().message;
  return s.ok() ? *s : LabelSelector();
}

const Json kWeb = {{"app", "web"}, {"tier", "front"}};

TEST(LabelSelectorTest, EmptySelectsEverything) {
  EXPECT_TRUE(labels("").empty());
  EXPECT_TRUE(labels("").matches(kWeb));
  EXPECT_TRUE(labels("  ").matches(nullptr));
}

TEST(LabelSelectorTest, Equality) {
  EXPECT_TRUE(labels("app=web").matches(kWeb));
  EXPECT_TRUE(labels("app==web").matches(kWeb));
  EXPECT_FALSE(labels("app=api").matches(kWeb));
  EXPECT_FALSE(labels("app=web").matches(nullptr));
  EXPECT_TRUE(labels("app=web,tier=front").matches(kWeb));
  EXPECT_FALSE(labels("app=web,tier=back").matches(kWeb));
}

TEST(LabelSelectorTest, InequalityMatchesMissingLabels) {
  EXPECT_TRUE(labels("app!=api").matches(kWeb));
  EXPECT_FALSE(labels("app!=web").matches(kWeb));
  EXPECT_TRUE(labels("version!=v1").matches(kWeb));  // missing label: selected, as in Kubernetes
}

TEST(LabelSelectorTest, ExistenceAndSets) {
  EXPECT_TRUE(labels("app").matches(kWeb));
  EXPECT_FALSE(labels("version").matches(kWeb));
  EXPECT_TRUE(labels("!version").matches(kWeb));
  EXPECT_FALSE(labels("!app").matches(kWeb));
  EXPECT_TRUE(labels("app in (api, web)").matches(kWeb));
  EXPECT_FALSE(labels("app in (api)").matches(kWeb));
  EXPECT_TRUE(labels("app notin (api)").matches(kWeb));
  EXPECT_FALSE(labels("app notin (web,api)").matches(kWeb));
  EXPECT_TRUE(labels("version notin (v1)").matches(kWeb));
  EXPECT_TRUE(labels("app in (web),tier,!version").matches(kWeb));
  EXPECT_TRUE(labels("app.kubernetes.io/name").matches(Json{{"app.kubernetes.io/name", "x"}}));
}

TEST(LabelSelectorTest, RefusesGarbage) {
  EXPECT_FALSE(LabelSelector::parse("app in (web").ok());
  EXPECT_FALSE(LabelSelector::parse("app=web,").ok());
  EXPECT_FALSE(LabelSelector::parse("a b=c").ok());
  EXPECT_FALSE(LabelSelector::parse("app maybe (web)").ok());
  auto e = LabelSelector::parse("=web");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("unable to parse requirement"), std::string::npos);
}

TEST(FieldSelectorTest, NameAndNamespace) {
  const Json pod = {{"metadata", {{"name", "web"}, {"namespace", "shop"}}}, {"status", {{"phase", "Running"}}}};
  auto by_name = FieldSelector::parse("metadata.name=web", "", "Pod");
  ASSERT_TRUE(by_name.ok());
  EXPECT_TRUE(by_name->matches(pod));
  auto other = FieldSelector::parse("metadata.name==api", "", "Pod");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->matches(pod));
  auto not_shop = FieldSelector::parse("metadata.namespace!=shop", "", "Pod");
  ASSERT_TRUE(not_shop.ok());
  EXPECT_FALSE(not_shop->matches(pod));
  auto both = FieldSelector::parse("metadata.name=web,status.phase=Running", "", "Pod");
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->matches(pod));
  // A missing field compares as empty.
  auto node = FieldSelector::parse("spec.nodeName=", "", "Pod");
  ASSERT_TRUE(node.ok());
  EXPECT_TRUE(node->matches(pod));
}

TEST(FieldSelectorTest, RefusesFieldsTheKindDoesNotSupport) {
  auto e = FieldSelector::parse("spec.hosts=a", "networking.istio.io", "VirtualService");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "field label not supported: spec.hosts");
  EXPECT_TRUE(FieldSelector::parse("metadata.name=a", "networking.istio.io", "VirtualService").ok());
  EXPECT_TRUE(FieldSelector::parse("type=Opaque", "", "Secret").ok());
  EXPECT_FALSE(FieldSelector::parse("status.phase=Running", "apps", "Deployment").ok());
  EXPECT_FALSE(FieldSelector::parse("metadata.name", "", "Pod").ok());
}

TEST(SelectorsTest, BothMustMatch) {
  Selectors s;
  s.labels = labels("app=web");
  s.fields = *FieldSelector::parse("metadata.name=a", "", "Pod");
  EXPECT_TRUE(s.matches({{"metadata", {{"name", "a"}, {"labels", {{"app", "web"}}}}}}));
  EXPECT_FALSE(s.matches({{"metadata", {{"name", "b"}, {"labels", {{"app", "web"}}}}}}));
  EXPECT_FALSE(s.matches({{"metadata", {{"name", "a"}}}}));
}

}  // namespace
}  // namespace gwsim::fakes
