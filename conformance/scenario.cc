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

#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"
#include "engine/model/bounded_read.h"
#include "engine/model/safe_yaml.h"
#include "engine/model/yaml_json.h"

namespace gwsim::conformance {

namespace fs = std::filesystem;

const char* Step::action_name() const {
  switch (action.index()) {
    case 0: return "request";
    case 1: return "apply";
    case 2: return "delete";
    case 3: return "scale";
    default: return "pods";
  }
}

namespace detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t substitution = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitution});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  // Compare case-insensitively and ignore '_' / '-' so "response_flags" finds "responseFlags".
  auto fold = [](std::string_view s) {
    std::string out;
    for (char c : lower(s))
      if (c != '_' && c != '-') out += c;
    return out;
  };
  std::string folded = fold(word);
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(folded, fold(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  std::size_t limit = folded.size() <= 4 ? 1 : (folded.size() <= 8 ? 2 : 3);
  return best_distance <= limit ? best : std::string();
}

std::string api_version_for_kind(const std::string& kind) {
  static const std::map<std::string, std::string> kKinds = {
      {"Namespace", "v1"},
      {"Service", "v1"},
      {"Pod", "v1"},
      {"Secret", "v1"},
      {"Endpoints", "v1"},
      {"ConfigMap", "v1"},
      {"Deployment", "apps/v1"},
      {"ReplicaSet", "apps/v1"},
      {"StatefulSet", "apps/v1"},
      {"Gateway", "networking.istio.io/v1"},
      {"VirtualService", "networking.istio.io/v1"},
      {"DestinationRule", "networking.istio.io/v1"},
      {"ServiceEntry", "networking.istio.io/v1"},
  };
  auto it = kKinds.find(kind);
  return it == kKinds.end() ? std::string() : it->second;
}

}  // namespace detail

namespace {

using YAML::Node;

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

const std::vector<std::string> kDistributionKeys = {"subset", "pod",     "service", "cluster",
                                                     "version", "status"};

// Walks the scenario's YAML with positions; collects every error instead of stopping at one.
class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  std::vector<Error> errors;
  std::vector<std::string> warnings;

  std::string where(const Node& node) const { return model::position_of(node, file_).to_string(); }
  void error(const Node& node, std::string message) { errors.push_back(make_error(std::move(message), where(node))); }
  const std::string& file() const { return file_; }

  // A mapping whose keys are all in `allowed`; unknown and duplicate keys are reported.
  bool mapping(const Node& node, const std::string& path, const std::vector<std::string>& allowed) {
    if (!node.IsMap()) {
      error(node, path + ": expected a mapping" + kind_suffix(node));
      return false;
    }
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
      if (!seen.insert(key).second) error(it->first, child_path(path, key) + ": duplicate field");
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = (path.empty() ? std::string() : path + ": ") + "unknown field \"" + key + "\"";
      std::string hint = detail::closest_name(key, allowed);
      if (!hint.empty())
        message += "; did you mean \"" + hint + "\"?";
      else
        message += " (allowed: " + join(allowed) + ")";
      error(it->first, message);
    }
    return true;
  }

  static std::string kind_suffix(const Node& node) {
    if (node.IsNull()) return ", got nothing";
    if (node.IsSequence()) return ", got a list";
    if (node.IsMap()) return ", got a mapping";
    if (node.IsScalar()) return ", got \"" + node.Scalar() + "\"";
    return "";
  }

  bool scalar(const Node& node, const std::string& path, const char* what) {
    if (node.IsScalar()) return true;
    error(node, path + ": expected " + what + kind_suffix(node));
    return false;
  }

  std::optional<std::string> string(const Node& node, const std::string& path) {
    if (!scalar(node, path, "a string")) return std::nullopt;
    return node.Scalar();
  }

  std::optional<std::int64_t> integer(const Node& node, const std::string& path, std::int64_t min,
                                      std::int64_t max) {
    if (!scalar(node, path, "an integer")) return std::nullopt;
    const std::string& text = node.Scalar();
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      error(node, path + ": expected an integer, got \"" + text + "\"");
      return std::nullopt;
    }
    if (value < min || value > max) {
      error(node, path + ": " + text + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> number(const Node& node, const std::string& path, double min, double max) {
    if (!scalar(node, path, "a number")) return std::nullopt;
    const std::string& text = node.Scalar();
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      error(node, path + ": expected a number, got \"" + text + "\"");
      return std::nullopt;
    }
    if (value < min || value > max) {
      std::ostringstream range;
      range << "[" << min << ", " << max << "]";
      error(node, path + ": " + text + " is out of range " + range.str());
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const Node& node, const std::string& path) {
    if (!scalar(node, path, "true or false")) return std::nullopt;
    std::string text = node.Scalar();
    if (node.Tag() == "?" || node.Tag().empty()) {  // plain scalar: YAML 1.2 core booleans
      if (text == "true" || text == "True" || text == "TRUE") return true;
      if (text == "false" || text == "False" || text == "FALSE") return false;
    }
    error(node, path + ": expected true or false, got \"" + text + "\"");
    return std::nullopt;
  }

  std::vector<std::string> string_list(const Node& node, const std::string& path) {
    std::vector<std::string> out;
    if (!node.IsSequence()) {
      error(node, path + ": expected a list" + kind_suffix(node));
      return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (auto s = string(node[i], path + "[" + std::to_string(i) + "]")) out.push_back(*s);
    }
    return out;
  }

  // A mapping of names to scalar values (headers, labels); values are taken as written.
  std::vector<std::pair<std::string, std::string>> string_map(const Node& node, const std::string& path) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!node.IsMap()) {
      error(node, path + ": expected a mapping of names to values" + kind_suffix(node));
      return out;
    }
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto key = string(it->first, path);
      if (!key) continue;
      if (!seen.insert(*key).second) error(it->first, child_path(path, *key) + ": duplicate field");
      auto value = string(it->second, child_path(path, *key));
      if (value) out.emplace_back(*key, *value);
    }
    return out;
  }

 private:
  std::string file_;
};

// ---- sections ------------------------------------------------------------------------

class ScenarioParser {
 public:
  ScenarioParser(Parser& p, std::string file) : p_(p), file_(std::move(file)) {}

  void parse_document(const Node& root, ScenarioLoad& load);

 private:
  void parse_apply(const Node& node, const std::string& path, ApplySpec& apply, bool may_be_rejected);
  void load_manifest(const Node& node, const std::string& path, const std::string& entry, ApplySpec& apply,
                     bool may_be_rejected);
  void add_object(model::Object object, ApplySpec& apply, bool may_be_rejected);
  std::optional<RequestSpec> parse_request(const Node& node, const std::string& path);
  std::optional<Expectation> parse_expect(const Node& node, const std::string& path);
  std::optional<std::vector<DeleteTarget>> parse_delete(const Node& node, const std::string& path);
  std::optional<ScaleSpec> parse_scale(const Node& node, const std::string& path);
  std::optional<PodsSpec> parse_pods(const Node& node, const std::string& path);
  void parse_step(const Node& node, std::size_t index, Scenario& scenario, std::set<std::string>& names);

  Parser& p_;
  std::string file_;
};

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
                        {"description", "features", "references", "knownDeviation", "manifests", "resources",
                         "steps"})) {
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
      p_.error(steps, "spec.steps: expected a non-empty list of steps" + Parser::kind_suffix(steps));
    } else {
      std::set<std::string> names;
      for (std::size_t i = 0; i < steps.size(); ++i) parse_step(steps[i], i, scenario, names);
    }
  }
  load.scenario = std::move(scenario);
}

// Reads `manifests` and `resources` of `node` (the spec, or an apply step) into `apply`.
void ScenarioParser::parse_apply(const Node& node, const std::string& path, ApplySpec& apply,
                                 bool may_be_rejected) {
  const Node manifests = node["manifests"];
  if (manifests.IsDefined()) {
    std::string mpath = child_path(path, "manifests");
    if (!manifests.IsSequence()) {
      p_.error(manifests, mpath + ": expected a list of files or directories" + Parser::kind_suffix(manifests));
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
      p_.error(resources, rpath + ": expected a list of Kubernetes objects" + Parser::kind_suffix(resources));
    } else {
      for (std::size_t i = 0; i < resources.size(); ++i) {
        const Node item = resources[i];
        std::string ipath = rpath + "[" + std::to_string(i) + "]";
        if (!item.IsMap()) {
          p_.error(item, ipath + ": expected a Kubernetes object (a mapping)" + Parser::kind_suffix(item));
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

// Schema problems (what the API server's CRD schema would refuse) are bad input, unless the
// step expects a rejection: then the world refuses the object at apply time instead.
void ScenarioParser::add_object(model::Object object, ApplySpec& apply, bool may_be_rejected) {
  if (!may_be_rejected) {
    model::ConfigSnapshot scratch;
    auto added = model::add_to_snapshot(object, scratch);
    if (!added.ok()) {
      Error e = added.error();
      if (e.where.empty()) e.where = object.source.to_string();
      e.message = model::describe(object) + ": " + e.message;
      p_.errors.push_back(std::move(e));
      return;
    }
  }
  apply.objects.push_back(std::move(object));
}

std::optional<RequestSpec> ScenarioParser::parse_request(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"gateway", "port", "scheme", "host", "sni", "method", "path", "headers", "count",
                                     "clientCertificate", "sourceIP"}))
    return std::nullopt;
  RequestSpec r;
  std::size_t errors_before = p_.errors.size();
  if (node["gateway"].IsDefined()) {
    if (auto v = p_.string(node["gateway"], path + ".gateway")) {
      if (v->empty() || v->front() == '/' || v->back() == '/')
        p_.error(node["gateway"], path + ".gateway: expected a Service as namespace/name, got \"" + *v + "\"");
      r.gateway = v->find('/') == std::string::npos ? "default/" + *v : *v;
    }
  }
  if (node["scheme"].IsDefined()) {
    if (auto v = p_.string(node["scheme"], path + ".scheme")) {
      if (*v != "http" && *v != "https")
        p_.error(node["scheme"], path + ".scheme: expected http or https, got \"" + *v + "\"");
      r.scheme = *v;
    }
  }
  r.port = r.scheme == "https" ? 443 : 80;
  if (node["port"].IsDefined())
    if (auto v = p_.integer(node["port"], path + ".port", 1, 65535)) r.port = static_cast<std::uint32_t>(*v);
  if (node["host"].IsDefined())
    if (auto v = p_.string(node["host"], path + ".host")) r.host = *v;
  if (node["sni"].IsDefined()) {
    if (auto v = p_.string(node["sni"], path + ".sni")) r.sni = *v;
  } else if (r.scheme == "https") {
    // Default SNI: the host without its port (IPv6 literals keep their brackets).
    std::string host = r.host;
    auto colon = host.rfind(':');
    if (colon != std::string::npos && host.find(']', colon) == std::string::npos) host.resize(colon);
    r.sni = host;
  }
  if (node["method"].IsDefined())
    if (auto v = p_.string(node["method"], path + ".method")) r.method = *v;
  if (node["path"].IsDefined()) {
    if (auto v = p_.string(node["path"], path + ".path")) {
      if (v->empty() || (v->front() != '/' && *v != "*"))
        p_.error(node["path"], path + ".path: must start with '/', got \"" + *v + "\"");
      r.path = *v;
    }
  }
  if (node["headers"].IsDefined()) r.headers = p_.string_map(node["headers"], path + ".headers");
  if (node["count"].IsDefined())
    if (auto v = p_.integer(node["count"], path + ".count", 1, 1000000)) r.count = static_cast<int>(*v);
  if (node["clientCertificate"].IsDefined()) {
    if (auto v = p_.boolean(node["clientCertificate"], path + ".clientCertificate")) r.client_certificate = *v;
  }
  if (node["sourceIP"].IsDefined()) {
    if (auto v = p_.string(node["sourceIP"], path + ".sourceIP")) r.source_ip = *v;
  }
  if (p_.errors.size() != errors_before) return std::nullopt;
  return r;
}

std::optional<Expectation> ScenarioParser::parse_expect(const Node& node, const std::string& path) {
  static const std::vector<std::string> kFields = {
      "status", "responseFlags", "refused", "closed", "outcome", "body",     "bodyContains", "headers",      "absentHeaders",
      "route",  "cluster",       "backend", "upstreamRequest", "attempts", "distribution", "rejected"};
  if (!p_.mapping(node, path, kFields)) return std::nullopt;
  if (node.size() == 0) {
    p_.error(node, path + ": no expectation given; a step with `expect` must assert something");
    return std::nullopt;
  }
  Expectation e;
  auto field = [&](const char* key) { return path + "." + key; };
  const Node status = node["status"];
  if (status.IsDefined()) {
    if (status.IsSequence()) {
      if (status.size() == 0) p_.error(status, field("status") + ": expected at least one status code");
      for (std::size_t i = 0; i < status.size(); ++i)
        if (auto v = p_.integer(status[i], field("status") + "[" + std::to_string(i) + "]", 100, 599))
          e.status.push_back(static_cast<int>(*v));
    } else if (auto v = p_.integer(status, field("status"), 100, 599)) {
      e.status.push_back(static_cast<int>(*v));
    }
  }
  if (node["responseFlags"].IsDefined())
    e.response_flags = p_.string(node["responseFlags"], field("responseFlags"));
  if (node["refused"].IsDefined()) e.refused = p_.boolean(node["refused"], field("refused"));
  if (node["closed"].IsDefined()) e.closed = p_.boolean(node["closed"], field("closed"));
  if (node["outcome"].IsDefined()) {
    e.outcome = p_.string(node["outcome"], field("outcome"));
    static const std::vector<std::string> kOutcomes = {
        "Routed", "NoListener", "NoFilterChain", "TLSError", "NoVirtualHost", "NoRoute", "TLSRedirect", "Redirect",
        "DirectResponse", "FaultAbort", "ClusterNotFound", "NoHealthyUpstream", "UpstreamFailure", "UpstreamTimeout", "CorsPreflight", "Unsupported"};
    if (e.outcome && std::find(kOutcomes.begin(), kOutcomes.end(), *e.outcome) == kOutcomes.end())
      p_.error(node["outcome"], field("outcome") + ": unknown outcome \"" + *e.outcome + "\"; one of Routed, NoListener, "
                                "NoFilterChain, TLSError, NoVirtualHost, NoRoute, TLSRedirect, Redirect, DirectResponse, "
                                "FaultAbort, ClusterNotFound, NoHealthyUpstream, UpstreamFailure, UpstreamTimeout, CorsPreflight, Unsupported");
  }
  if (node["body"].IsDefined()) e.body = p_.string(node["body"], field("body"));
  if (node["bodyContains"].IsDefined()) e.body_contains = p_.string(node["bodyContains"], field("bodyContains"));
  if (node["headers"].IsDefined()) e.headers = p_.string_map(node["headers"], field("headers"));
  if (node["absentHeaders"].IsDefined()) e.absent_headers = p_.string_list(node["absentHeaders"], field("absentHeaders"));
  if (node["cluster"].IsDefined()) e.cluster = p_.string(node["cluster"], field("cluster"));
  if (node["attempts"].IsDefined())
    if (auto v = p_.integer(node["attempts"], field("attempts"), 0, 1000)) e.attempts = static_cast<int>(*v);
  if (node["rejected"].IsDefined()) e.rejected = p_.string(node["rejected"], field("rejected"));

  const Node route = node["route"];
  if (route.IsDefined()) {
    std::string rp = field("route");
    if (p_.mapping(route, rp,
                   {"gateway", "virtualService", "name", "index", "listener", "routeConfig", "virtualHost"})) {
      if (route.size() == 0) p_.error(route, rp + ": no field given; name what the route must be");
      RouteExpectation r;
      if (route["gateway"].IsDefined()) r.gateway = p_.string(route["gateway"], rp + ".gateway");
      if (route["virtualService"].IsDefined())
        r.virtual_service = p_.string(route["virtualService"], rp + ".virtualService");
      if (route["name"].IsDefined()) r.name = p_.string(route["name"], rp + ".name");
      if (route["index"].IsDefined())
        if (auto v = p_.integer(route["index"], rp + ".index", 0, 1000000)) r.index = static_cast<int>(*v);
      if (route["listener"].IsDefined()) r.listener = p_.string(route["listener"], rp + ".listener");
      if (route["routeConfig"].IsDefined()) r.route_config = p_.string(route["routeConfig"], rp + ".routeConfig");
      if (route["virtualHost"].IsDefined()) r.virtual_host = p_.string(route["virtualHost"], rp + ".virtualHost");
      e.route = r;
    }
  }

  const Node backend = node["backend"];
  if (backend.IsDefined()) {
    std::string bp = field("backend");
    if (p_.mapping(backend, bp, {"service", "port", "subset", "pod", "podLabels"})) {
      if (backend.size() == 0) p_.error(backend, bp + ": no field given; name what the backend must be");
      BackendExpectation b;
      if (backend["service"].IsDefined()) {
        b.service = p_.string(backend["service"], bp + ".service");
        if (b.service && b.service->find('/') == std::string::npos) b.service = "default/" + *b.service;
      }
      if (backend["port"].IsDefined())
        if (auto v = p_.integer(backend["port"], bp + ".port", 1, 65535)) b.port = static_cast<std::uint32_t>(*v);
      if (backend["subset"].IsDefined()) b.subset = p_.string(backend["subset"], bp + ".subset");
      if (backend["pod"].IsDefined()) b.pod = p_.string(backend["pod"], bp + ".pod");
      if (backend["podLabels"].IsDefined())
        for (auto& [k, v] : p_.string_map(backend["podLabels"], bp + ".podLabels")) b.pod_labels[k] = v;
      e.backend = b;
    }
  }

  const Node upstream = node["upstreamRequest"];
  if (upstream.IsDefined()) {
    std::string up = field("upstreamRequest");
    if (p_.mapping(upstream, up, {"host", "path", "headers", "absentHeaders"})) {
      if (upstream.size() == 0) p_.error(upstream, up + ": no field given; name what the backend must receive");
      UpstreamRequestExpectation u;
      if (upstream["host"].IsDefined()) u.host = p_.string(upstream["host"], up + ".host");
      if (upstream["path"].IsDefined()) u.path = p_.string(upstream["path"], up + ".path");
      if (upstream["headers"].IsDefined()) u.headers = p_.string_map(upstream["headers"], up + ".headers");
      if (upstream["absentHeaders"].IsDefined())
        u.absent_headers = p_.string_list(upstream["absentHeaders"], up + ".absentHeaders");
      e.upstream_request = u;
    }
  }

  const Node distribution = node["distribution"];
  if (distribution.IsDefined()) {
    std::string dp = field("distribution");
    if (p_.mapping(distribution, dp, {"by", "expected", "tolerance", "distinct"})) {
      DistributionExpectation d;
      if (!distribution["by"].IsDefined()) {
        p_.error(distribution, dp + ".by is required (" + join(kDistributionKeys, " | ") + " | label:<key>)");
      } else if (auto by = p_.string(distribution["by"], dp + ".by")) {
        bool label = by->rfind("label:", 0) == 0 && by->size() > 6;
        if (!label && std::find(kDistributionKeys.begin(), kDistributionKeys.end(), *by) == kDistributionKeys.end()) {
          std::string hint = detail::closest_name(*by, kDistributionKeys);
          p_.error(distribution["by"], dp + ".by: unknown key \"" + *by + "\"" +
                                           (hint.empty() ? " (allowed: " + join(kDistributionKeys, " | ") +
                                                               " | label:<key>)"
                                                         : "; did you mean \"" + hint + "\"?"));
        }
        d.by = *by;
      }
      const Node expected = distribution["expected"];
      if (expected.IsDefined()) {
        if (!expected.IsMap() || expected.size() == 0) {
          p_.error(expected, dp + ".expected: expected a mapping of keys to shares" + Parser::kind_suffix(expected));
        } else {
          double sum = 0;
          for (auto it = expected.begin(); it != expected.end(); ++it) {
            auto key = p_.string(it->first, dp + ".expected");
            auto share = p_.number(it->second, dp + ".expected." + (key ? *key : "?"), 0.0, 1.0);
            if (key && share) {
              d.expected[*key] = *share;
              sum += *share;
            }
          }
          if (std::abs(sum - 1.0) > 1e-6) {
            std::ostringstream msg;
            msg << dp << ".expected: shares add up to " << sum << ", not 1 (keys not listed are expected at 0)";
            p_.error(expected, msg.str());
          }
        }
      }
      if (distribution["tolerance"].IsDefined())
        if (auto v = p_.number(distribution["tolerance"], dp + ".tolerance", 0.0, 1.0)) d.tolerance = *v;
      if (distribution["distinct"].IsDefined())
        if (auto v = p_.integer(distribution["distinct"], dp + ".distinct", 1, 1000000)) d.distinct = static_cast<int>(*v);
      if (!expected.IsDefined() && !d.distinct)
        p_.error(distribution, dp + ": give `expected` shares and/or `distinct`");
      e.distribution = d;
    }
  }
  return e;
}

std::optional<std::vector<DeleteTarget>> ScenarioParser::parse_delete(const Node& node, const std::string& path) {
  if (!node.IsSequence() || node.size() == 0) {
    p_.error(node, path + ": expected a non-empty list of {kind, namespace, name}" + Parser::kind_suffix(node));
    return std::nullopt;
  }
  std::vector<DeleteTarget> targets;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node item = node[i];
    std::string ip = path + "[" + std::to_string(i) + "]";
    if (!p_.mapping(item, ip, {"apiVersion", "kind", "namespace", "name"})) continue;
    DeleteTarget t;
    if (item["apiVersion"].IsDefined()) t.api_version = p_.string(item["apiVersion"], ip + ".apiVersion").value_or("");
    if (!item["kind"].IsDefined()) {
      p_.error(item, ip + ".kind is required");
    } else if (auto kind = p_.string(item["kind"], ip + ".kind")) {
      t.kind = *kind;
      if (t.api_version.empty()) {
        t.api_version = detail::api_version_for_kind(*kind);
        if (t.api_version.empty()) {
          std::vector<std::string> known = {"Namespace", "Service", "Pod", "Secret", "Endpoints", "Deployment",
                                            "ReplicaSet", "StatefulSet", "Gateway", "VirtualService",
                                            "DestinationRule", "ServiceEntry"};
          std::string hint = detail::closest_name(*kind, known);
          p_.error(item["kind"], ip + ".kind: unknown kind \"" + *kind + "\"" +
                                     (hint.empty() ? " (give apiVersion too)" : "; did you mean \"" + hint + "\"?"));
        }
      }
    }
    if (item["namespace"].IsDefined()) t.namespace_ = p_.string(item["namespace"], ip + ".namespace").value_or("default");
    if (!item["name"].IsDefined())
      p_.error(item, ip + ".name is required");
    else
      t.name = p_.string(item["name"], ip + ".name").value_or("");
    targets.push_back(t);
  }
  return targets;
}

std::optional<ScaleSpec> ScenarioParser::parse_scale(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"deployment", "replicas"})) return std::nullopt;
  ScaleSpec s;
  if (!node["deployment"].IsDefined()) {
    p_.error(node, path + ".deployment is required (namespace/name)");
  } else if (auto v = p_.string(node["deployment"], path + ".deployment")) {
    auto slash = v->find('/');
    if (slash == std::string::npos) {
      s.deployment = *v;
    } else {
      s.namespace_ = v->substr(0, slash);
      s.deployment = v->substr(slash + 1);
    }
    if (s.deployment.empty() || s.namespace_.empty())
      p_.error(node["deployment"], path + ".deployment: expected namespace/name, got \"" + *v + "\"");
  }
  if (!node["replicas"].IsDefined())
    p_.error(node, path + ".replicas is required");
  else if (auto v = p_.integer(node["replicas"], path + ".replicas", 0, 10000))
    s.replicas = static_cast<int>(*v);
  return s;
}

std::optional<PodsSpec> ScenarioParser::parse_pods(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"namespace", "selector", "name", "count", "respond", "refuse", "ready", "reset"}))
    return std::nullopt;
  PodsSpec s;
  if (node["namespace"].IsDefined()) s.namespace_ = p_.string(node["namespace"], path + ".namespace").value_or("default");
  bool has_selector = node["selector"].IsDefined();
  bool has_name = node["name"].IsDefined();
  if (has_selector == has_name)
    p_.error(node, path + ": give exactly one of `selector` (labels) or `name` (one pod)");
  if (has_selector) {
    for (auto& [k, v] : p_.string_map(node["selector"], path + ".selector")) s.selector[k] = v;
    if (s.selector.empty() && node["selector"].IsMap())
      p_.error(node["selector"], path + ".selector: empty; use at least one label");
  }
  if (has_name) s.name = p_.string(node["name"], path + ".name").value_or("");
  if (node["count"].IsDefined())
    if (auto v = p_.integer(node["count"], path + ".count", 1, 100000)) s.count = static_cast<int>(*v);
  const Node respond = node["respond"];
  if (respond.IsDefined() && p_.mapping(respond, path + ".respond", {"status", "delay"})) {
    PodRespond r;
    if (respond["status"].IsDefined())
      if (auto v = p_.integer(respond["status"], path + ".respond.status", 100, 599)) r.status = static_cast<int>(*v);
    if (respond["delay"].IsDefined()) {
      if (auto text = p_.string(respond["delay"], path + ".respond.delay")) {
        auto ms = model::parse_duration(*text);
        if (ms.ok())
          r.delay_ms = *ms;
        else
          p_.error(respond["delay"], path + ".respond.delay: " + ms.error().message);
      }
    }
    if (!r.status && !r.delay_ms) p_.error(respond, path + ".respond: give `status` and/or `delay`");
    s.respond = r;
  }
  if (node["refuse"].IsDefined()) s.refuse = p_.boolean(node["refuse"], path + ".refuse");
  if (node["ready"].IsDefined()) s.ready = p_.boolean(node["ready"], path + ".ready");
  if (node["reset"].IsDefined()) s.reset = p_.boolean(node["reset"], path + ".reset").value_or(false);
  if (!respond.IsDefined() && !node["refuse"].IsDefined() && !node["ready"].IsDefined() && !node["reset"].IsDefined())
    p_.error(node, path + ": nothing to change; give respond, refuse, ready or reset");
  return s;
}

void ScenarioParser::parse_step(const Node& node, std::size_t index, Scenario& scenario,
                                std::set<std::string>& names) {
  static const std::vector<std::string> kActions = {"request", "apply", "delete", "scale", "pods"};
  std::string path = "steps[" + std::to_string(index) + "]";
  std::vector<std::string> fields = kActions;
  fields.push_back("name");
  fields.push_back("expect");
  if (!p_.mapping(node, path, fields)) return;

  Step step;
  step.where = p_.where(node);
  std::vector<std::string> actions;
  for (const auto& a : kActions)
    if (node[a].IsDefined()) actions.push_back(a);
  if (actions.empty()) {
    p_.error(node, path + ": no action; each step has exactly one of " + join(kActions));
    return;
  }
  if (actions.size() > 1) {
    p_.error(node, path + ": " + std::to_string(actions.size()) + " actions (" + join(actions) +
                       "); each step has exactly one");
    return;
  }
  const std::string& action = actions.front();

  if (node["name"].IsDefined()) {
    if (auto v = p_.string(node["name"], path + ".name")) {
      if (v->empty()) p_.error(node["name"], path + ".name: must not be empty");
      step.name = *v;
    }
  } else {
    step.name = action + " #" + std::to_string(index + 1);
  }
  if (!step.name.empty() && !names.insert(step.name).second)
    p_.error(node["name"].IsDefined() ? node["name"] : node,
             path + ": step name \"" + step.name + "\" is used twice in this scenario");
  if (node["name"].IsDefined()) path += " (" + step.name + ")";

  const Node expect = node["expect"];
  if (expect.IsDefined()) {
    step.expect = parse_expect(expect, path + ".expect");
    if (step.expect) {
      if (action == "request" && step.expect->rejected)
        p_.error(expect["rejected"], path + ".expect.rejected: only apply steps can be rejected");
      if (action == "apply") {
        for (auto it = expect.begin(); it != expect.end(); ++it)
          if (it->first.Scalar() != "rejected")
            p_.error(it->first, path + ".expect." + it->first.Scalar() +
                                    ": an apply step can only check `rejected`; send a request to check routing");
      }
      if (action != "request" && action != "apply")
        p_.error(expect, path + ".expect: a " + action + " step cannot have expectations; follow it with a request step");
    }
  }

  const Node body = node[action];
  std::string apath = path + "." + action;
  if (action == "request") {
    auto r = parse_request(body, apath);
    if (!r) return;
    if (step.expect && step.expect->distribution && r->count < 2)
      p_.error(expect["distribution"], path + ".expect.distribution: needs request.count > 1");
    step.action = std::move(*r);
  } else if (action == "apply") {
    if (!p_.mapping(body, apath, {"manifests", "resources"})) return;
    if (!body["manifests"].IsDefined() && !body["resources"].IsDefined())
      p_.error(body, apath + ": give manifests and/or resources");
    ApplySpec apply;
    parse_apply(body, apath, apply, step.expect && step.expect->rejected);
    step.action = std::move(apply);
  } else if (action == "delete") {
    auto d = parse_delete(body, apath);
    if (!d) return;
    step.action = std::move(*d);
  } else if (action == "scale") {
    auto s = parse_scale(body, apath);
    if (!s) return;
    step.action = std::move(*s);
  } else {
    auto s = parse_pods(body, apath);
    if (!s) return;
    step.action = std::move(*s);
  }
  scenario.steps.push_back(std::move(step));
}

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
  Parser parser(file);
  if (documents.size() > 1) parser.error(documents[1], "one Scenario per file; found a second document");
  load.name = lenient_name(documents.front());
  try {
    ScenarioParser(parser, file).parse_document(documents.front(), load);
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
