#include "fakes/apiserver/status.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"

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

// ---- admission: the API server's words for what validation::admit found --------------------------

model::Object object_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "v.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? model::Object{} : load.objects.front();
}

std::string istio(const std::string& kind, const std::string& spec, const std::string& name = "x") {
  return "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
         "\n  namespace: default\nspec:\n" + spec;
}

// The refusal message for an Istio object.
std::string refusal(const std::string& yaml) {
  model::Object object = object_of(yaml);
  return admission_message(object, validation::admit(object));
}
std::string refusal(const std::string& kind, const std::string& spec, const std::string& name = "x") {
  return refusal(istio(kind, spec, name));
}

TEST(AdmissionStatusTest, UnknownFieldIsAStrictDecodingError) {
  EXPECT_EQ(refusal("VirtualService", "  hosts: [a]\n  http:\n  - rout: [{destination: {host: a}}]\n", "typo"),
            "VirtualService in version \"v1\" cannot be handled as a VirtualService: strict decoding error: unknown field "
            "\"spec.http[0].rout\"");
}

TEST(AdmissionStatusTest, SchemaErrorsInTheApiServersWords) {
  EXPECT_EQ(refusal("Gateway",
                    "  servers:\n"
                    "  - port: {number: eighty, protocol: HTTP}\n"
                    "    hosts: ['*']\n"
                    "    tls: {mode: SIMPEL, credentialNames: [a, b, c]}\n",
                    "gw"),
            "Gateway.networking.istio.io \"gw\" is invalid: ["
            "spec.servers[0].port.number: Invalid value: \"string\": spec.servers[0].port.number in body must be of type "
            "integer: \"string\", "
            "spec.servers[0].port.name: Required value, "
            "spec.servers[0].tls.credentialNames: Too many: 3: must have at most 2 items, "
            "spec.servers[0].tls.mode: Unsupported value: \"SIMPEL\": supported values: \"PASSTHROUGH\", \"SIMPLE\", "
            "\"MUTUAL\", \"AUTO_PASSTHROUGH\", \"ISTIO_MUTUAL\", \"OPTIONAL_MUTUAL\"]");
}

TEST(AdmissionStatusTest, RequiredFieldsComeFromTheCrd) {
  EXPECT_EQ(refusal("VirtualService", "  hosts: [a]\n  http: [{route: [{weight: 100}]}]\n", "vs"),
            "VirtualService.networking.istio.io \"vs\" is invalid: spec.http[0].route[0].destination: Required value");
  EXPECT_EQ(refusal("DestinationRule", "  subsets: [{name: v1}]\n", "dr"),
            "DestinationRule.networking.istio.io \"dr\" is invalid: spec.host: Required value");
}

// The CRD refuses these before the webhook could: a server port without name, a tls match
// without sniHosts (Istio's webhook would say "port name must be set" / "TLS match must have at
// least one SNI host").
TEST(AdmissionStatusTest, CrdRequiredFieldsShadowWebhookMessages) {
  EXPECT_EQ(refusal("Gateway", "  servers:\n  - port: {number: 80, protocol: HTTP}\n    hosts: [a.example.com]\n", "gw"),
            "Gateway.networking.istio.io \"gw\" is invalid: spec.servers[0].port.name: Required value");
  EXPECT_EQ(refusal("VirtualService",
                    "  hosts: [a.example.com]\n  gateways: [gw]\n"
                    "  tls: [{match: [{port: 443}], route: [{destination: {host: a}}]}]\n",
                    "vs"),
            "VirtualService.networking.istio.io \"vs\" is invalid: spec.tls[0].match[0].sniHosts: Required value");
}

TEST(AdmissionStatusTest, CelRulesOfTheCrd) {
  EXPECT_EQ(refusal("ServiceEntry", "  hosts: ['*']\n  ports: [{number: 0, name: http}]\n", "se"),
            "ServiceEntry.networking.istio.io \"se\" is invalid: ["
            "spec.hosts[0]: Invalid value: \"string\": hostname cannot be wildcard, "
            "spec.ports[0].number: Invalid value: \"integer\": port must be between 1-65535]");
  EXPECT_EQ(refusal("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], timeout: 0s}]\n", "vs"),
            "VirtualService.networking.istio.io \"vs\" is invalid: spec.http[0].timeout: Invalid value: \"string\": must "
            "be a valid duration greater than 1ms");
  EXPECT_EQ(refusal("ServiceEntry",
                    "  hosts: [a.example.com]\n  addresses: [10.0.0.0/24]\n  ports: [{number: 80, name: http}]\n"
                    "  resolution: DNS\n",
                    "se"),
            "ServiceEntry.networking.istio.io \"se\" is invalid: spec: Invalid value: \"object\": CIDR addresses are "
            "allowed only for NONE/STATIC resolution types");
}

TEST(AdmissionStatusTest, OneOfGroups) {
  EXPECT_NE(refusal("VirtualService",
                    "  hosts: [a]\n  http: [{match: [{uri: {exact: /a, prefix: /a}}], route: [{destination: {host: a}}]}]\n",
                    "vs")
                .find("must validate one and only one schema (oneOf)"),
            std::string::npos);
}

TEST(AdmissionStatusTest, SnakeCaseFieldNamesAreOnlyToldAsUnknown) {
  EXPECT_EQ(refusal("VirtualService",
                    "  hosts: [a.example.com]\n  gateways: [gw]\n"
                    "  tls: [{match: [{sni_hosts: [a.example.com]}], route: [{destination: {host: a}}]}]\n",
                    "vs"),
            "VirtualService in version \"v1\" cannot be handled as a VirtualService: strict decoding error: unknown field "
            "\"spec.tls[0].match[0].sni_hosts\"");
}

TEST(AdmissionStatusTest, ServiceEntryPortsAreAListMapKeyedByName) {
  EXPECT_EQ(refusal("ServiceEntry",
                    "  hosts: [a.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}, {number: 81, name: http}]\n",
                    "se"),
            "ServiceEntry.networking.istio.io \"se\" is invalid: spec.ports[1]: Duplicate value: map[string]interface "
            "{}{\"name\":\"http\"}");
}

TEST(AdmissionStatusTest, ServiceEntryNeedsASpec) {
  EXPECT_EQ(refusal("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se}\n"),
            "ServiceEntry.networking.istio.io \"se\" is invalid: spec: Required value");
}

TEST(AdmissionStatusTest, FloatsAreQuotedAsGoPrintsThem) {
  EXPECT_EQ(refusal("DestinationRule",
                    "  host: a\n  trafficPolicy: {loadBalancer: {simple: RANDOM, warmup: {duration: 10s, minimumPercent: "
                    "150.5}}}\n",
                    "dr"),
            "DestinationRule.networking.istio.io \"dr\" is invalid: spec.trafficPolicy.loadBalancer.warmup.minimumPercent: "
            "Invalid value: 150.5: spec.trafficPolicy.loadBalancer.warmup.minimumPercent in body should be less than or "
            "equal to 100");
}

TEST(AdmissionStatusTest, WebhookDenialsAreWrappedAsTheApiServerDoes) {
  EXPECT_EQ(refusal("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}, {destination: {host: b}}]}]\n"),
            "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: total destination "
            "weight = 0");
  EXPECT_EQ(refusal("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], retries: {attempts: -1}}]\n"),
            "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: 1 error occurred:\n"
            "\t* attempts cannot be negative");
  EXPECT_EQ(refusal("Gateway", "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n"), "");
}

// The code and reason come from the problem's kind: 400 BadRequest for strict decoding, 422
// Invalid with one cause per field for the schema, 400 without a reason for the webhook.
TEST(AdmissionStatusTest, CodeAndReasonFollowTheProblemKind) {
  auto error_for = [](const std::string& yaml) {
    model::Object object = object_of(yaml);
    return admission_error(virtual_services(), object, validation::admit(object)).to_status();
  };
  Json s = error_for(istio("VirtualService", "  hosts: [a]\n  http:\n  - rout: [{destination: {host: a}}]\n"));
  EXPECT_EQ(s["code"], 400);
  EXPECT_EQ(s["reason"], "BadRequest");
  EXPECT_FALSE(s.contains("details"));

  s = error_for(istio("VirtualService", "  hosts: [a]\n  http: [{route: [{weight: 100}]}]\n", "vs"));
  EXPECT_EQ(s["code"], 422);
  EXPECT_EQ(s["reason"], "Invalid");
  EXPECT_EQ(s["details"], Json::parse(R"({"name":"vs","group":"networking.istio.io","kind":"VirtualService",
      "causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.http[0].route[0].destination"}]})"));

  s = error_for(istio("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}, {destination: {host: b}}]}]\n"));
  EXPECT_EQ(s["code"], 400);
  EXPECT_FALSE(s.contains("reason"));
  EXPECT_EQ(s["message"],
            "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: total destination "
            "weight = 0");
}

TEST(AdmissionStatusTest, FieldErrorsAndCauseReasons) {
  model::SchemaIssue required;
  required.kind = model::SchemaIssue::Kind::kRequired;
  required.path = "spec.host";
  EXPECT_EQ(field_error_message(required), "spec.host: Required value");
  EXPECT_EQ(cause_reason(model::SchemaIssue::Kind::kRequired), "FieldValueRequired");
  EXPECT_EQ(cause_reason(model::SchemaIssue::Kind::kEnum), "FieldValueNotSupported");
  EXPECT_EQ(cause_reason(model::SchemaIssue::Kind::kRule), "FieldValueInvalid");
}

}  // namespace
}  // namespace gwsim::fakes
