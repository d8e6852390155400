#include "conformance/scenario.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include <yaml-cpp/yaml.h>

#include "conformance/scenario_parser.h"
#include "engine/model/bounded_read.h"
#include "engine/model/int32_range.h"
#include "engine/model/kinds.h"
#include "engine/model/manifest.h"
#include "engine/model/safe_yaml.h"
#include "engine/model/snapshot.h"
#include "engine/model/yaml_json.h"
#include "engine/validation/admission.h"

namespace gwsim::conformance {

namespace fs = std::filesystem;

namespace detail {

const std::vector<std::string>& shorthand_kinds() {
  static const std::vector<std::string> kinds = {
      "Namespace",       "Service",      "Pod",         "Secret",  "Endpoints",
      "Deployment",      "ReplicaSet",   "StatefulSet", "Gateway", "VirtualService",
      "DestinationRule", "ServiceEntry", "ConfigMap"};
  return kinds;
}

std::string api_version_for_kind(const std::string& kind) {
  const auto& shorthand = shorthand_kinds();
  if (std::find(shorthand.begin(), shorthand.end(), kind) == shorthand.end()) return std::string();
  const model::KindInfo* info = model::find_kind_named(kind);
  return info ? model::preferred_api_version(*info) : std::string();
}

// ---- the document and its apply blocks ----------------------------------------------

void ScenarioParser::parse_document(const Node& root, ScenarioLoad& load) {
  // Not a scenario at all (e.g. a manifest given to `gwsim run`): one clear error, not dozens.
  if (root.IsMap() && root["kind"].IsScalar() && root["kind"].Scalar() != "Scenario") {
    p_.error(root["kind"], "not a scenario: kind is \"" + root["kind"].Scalar() + "\", expected Scenario");
    return;
  }
  if (!p_.mapping(root, "scenario", {"apiVersion", "kind", "metadata", "spec"})) return;
  Scenario scenario;
  scenario.file = file_;

  const Node api_version = root["apiVersion"];
  if (!api_version.IsDefined()) {
    p_.error(root, std::string("apiVersion is required (") + kScenarioApiVersion + ")");
  } else if (auto v = p_.string(api_version, "apiVersion"); v && *v != kScenarioApiVersion) {
    p_.error(api_version, "apiVersion: expected " + std::string(kScenarioApiVersion) + ", got \"" + *v + "\"");
  }
  const Node kind = root["kind"];
  if (!kind.IsDefined()) {
    p_.error(root, "kind is required (Scenario)");
  } else if (auto v = p_.string(kind, "kind"); v && *v != "Scenario") {
    p_.error(kind, "kind: expected Scenario, got \"" + *v + "\"");
  }

  const Node metadata = root["metadata"];
  if (!metadata.IsDefined()) {
    p_.error(root, "metadata.name is required");
  } else if (p_.mapping(metadata, "metadata", {"name", "labels", "annotations"})) {
    const Node name = metadata["name"];
    if (!name.IsDefined()) {
      p_.error(metadata, "metadata.name is required");
    } else if (auto v = p_.string(name, "metadata.name")) {
      bool valid = !v->empty() && std::all_of(v->begin(), v->end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
      if (!valid)
        p_.error(name, "metadata.name: \"" + *v + "\" must be non-empty letters, digits, '-', '_' or '.'");
      scenario.name = *v;
      load.name = *v;
    }
    if (metadata["labels"].IsDefined()) p_.string_map(metadata["labels"], "metadata.labels");
    if (metadata["annotations"].IsDefined()) p_.string_map(metadata["annotations"], "metadata.annotations");
  }

  const Node spec = root["spec"];
  if (!spec.IsDefined()) {
    p_.error(root, "spec is required (with at least one step)");
  } else if (p_.mapping(spec, "spec",
                        {"description", "features", "references", "knownDeviation", "jwtKeys", "manifests",
                         "resources", "steps"})) {
    if (spec["jwtKeys"].IsDefined()) parse_jwt_keys(spec["jwtKeys"], "spec.jwtKeys");
    if (spec["description"].IsDefined())
      scenario.description = p_.string(spec["description"], "spec.description").value_or("");
    if (spec["features"].IsDefined()) scenario.features = p_.string_list(spec["features"], "spec.features");
    if (spec["references"].IsDefined())
      scenario.references = p_.string_list(spec["references"], "spec.references");
    if (spec["knownDeviation"].IsDefined())
      scenario.known_deviation = p_.string(spec["knownDeviation"], "spec.knownDeviation").value_or("");
    parse_apply(spec, "spec", scenario.setup, false);

    const Node steps = spec["steps"];
    if (!steps.IsDefined()) {
      p_.error(spec, "spec.steps is required: a scenario must have at least one step");
    } else if (!steps.IsSequence() || steps.size() == 0) {
      p_.error(steps, "spec.steps: expected a non-empty list of steps" + StrictYamlReader::kind_suffix(steps));
    } else {
      std::set<std::string> names;
      for (std::size_t i = 0; i < steps.size(); ++i) parse_step(steps[i], i, scenario, names);
    }
  }
  load.scenario = std::move(scenario);
}

// spec.jwtKeys: [{name, algorithm, seed?, kid?, pem?}]. A key without pem is derived from its
// seed (default: its name), so its JWKS and tokens are the same on every run.
void ScenarioParser::parse_jwt_keys(const Node& node, const std::string& path) {
  if (!node.IsSequence()) {
    p_.error(node, path + ": expected a list of keys ({name, algorithm})" + StrictYamlReader::kind_suffix(node));
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node item = node[i];
    const std::string ipath = path + "[" + std::to_string(i) + "]";
    if (!p_.mapping(item, ipath, {"name", "algorithm", "seed", "kid", "pem"})) continue;
    if (!item["name"].IsDefined() || !item["algorithm"].IsDefined()) {
      p_.error(item, ipath + ": name and algorithm are required (algorithm: RS256, RS384, RS512, PS256, PS384, "
                             "PS512, ES256, ES384 or ES512)");
      continue;
    }
    auto name = p_.string(item["name"], ipath + ".name");
    auto alg = p_.string(item["algorithm"], ipath + ".algorithm");
    if (!name || !alg) continue;
    if (name->empty() || name->find('}') != std::string::npos) {
      p_.error(item["name"], ipath + ".name: must be non-empty and without '}'");
      continue;
    }
    if (jwt_keys_.count(*name)) {
      p_.error(item["name"], ipath + ".name: key \"" + *name + "\" is declared twice");
      continue;
    }
    ScenarioJwtKey key;
    key.name = *name;
    key.kid = *name;
    if (item["kid"].IsDefined()) key.kid = p_.string(item["kid"], ipath + ".kid").value_or(*name);
    const std::string seed =
        item["seed"].IsDefined() ? p_.string(item["seed"], ipath + ".seed").value_or(*name) : *name;
    jwt::SigningKey::Made made;
    if (item["pem"].IsDefined()) {
      if (item["seed"].IsDefined()) p_.error(item["seed"], ipath + ".seed: not with pem (the PEM is the key)");
      made = jwt::SigningKey::from_pem(*alg, p_.string(item["pem"], ipath + ".pem").value_or(""));
    } else {
      made = seeded_key(*alg, seed);
    }
    if (!made.key) {
      p_.error(item["pem"].IsDefined() ? item["pem"] : item["algorithm"], ipath + ": " + made.error);
      continue;
    }
    key.key = made.key;
    key.wrong = seeded_key(*alg, seed + "/another key").key;
    jwt_keys_.emplace(*name, std::move(key));
  }
}

// Reads `manifests` and `resources` of `node` (the spec, or an apply step) into `apply`.
void ScenarioParser::parse_apply(const Node& node, const std::string& path, ApplySpec& apply,
                                 bool may_be_rejected) {
  const Node manifests = node["manifests"];
  if (manifests.IsDefined()) {
    std::string mpath = child_path(path, "manifests");
    if (!manifests.IsSequence()) {
      p_.error(manifests, mpath + ": expected a list of files or directories" + StrictYamlReader::kind_suffix(manifests));
    } else {
      for (std::size_t i = 0; i < manifests.size(); ++i) {
        std::string entry_path = mpath + "[" + std::to_string(i) + "]";
        if (auto entry = p_.string(manifests[i], entry_path)) {
          apply.manifests.push_back(*entry);
          load_manifest(manifests[i], entry_path, *entry, apply, may_be_rejected);
        }
      }
    }
  }
  const Node resources = node["resources"];
  if (resources.IsDefined()) {
    std::string rpath = child_path(path, "resources");
    if (!resources.IsSequence()) {
      p_.error(resources, rpath + ": expected a list of Kubernetes objects" + StrictYamlReader::kind_suffix(resources));
    } else {
      for (std::size_t i = 0; i < resources.size(); ++i) {
        const Node item = resources[i];
        std::string ipath = rpath + "[" + std::to_string(i) + "]";
        if (!item.IsMap()) {
          p_.error(item, ipath + ": expected a Kubernetes object (a mapping)" + StrictYamlReader::kind_suffix(item));
          continue;
        }
        auto positions = std::make_shared<model::PositionMap>();
        model::Json doc = model::yaml_to_json(item, p_.file(), *positions, "");
        std::string api_version = doc.value("apiVersion", "");
        std::string kind = doc.value("kind", "");
        if (!api_version.empty() && !kind.empty() && !model::is_known_kind(api_version, kind)) {
          p_.warnings.push_back(p_.where(item) + ": warning: unknown kind " + kind + " (" + api_version +
                                "), ignored");
          continue;
        }
        auto object = model::object_from_json(std::move(doc), model::position_of(item, p_.file()), positions);
        if (!object.ok()) {
          Error e = object.error();
          if (e.where.empty()) e.where = p_.where(item);
          e.message = ipath + ": " + e.message;
          p_.errors.push_back(std::move(e));
          continue;
        }
        add_object(std::move(object.value()), apply, may_be_rejected);
      }
    }
  }
}

void ScenarioParser::load_manifest(const Node& node, const std::string& path, const std::string& entry,
                                   ApplySpec& apply, bool may_be_rejected) {
  fs::path resolved = fs::path(entry).is_absolute() ? fs::path(entry) : fs::path(file_).parent_path() / entry;
  std::error_code ec;
  if (!fs::exists(resolved, ec)) {
    p_.error(node, path + ": manifest not found: " + resolved.lexically_normal().string());
    return;
  }
  model::ManifestLoad loaded = model::load_manifests({resolved.lexically_normal().string()});
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == model::ManifestDiagnostic::Severity::kWarning)
      p_.warnings.push_back(d.to_string());
    else
      p_.errors.push_back(make_error(d.message, d.where));
  }
  if (loaded.has_errors()) return;
  for (auto& object : loaded.objects) add_object(std::move(object), apply, may_be_rejected);
}

namespace {

// Whether the typed model can read an admitted object, told as model::add_to_snapshot tells it
// for an object that did not come through admission (it checks the schema itself then): the
// first of Kubernetes' int32 range errors, the schema's structural issues (admission found them),
// the typed reader's problems.
Result<bool> read_typed(const model::Object& object, const validation::AdmissionResult& admission) {
  const auto out_of_range = model::int32_out_of_range(object);
  if (!out_of_range.empty()) return make_error(out_of_range.front().message, object.where(out_of_range.front().pointer));
  for (const auto& problem : admission.problems) {
    if (problem.schema && problem.schema->structural()) return make_error(problem.message, problem.where);
  }
  model::ConfigSnapshot scratch;
  return model::add_to_snapshot(object, scratch, model::Admitted::kYes);
}

}  // namespace

// Each object is admitted here, once (CRD schema, then Istio's webhook); the apply takes that
// answer. What the typed model cannot read (what the API server's decoder and CRD schema would
// refuse) is bad input, reported with its position, unless the step expects a rejection: then
// the world refuses the object at apply time instead.
void ScenarioParser::add_object(model::Object object, ApplySpec& apply, bool may_be_rejected) {
  // "{{jwks:<key>}}" in any string: the declared key's JWKS (scenario_jwt.h).
  if (std::string unknown = substitute_jwks_in(object.doc, jwt_keys_); !unknown.empty()) {
    p_.errors.push_back(make_error(model::describe(object) + ": {{jwks:" + unknown +
                                       "}} names no key of spec.jwtKeys (declare it there: {name: " + unknown +
                                       ", algorithm: RS256})",
                                   object.source.to_string()));
    return;
  }
  validation::AdmissionResult admission = validation::admit(object);
  if (!may_be_rejected) {
    Result<bool> read = read_typed(object, admission);
    if (!read.ok()) {
      Error e = read.error();
      if (e.where.empty()) e.where = object.source.to_string();
      e.message = model::describe(object) + ": " + e.message;
      p_.errors.push_back(std::move(e));
      return;
    }
  }
  apply.objects.push_back({std::move(object), std::move(admission)});
}

}  // namespace detail

namespace {

using YAML::Node;

// Errors in file order (the parser visits some sections out of order); errors in other files
// (manifests) after those of the scenario file, in the order found.
void sort_by_position(std::vector<Error>& errors, const std::string& file) {
  auto key = [&](const Error& e) {
    int line = 0, column = 0;
    std::string where = e.where;
    for (int* part : {&column, &line}) {
      auto colon = where.rfind(':');
      if (colon == std::string::npos) break;
      const char* begin = where.c_str() + colon + 1;
      std::from_chars(begin, where.c_str() + where.size(), *part);
      where.resize(colon);
    }
    if (line == 0) column = 0;  // "file:line" only: the single number was read as the column
    return std::tuple(where != file, where != file ? 0 : line, where != file ? 0 : column);
  };
  std::stable_sort(errors.begin(), errors.end(), [&](const Error& a, const Error& b) { return key(a) < key(b); });
}

// The name of a scenario with errors, read leniently so reports and CTest can still use it.
std::string lenient_name(const Node& root) {
  try {
    if (root.IsMap() && root["metadata"].IsMap() && root["metadata"]["name"].IsScalar())
      return root["metadata"]["name"].Scalar();
  } catch (const YAML::Exception&) {
  }
  return {};
}

}  // namespace

ScenarioLoad load_scenario_text(const std::string& text, const std::string& file) {
  ScenarioLoad load;
  // YAML's character set has no NUL (YAML 1.2, 5.1), and yaml-cpp 0.7's LoadAll loops forever
  // on some texts holding one, allocating as it goes (a 21-byte file, found by fuzz/yaml_json).
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    const auto line_start = text.rfind('\n', nul);
    const auto column = nul - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
    load.errors.push_back(make_error("YAML error: a NUL byte (YAML text has none; is this a binary file?)",
                                     file + ":" + std::to_string(line) + ":" + std::to_string(column)));
    return load;
  }
  model::YamlDocuments loaded = model::load_yaml_documents(text);  // bounded: engine/model/safe_yaml.h
  if (loaded.error) {
    load.errors.push_back(make_error("YAML error: " + loaded.error->message, loaded.error->where(file).to_string()));
    return load;
  }
  std::vector<Node> documents = std::move(loaded.documents);
  // Empty documents (a trailing "---") do not count.
  documents.erase(std::remove_if(documents.begin(), documents.end(), [](const Node& n) { return n.IsNull(); }),
                  documents.end());
  if (documents.empty()) {
    load.errors.push_back(make_error("empty file: expected one Scenario", file));
    return load;
  }
  detail::StrictYamlReader parser(file);
  if (documents.size() > 1) parser.error(documents[1], "one Scenario per file; found a second document");
  load.name = lenient_name(documents.front());
  try {
    detail::ScenarioParser(parser, file).parse_document(documents.front(), load);
  } catch (const YAML::Exception& e) {  // defensive: yaml-cpp throws on odd node shapes
    parser.errors.push_back(make_error(std::string("YAML error: ") + e.what(), file));
  }
  sort_by_position(parser.errors, file);
  load.errors = std::move(parser.errors);
  load.warnings = std::move(parser.warnings);
  if (!load.errors.empty()) load.scenario.reset();
  return load;
}

ScenarioLoad load_scenario(const std::string& path) {
  auto text = model::read_regular_file(path);  // regular files only, bounded
  if (!text.ok()) {
    ScenarioLoad load;
    load.errors.push_back(make_error("cannot read scenario file: " + text.error().message, path));
    return load;
  }
  return load_scenario_text(*text, path);
}

bool looks_like_scenario(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("kind:", 0) != 0) continue;
    std::string value = line.substr(5);
    auto hash = value.find('#');
    if (hash != std::string::npos) value.resize(hash);
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    value.erase(value.begin(), std::find_if(value.begin(), value.end(), not_space));
    value.erase(std::find_if(value.rbegin(), value.rend(), not_space).base(), value.end());
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (value == "Scenario") return true;
  }
  return false;
}

ScenarioFiles find_scenario_files(const std::vector<std::string>& paths) {
  ScenarioFiles out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      // Regular files only; symlink loops, FIFOs and devices are skipped with a warning.
      model::DirectoryFiles listed = model::list_directory_files(path, true, {".yaml", ".yml"});
      out.warnings.insert(out.warnings.end(), listed.warnings.begin(), listed.warnings.end());
      for (const auto& file : listed.files) {
        auto text = model::read_regular_file(file);
        if (!text.ok()) out.warnings.push_back(make_error("skipped: " + text.error().message, file));
        else if (looks_like_scenario(*text)) found.push_back(file);
      }
      out.errors.insert(out.errors.end(), listed.errors.begin(), listed.errors.end());
      std::sort(found.begin(), found.end());
      out.files.insert(out.files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      out.files.push_back(path);
    } else if (ec && ec != std::errc::no_such_file_or_directory) {  // a symlink loop, a denied directory
      out.errors.push_back(make_error("cannot read: " + ec.message(), path));
    } else {
      out.errors.push_back(make_error("no such file or directory", path));
    }
  }
  return out;
}

}  // namespace gwsim::conformance
