#include "engine/jwt/base64url.h"

#include <gtest/gtest.h>

namespace gwsim::jwt {
namespace {

TEST(Base64Url, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64Url, DecodesWithOrWithoutPadding) {
  EXPECT_EQ(base64url_decode("Zm8").value(), "fo");
  EXPECT_EQ(base64url_decode("Zm8=").value(), "fo");
  EXPECT_EQ(base64url_decode("-_8").value(), "\xfb\xff");
  EXPECT_EQ(base64url_decode("eyJhbGciOiJSUzI1NiJ9").value(), "{\"alg\":\"RS256\"}");
}

TEST(Base64Url, RefusesOtherAlphabetsAndImpossibleLengths) {
  EXPECT_FALSE(base64url_decode("Zm+v").has_value());  // standard base64's '+'
  EXPECT_FALSE(base64url_decode("Zm/v").has_value());
  EXPECT_FALSE(base64url_decode("Z").has_value());      // one character carries no byte
  EXPECT_FALSE(base64url_decode("Zm8==").has_value());  // padding that does not complete a group
  EXPECT_FALSE(base64url_decode("a b").has_value());
}

}  // namespace
}  // namespace gwsim::jwt
