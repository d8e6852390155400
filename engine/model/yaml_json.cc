#include "engine/model/yaml_json.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace gwsim::model {

namespace {

constexpr const char* kTagStr = "tag:yaml.org,2002:str";
constexpr const char* kTagInt = "tag:yaml.org,2002:int";
constexpr const char* kTagFloat = "tag:yaml.org,2002:float";
constexpr const char* kTagBool = "tag:yaml.org,2002:bool";
constexpr const char* kTagNull = "tag:yaml.org,2002:null";

bool is_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                         : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) return false;
  }
  return true;
}

// Integer text (sign allowed only for decimal) -> JSON number; nullopt when not an integer.
std::optional<Json> parse_int(const std::string& text) {
  std::string_view s = text;
  int base = 10;
  bool negative = false;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    base = s[1] == 'x' ? 16 : 8;
    s.remove_prefix(2);
  } else if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (!is_digits(s, base)) return std::nullopt;
  errno = 0;
  std::string digits(s);
  unsigned long long magnitude = std::strtoull(digits.c_str(), nullptr, base);
  if (errno == ERANGE) {
    // Too large for any integer type: keep the value as a float, as JSON readers would.
    double d = std::strtod(text.c_str(), nullptr);
    return Json(d);
  }
  if (negative) {
    constexpr auto kMinMagnitude = static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + 1ULL;
    if (magnitude > kMinMagnitude) return Json(-static_cast<double>(magnitude));
    if (magnitude == kMinMagnitude) return Json(std::numeric_limits<long long>::min());
    return Json(-static_cast<long long>(magnitude));
  }
  if (magnitude <= static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
    return Json(static_cast<long long>(magnitude));
  }
  return Json(static_cast<std::uint64_t>(magnitude));
}

// YAML 1.2 core schema float: [-+]? ( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
std::optional<Json> parse_float(const std::string& text) {
  std::string_view s = text;
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    return Json(negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Json(std::numeric_limits<double>::quiet_NaN());
  size_t i = 0;
  size_t int_digits = 0, frac_digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++int_digits;
  bool dot = false;
  if (i < body.size() && body[i] == '.') {
    dot = true;
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;
  if (int_digits == 0 && !dot) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  return Json(std::strtod(text.c_str(), nullptr));
}

std::optional<Json> parse_bool(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return Json(true);
  if (text == "false" || text == "False" || text == "FALSE") return Json(false);
  return std::nullopt;
}

bool is_null_text(const std::string& text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::string escape_pointer_token(const std::string& key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// One conversion for both trees: yaml-cpp's YAML::Node and the event-built YamlNode
// (engine/model/yaml_tree.h), which offers the same accessors.
template <typename Node>
class Converter {
 public:
  Converter(const std::string& file, PositionMap& positions, std::vector<YamlIssue>* issues)
      : file_(file), positions_(positions), issues_(issues) {}

  // `pos` is where the value is named: the key of a mapping member, else the node itself.
  Json convert(const Node& node, const std::string& pointer, const SourcePos& pos) {
    if (pos.known() || positions_.find(pointer) == positions_.end()) positions_[pointer] = pos;
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return convert_map(node, pointer);
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        size_t i = 0;
        for (const auto& item : node) {
          out.push_back(convert(item, pointer + "/" + std::to_string(i), position_of(item, file_)));
          ++i;
        }
        return out;
      }
      case YAML::NodeType::Scalar:
        return yaml_scalar_to_json(node.Scalar(), node.Tag());
      default:
        return nullptr;
    }
  }

 private:
  void issue(const SourcePos& where, std::string message) {
    if (issues_) issues_->push_back({where, std::move(message)});
  }

  Json convert_map(const Node& node, const std::string& pointer) {
    Json out = Json::object();
    std::map<std::string, int> seen_at;  // key -> line, for duplicate-key messages
    std::vector<Node> merges;
    for (const auto& member : node) {
      const Node& key = member.first;
      SourcePos key_pos = position_of(key, file_);
      if (!key.IsScalar() && !key.IsNull()) {
        issue(key_pos, "mapping keys must be scalars");
        continue;
      }
      std::string name = key.IsScalar() ? key.Scalar() : "";
      if (name == "<<" && key.Tag() != "!") {  // YAML merge key, as Kubernetes' reader supports
        merges.push_back(member.second);
        continue;
      }
      auto [it, inserted] = seen_at.emplace(name, key_pos.line);
      if (!inserted) {
        issue(key_pos, "mapping key \"" + name + "\" already defined at line " + std::to_string(it->second));
      }
      out[name] = convert(member.second, pointer + "/" + escape_pointer_token(name), key_pos);
    }
    // Merged mappings never override explicit keys; earlier merge sources win over later ones.
    for (const auto& source : merges) {
      std::vector<Node> maps;
      if (source.IsMap()) maps.push_back(source);
      else if (source.IsSequence()) {
        for (const auto& item : source) {
          if (item.IsMap()) maps.push_back(item);
          else issue(position_of(item, file_), "map merge requires map or sequence of maps as the value");
        }
      } else {
        issue(position_of(source, file_), "map merge requires map or sequence of maps as the value");
      }
      for (const auto& m : maps) {
        for (const auto& member : m) {
          if (!member.first.IsScalar()) continue;
          std::string name = member.first.Scalar();
          if (out.contains(name)) continue;
          out[name] = convert(member.second, pointer + "/" + escape_pointer_token(name), position_of(member.first, file_));
        }
      }
    }
    return out;
  }

  const std::string& file_;
  PositionMap& positions_;
  std::vector<YamlIssue>* issues_;
};

}  // namespace

template <typename Node>
SourcePos mark_position(const Node& node, const std::string& file) {
  SourcePos pos;
  pos.file = file;
  if (!node.IsDefined()) return pos;
  YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return pos;
  pos.line = mark.line + 1;
  pos.column = mark.column + 1;
  return pos;
}

SourcePos position_of(const YAML::Node& node, const std::string& file) { return mark_position(node, file); }

SourcePos position_of(const YamlNode& node, const std::string& file) { return mark_position(node, file); }

Json yaml_scalar_to_json(const std::string& text, const std::string& tag) {
  if (tag == "!" || tag == kTagStr) return Json(text);
  if (tag == kTagNull) return nullptr;
  if (tag == kTagBool) {
    if (auto b = parse_bool(text)) return *b;
    return Json(text);
  }
  if (tag == kTagInt) {
    if (auto i = parse_int(text)) return *i;
    return Json(text);
  }
  if (tag == kTagFloat) {
    if (auto i = parse_int(text)) return Json(i->get<double>());
    if (auto f = parse_float(text)) return *f;
    return Json(text);
  }
  if (!tag.empty() && tag != "?") return Json(text);  // application tags: the text as written
  if (is_null_text(text)) return nullptr;
  if (auto b = parse_bool(text)) return *b;
  if (auto i = parse_int(text)) return *i;
  if (auto f = parse_float(text)) return *f;
  return Json(text);
}

Json yaml_to_json(const YAML::Node& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer) {
  Converter<YAML::Node> converter(file, positions, nullptr);
  return converter.convert(node, pointer, position_of(node, file));
}

Json yaml_to_json(const YAML::Node& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer, std::vector<YamlIssue>& issues) {
  Converter<YAML::Node> converter(file, positions, &issues);
  return converter.convert(node, pointer, position_of(node, file));
}

Json yaml_to_json(const YamlNode& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer) {
  Converter<YamlNode> converter(file, positions, nullptr);
  return converter.convert(node, pointer, position_of(node, file));
}

Json yaml_to_json(const YamlNode& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer, std::vector<YamlIssue>& issues) {
  Converter<YamlNode> converter(file, positions, &issues);
  return converter.convert(node, pointer, position_of(node, file));
}

}  // namespace gwsim::model
