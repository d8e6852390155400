// The message registry (engine/analysis/message.h): Istio's types as messages.yaml defines them,
// gwsim's GWS types, Go's formatting of the templates, istioctl's line and URL forms.
#include "engine/analysis/message.h"

#include <gtest/gtest.h>

#include <set>

namespace gwsim::analysis {
namespace {

TEST(MessageTest, IstioTypesAsMessagesYamlDefinesThem) {
  const auto& not_found = message_type("ReferencedResourceNotFound");
  EXPECT_EQ(not_found.code, "IST0101");
  EXPECT_EQ(not_found.level, Level::kError);
  EXPECT_EQ(not_found.template_, "Referenced %s not found: %q");
  EXPECT_EQ(message_type("VirtualServiceIneffectiveMatch").level, Level::kInfo);
  EXPECT_EQ(message_type("GatewayPortNotDefinedOnService").code, "IST0162");
  EXPECT_EQ(message_type("GatewayDuplicateCertificate").code, "IST0138");
  EXPECT_EQ(message_type("ConflictingGateways").level, Level::kError);
  EXPECT_THROW(message_type("NoSuchMessage"), std::out_of_range);
}

TEST(MessageTest, CodesAreUniqueAndNamed) {
  std::set<std::string_view> codes, names;
  int istio = 0, gwsim = 0;
  for (const auto& t : message_types()) {
    EXPECT_TRUE(codes.insert(t.code).second) << t.code;
    EXPECT_TRUE(names.insert(t.name).second) << t.name;
    (t.code.starts_with("IST") ? istio : gwsim)++;
  }
  EXPECT_EQ(istio, 68);  // every entry of messages.yaml at the ported commit
  EXPECT_EQ(gwsim, 4);
}

TEST(MessageTest, FormatsLikeGo) {
  EXPECT_EQ(format_message(message_type("ReferencedResourceNotFound"), {"host", "a\"b"}),
            "Referenced host not found: \"a\\\"b\"");
  EXPECT_EQ(format_message(message_type("ReferencedResourceNotFound"), {"host"}),
            "Referenced host not found: %!q(MISSING)");
  EXPECT_EQ(go_list({"a", "b"}), "[a b]");
  EXPECT_EQ(go_list({}), "[]");
}

TEST(MessageTest, IstioctlLineAndUrls) {
  Message m{&message_type("ReferencedResourceNotFound"), "VirtualService default/x", "shop.yaml:12",
            "Referenced host not found: \"y\""};
  EXPECT_EQ(m.to_string(), "Error [IST0101] (VirtualService default/x shop.yaml:12) Referenced host not found: \"y\"");
  m.reference.clear();
  EXPECT_EQ(m.to_string(), "Error [IST0101] (VirtualService default/x) Referenced host not found: \"y\"");
  EXPECT_EQ(documentation_url(message_type("ReferencedResourceNotFound")),
            "https://istio.io/latest/docs/reference/config/analysis/ist0101/");
  EXPECT_EQ(documentation_url(message_type("UnreachableRoute")), "docs/analysis.md#gws0001");
}

TEST(MessageTest, Levels) {
  EXPECT_EQ(parse_level("warning"), Level::kWarning);
  EXPECT_EQ(parse_level("Error"), Level::kError);
  EXPECT_EQ(parse_level("fatal"), std::nullopt);
  EXPECT_EQ(level_name(Level::kInfo), "Info");
}

}  // namespace
}  // namespace gwsim::analysis
