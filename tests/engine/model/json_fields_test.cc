// Tolerant reads of a decoded object's fields: absent or mistyped fields read as null or "".
#include "engine/model/json_fields.h"

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

TEST(JsonFields, MemberReadsAPresentFieldAndNullOtherwise) {
  const Json doc = {{"metadata", {{"name", "web"}}}, {"spec", nullptr}};
  EXPECT_EQ(member(member(doc, "metadata"), "name"), "web");
  EXPECT_TRUE(member(doc, "status").is_null());
  EXPECT_TRUE(member(member(doc, "status"), "phase").is_null());  // chains through absence
  EXPECT_TRUE(member(Json::array({1, 2}), "0").is_null());
  EXPECT_TRUE(member(Json("text"), "x").is_null());
}

TEST(JsonFields, StringReadsAreEmptyUnlessTheValueIsAString) {
  const Json doc = {{"name", "web"}, {"port", 80}, {"ready", true}};
  EXPECT_EQ(string_member(doc, "name"), "web");
  EXPECT_EQ(string_member(doc, "port"), "");
  EXPECT_EQ(string_member(doc, "ready"), "");
  EXPECT_EQ(string_member(doc, "missing"), "");
  EXPECT_EQ(string_or_empty(Json("v1")), "v1");
  EXPECT_EQ(string_or_empty(Json(nullptr)), "");
}

}  // namespace
}  // namespace gwsim::model
