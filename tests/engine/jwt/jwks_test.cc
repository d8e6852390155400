#include "engine/jwt/jwks.h"

#include <gtest/gtest.h>

#include "engine/jwt/signing_key.h"

namespace gwsim::jwt {
namespace {

TEST(Jwks, ReadsRsaAndEcKeysWithKidAndAlg) {
  auto rsa = SigningKey::from_seed("RS256", "a").key;
  auto ec = SigningKey::from_seed("ES384", "b").key;
  const Jwks a = Jwks::from_json(rsa->jwks("r1"));
  ASSERT_EQ(a.status(), Status::kOk);
  ASSERT_EQ(a.keys().size(), 1u);
  EXPECT_EQ(a.keys()[0].kty, "RSA");
  EXPECT_EQ(a.keys()[0].kid, "r1");
  EXPECT_EQ(a.keys()[0].alg, "RS256");
  const Jwks b = Jwks::from_json(ec->jwks(""));
  ASSERT_EQ(b.status(), Status::kOk);
  EXPECT_EQ(b.keys()[0].crv, "P-384");
}

// Istio's own test key set (pilot/pkg/model/jwks_resolver.go PublicOnlyJwks).
TEST(Jwks, ReadsIstiosFailClosedKey) {
  const Jwks jwks = Jwks::from_json(
      R"({"keys":[{"kty":"RSA","e":"AQAB","n":"0xObjM0UvS_oaazjpEYlAbwctEJ4L8pH3OuTb7qth7gUwqet-EzQB4dgFdvSdMgrLnSncQGRjpEYz3F3viIbH-3EN3TxSlPNviHxeOdyiBVfumN8dMxbLvVJUpfNOnvmMxJcl-8NNjAwcOjk4otSALaYgYYyOPyvKtgVdrQr-FoubWX4yrjxW-MJ2-7OBeepUUNOsVwGV23YX03sVkkyvY3otRflkBcY3_HKpBxJl9wk2GyOShN4_PNUF9-vwfnvOXMbCDX-w4PTef4geeb_GiT40YCKHTKMSPVanGRn5GExIWmki-mmqh94-mPTJyBR74ShspL3BxPZitDL574T1w"}]})");
  EXPECT_EQ(jwks.status(), Status::kOk);
  EXPECT_EQ(jwks.keys().size(), 1u);
}

TEST(Jwks, SetProblemsAreJwtVerifyLibs) {
  EXPECT_EQ(Jwks::from_json("not json").status(), Status::kJwksParseError);
  EXPECT_EQ(Jwks::from_json("{}").status(), Status::kJwksNoKeys);
  EXPECT_EQ(Jwks::from_json(R"({"keys":{}})").status(), Status::kJwksBadKeys);
  EXPECT_EQ(Jwks::from_json(R"({"keys":[]})").status(), Status::kJwksNoValidKeys);
  // Unreadable keys are skipped; none left.
  EXPECT_EQ(Jwks::from_json(R"({"keys":[{"kty":"RSA","n":"AQAB"}]})").status(), Status::kJwksNoValidKeys);
  EXPECT_EQ(Jwks::from_json(R"({"keys":[{"kty":"EC","crv":"P-256","x":"AQ","y":"AQ"}]})").status(),
            Status::kJwksNoValidKeys);
}

TEST(Jwks, OneBadKeyDoesNotHideAGoodOne) {
  auto ec = SigningKey::from_seed("ES256", "c").key;
  std::string good = ec->jwks("");
  good = good.substr(good.find('[') + 1);
  good = good.substr(0, good.rfind(']'));
  const Jwks jwks = Jwks::from_json(R"({"keys":[{"kty":"oct","k":"AAAA"},)" + good + "]}");
  EXPECT_EQ(jwks.status(), Status::kOk);
  EXPECT_EQ(jwks.keys().size(), 1u);
}

TEST(Jwks, PemPublicKey) {
  EXPECT_EQ(Jwks::from_pem("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n").status(),
            Status::kJwksPemBadBase64);
}

}  // namespace
}  // namespace gwsim::jwt
