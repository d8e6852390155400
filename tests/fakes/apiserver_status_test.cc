#include "fakes/apiserver/status.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

const ResourceInfo& pods() { return *find_resource("", "v1", "pods"); }
const ResourceInfo& virtual_services() { return *find_resource("networking.istio.io", "v1", "virtualservices"); }

TEST(StatusTest, NotFoundAsTheResearchNoteRecorded) {
  Json s = not_found(pods(), "web").to_status();
  EXPECT_EQ(s, Json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
      "message":"pods \"web\" not found","reason":"NotFound","details":{"name":"web","kind":"pods"},"code":404})"));
  s = not_found(virtual_services(), "web").to_status();
  EXPECT_EQ(s["message"], "virtualservices.networking.istio.io \"web\" not found");
  EXPECT_EQ(s["details"]["group"], "networking.istio.io");
}

TEST(StatusTest, Conflicts) {
  Json s = already_exists(pods(), "web").to_status();
  EXPECT_EQ(s["code"], 409);
  EXPECT_EQ(s["reason"], "AlreadyExists");
  EXPECT_EQ(s["message"], "pods \"web\" already exists");
  s = conflict(pods(), "web", "the object has been modified; please apply your changes to the latest version and try again")
          .to_status();
  EXPECT_EQ(s["code"], 409);
  EXPECT_EQ(s["reason"], "Conflict");
  EXPECT_EQ(s["message"],
            "Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply your changes "
            "to the latest version and try again");
}

TEST(StatusTest, InvalidCarriesCauses) {
  Json s = invalid(virtual_services(), "web", "spec.hosts: Required value",
                   {{"FieldValueRequired", "Required value", "spec.hosts"}})
               .to_status();
  EXPECT_EQ(s["code"], 422);
  EXPECT_EQ(s["reason"], "Invalid");
  EXPECT_EQ(s["message"], "VirtualService.networking.istio.io \"web\" is invalid: spec.hosts: Required value");
  EXPECT_EQ(s["details"]["kind"], "VirtualService");
  EXPECT_EQ(s["details"]["causes"][0],
            Json({{"reason", "FieldValueRequired"}, {"message", "Required value"}, {"field", "spec.hosts"}}));
  EXPECT_EQ(invalid(pods(), "Web", "x", {}).to_status()["message"], "Pod \"Web\" is invalid: x");
}

TEST(StatusTest, OtherCodes) {
  EXPECT_EQ(bad_request("nope").to_status()["code"], 400);
  EXPECT_EQ(bad_request("nope").to_status()["reason"], "BadRequest");
  Json s = unsupported_media_type(kPatchMediaTypes).to_status();
  EXPECT_EQ(s["code"], 415);
  EXPECT_EQ(s["reason"], "UnsupportedMediaType");
  EXPECT_EQ(path_not_found().to_status()["message"], "the server could not find the requested resource");
  EXPECT_EQ(method_not_allowed().to_status()["code"], 405);
  EXPECT_EQ(too_many_requests("later").to_status()["code"], 429);
  EXPECT_EQ(internal_error("boom").to_status()["code"], 500);
  s = expired(3, 10).to_status();
  EXPECT_EQ(s["code"], 410);
  EXPECT_EQ(s["reason"], "Expired");
  EXPECT_EQ(s["message"], "too old resource version: 3 (10)");
  s = forbidden(*find_resource("", "v1", "namespaces"), "default", "this namespace may not be deleted").to_status();
  EXPECT_EQ(s["code"], 403);
  EXPECT_EQ(s["message"], "namespaces \"default\" is forbidden: this namespace may not be deleted");
}

TEST(StatusTest, WebhookDenialHasNoReason) {
  // What the API server makes of a denying admission webhook: 400, no reason, so kubectl prints
  // "Error from server: ...".
  Json s = ApiError{400, "", "admission webhook \"validation.istio.io\" denied the request: x", nullptr}.to_status();
  EXPECT_EQ(s["code"], 400);
  EXPECT_EQ(s["status"], "Failure");
  EXPECT_FALSE(s.contains("reason"));
  EXPECT_FALSE(s.contains("details"));
}

TEST(StatusTest, Success) {
  Json s = success_status(pods(), "web", "u1");
  EXPECT_EQ(s["status"], "Success");
  EXPECT_EQ(s["details"], Json({{"name", "web"}, {"kind", "pods"}, {"uid", "u1"}}));
}

}  // namespace
}  // namespace gwsim::fakes
