// conformance.json parses and matches its documented schema (docs/report.schema.json), read
// by a small validator of the keywords that schema uses: type, enum, required, properties,
// items.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/report/report.h"
#include "tests/conformance/report/report_fixture.h"

namespace gwsim::conformance::report {
namespace {

using nlohmann::json;
using testing::make_report;
using testing::TempDir;

bool has_type(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

void validate(const json& value, const json& schema, const std::string& where, std::vector<std::string>& errors) {
  if (auto t = schema.find("type"); t != schema.end()) {
    bool ok = false;
    if (t->is_string()) ok = has_type(value, *t);
    else
      for (const auto& one : *t) ok = ok || has_type(value, one);
    if (!ok) {
      errors.push_back(where + ": expected type " + t->dump() + ", got " + value.dump().substr(0, 80));
      return;
    }
  }
  if (auto e = schema.find("enum"); e != schema.end()) {
    bool ok = false;
    for (const auto& one : *e) ok = ok || one == value;
    if (!ok) errors.push_back(where + ": " + value.dump() + " not in " + e->dump());
  }
  if (!value.is_object() && !value.is_array()) return;
  if (value.is_object()) {
    if (auto r = schema.find("required"); r != schema.end())
      for (const auto& key : *r)
        if (!value.contains(key.get<std::string>())) errors.push_back(where + ": missing " + key.get<std::string>());
    if (auto p = schema.find("properties"); p != schema.end())
      for (const auto& [key, sub] : p->items())
        if (value.contains(key)) validate(value.at(key), sub, where + "/" + key, errors);
  }
  if (value.is_array())
    if (auto items = schema.find("items"); items != schema.end())
      for (std::size_t i = 0; i < value.size(); ++i) validate(value[i], *items, where + "/" + std::to_string(i), errors);
}

json schema() {
  return json::parse(testing::read_file(std::string(GWSIM_SOURCE_DIR) + "/docs/report.schema.json"));
}

std::vector<std::string> errors_of(const json& doc) {
  std::vector<std::string> errors;
  validate(doc, schema(), "", errors);
  return errors;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += e + "\n";
  return out;
}

TEST(ReportJson, MatchesTheDocumentedSchema) {
  TempDir dir;
  for (bool timestamps : {false, true}) {
    json doc = json::parse(to_json(make_report(dir, timestamps, 75.0)));
    auto errors = errors_of(doc);
    EXPECT_TRUE(errors.empty()) << joined(errors);
    EXPECT_EQ(doc["date"].is_null(), !timestamps);
    EXPECT_EQ(doc["summary"].contains("durationMs"), timestamps);
    EXPECT_EQ(doc["scenarios"][0].contains("durationMs"), timestamps);
    EXPECT_EQ(doc["scenarios"][0]["steps"][0].contains("durationMs"), timestamps);
  }
}

TEST(ReportJson, TheValidatorCatchesWhatIsMissing) {
  TempDir dir;
  json doc = json::parse(to_json(make_report(dir)));
  doc["scenarios"][0]["steps"][0].erase("traces");
  doc["summary"]["passed"] = "three";
  doc["mode"] = "guess";
  auto errors = errors_of(doc);
  EXPECT_EQ(errors.size(), 3u) << joined(errors);
}

TEST(ReportJson, Content) {
  TempDir dir;
  json doc = json::parse(to_json(make_report(dir, false, 90.0)));
  EXPECT_EQ(doc["schemaVersion"], kReportSchemaVersion);
  EXPECT_EQ(doc["gwsim"]["version"], "test");
  EXPECT_EQ(doc["istio"]["behaviourVersion"], kIstioBehaviourVersion);
  EXPECT_EQ(doc["istio"]["release"], "1.30");
  EXPECT_EQ(doc["seed"], 1);
  EXPECT_EQ(doc["summary"]["passed"], 3);
  EXPECT_EQ(doc["summary"]["exitCode"], 2);
  EXPECT_EQ(doc["coverage"]["total"], 5);
  EXPECT_EQ(doc["coverage"]["hit"], 4);
  EXPECT_EQ(doc["coverage"]["percent"], 80.0);
  EXPECT_EQ(doc["coverage"]["belowMinimum"], true);
  ASSERT_EQ(doc["coverage"]["unreached"].size(), 1u);

  const json* split = nullptr;
  const json* wrong = nullptr;
  for (const auto& s : doc["scenarios"]) {
    if (s["name"] == "canary-split") split = &s["steps"][0];
    if (s["name"] == "wrong-status") wrong = &s["steps"][0];
  }
  ASSERT_TRUE(split && wrong);
  EXPECT_EQ((*split)["expected"]["distribution"]["expected"]["v1"], 0.9);
  EXPECT_EQ((*split)["distribution"]["total"], 400);
  EXPECT_EQ((*split)["actual"]["route"]["name"], "canary");
  EXPECT_EQ((*split)["routeHits"].size(), 2u);  // both weighted destinations
  EXPECT_EQ((*split)["traces"][0]["route"]["virtualService"], "default/vs");
  EXPECT_EQ((*wrong)["status"], "failed");
  EXPECT_EQ((*wrong)["expected"]["status"], 503);
  EXPECT_EQ((*wrong)["actual"]["status"], 200);
  EXPECT_EQ((*wrong)["mismatches"][0]["field"], "status");
  // The failing step says why it went where it went, as `gwsim route --explain` does.
  EXPECT_EQ((*wrong)["explanation"]["summary"].get<std::string>().rfind("Routed by route #3 main", 0), 0u)
      << (*wrong)["explanation"];
  EXPECT_NE((*wrong)["explanation"]["text"].get<std::string>().find("routes of echo.example.com:80 in order"),
            std::string::npos);
  EXPECT_FALSE((*split).contains("explanation"));  // passing steps have none
  // An unreached route without weighted destinations names where it sends requests.
  for (const auto& r : doc["coverage"]["routes"])
    if (r["hits"] == 0) {
      EXPECT_EQ(r["action"], "outbound|80|v1|echo.default.svc.cluster.local");
    }
}

}  // namespace
}  // namespace gwsim::conformance::report
