// The scenario loader's parts, shared by conformance/scenario.cc (the document, its apply
// blocks and manifests), scenario_steps.cc (each step) and scenario_expect.cc (a step's
// `expect`). Private to the loader: use load_scenario (conformance/scenario.h).
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "conformance/scenario_jwt.h"
#include "engine/text/closest_name.h"
#include "conformance/scenario_spec.h"
#include "engine/model/yaml_json.h"

namespace gwsim::conformance::detail {

using YAML::Node;

inline std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// RFC 9110 5.6.2's token: what a header name and a method may be made of.
inline bool is_http_token(const std::string& text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

// Whether a value would break the request on the wire: CR, LF or NUL end a header line (RFC 9110
// 5.5 forbids them in field values; datapath mode would write them, injecting a header).
inline bool has_line_break_or_nul(const std::string& text) {
  return text.find_first_of(std::string("\r\n\0", 3)) != std::string::npos;
}

inline std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Walks the scenario's YAML with positions; collects every error instead of stopping at one.
class StrictYamlReader {
 public:
  explicit StrictYamlReader(std::string file) : file_(std::move(file)) {}

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
      std::string hint = text::closest_name(key, allowed);
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

  // A quoted or !!str scalar: a string whatever it spells (yaml-cpp tags plain scalars "?").
  static bool quoted(const Node& node) { return node.Tag() != "?" && !node.Tag().empty(); }

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
    if (quoted(node)) {  // "80" is a string, as Kubernetes' decoder reads it
      error(node, path + ": expected an integer, got the string \"" + text + "\" (write it without quotes)");
      return std::nullopt;
    }
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
    if (quoted(node)) {
      error(node, path + ": expected a number, got the string \"" + text + "\" (write it without quotes)");
      return std::nullopt;
    }
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

  // Request headers: a name to a value, or to a list of values (the header is then sent once
  // per value, in that order). Names are kept as written.
  std::vector<std::pair<std::string, std::string>> header_list(const Node& node, const std::string& path) {
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
      if (!is_http_token(*key))
        error(it->first, child_path(path, *key) + ": not a header name (RFC 9110 allows letters, digits and !#$%&'*+-.^_`|~)");
      auto checked = [&](const Node& value_node, const std::string& field) -> std::optional<std::string> {
        auto value = string(value_node, field);
        if (value && has_line_break_or_nul(*value)) {
          error(value_node, field + ": a header value may not contain CR, LF or NUL (it would end the header on the wire)");
          return std::nullopt;
        }
        return value;
      };
      if (it->second.IsSequence()) {
        if (it->second.size() == 0) error(it->second, child_path(path, *key) + ": expected at least one value");
        for (std::size_t i = 0; i < it->second.size(); ++i)
          if (auto value = checked(it->second[i], child_path(path, *key) + "[" + std::to_string(i) + "]"))
            out.emplace_back(*key, *value);
      } else if (auto value = checked(it->second, child_path(path, *key))) {
        out.emplace_back(*key, *value);
      }
    }
    return out;
  }

 private:
  std::string file_;
};

// Reads each section of a scenario into its typed form; errors go to the reader.
class ScenarioParser {
 public:
  ScenarioParser(StrictYamlReader& p, std::string file) : p_(p), file_(std::move(file)) {}

  void parse_document(const Node& root, ScenarioLoad& load);
  // One `request` (also what conformance/request_list.h reads, entry by entry).
  std::optional<RequestSpec> parse_request(const Node& node, const std::string& path);

 private:
  void parse_apply(const Node& node, const std::string& path, ApplySpec& apply, bool may_be_rejected);
  void load_manifest(const Node& node, const std::string& path, const std::string& entry, ApplySpec& apply,
                     bool may_be_rejected);
  void add_object(model::Object object, ApplySpec& apply, bool may_be_rejected);
  std::optional<Expectation> parse_expect(const Node& node, const std::string& path);
  std::optional<std::vector<DeleteTarget>> parse_delete(const Node& node, const std::string& path);
  std::optional<ScaleSpec> parse_scale(const Node& node, const std::string& path);
  std::optional<PodsSpec> parse_pods(const Node& node, const std::string& path);
  std::optional<ObjectSpec> parse_object(const Node& node, const std::string& path);
  std::optional<ObjectExpectation> parse_object_expect(const Node& node, const std::string& path);
  std::vector<ConditionExpectation> parse_conditions(const Node& node, const std::string& path);
  void parse_step(const Node& node, std::size_t index, Scenario& scenario, std::set<std::string>& names);
  // spec.jwtKeys (scenario_jwt.h), read before anything that may use them.
  void parse_jwt_keys(const Node& node, const std::string& path);
  // A request's `jwt` field: the minted token, put in its header or query parameter.
  void parse_request_jwt(const Node& node, const std::string& path, RequestSpec& r);

  StrictYamlReader& p_;
  std::string file_;
  ScenarioJwtKeys jwt_keys_;
};

}  // namespace gwsim::conformance::detail
