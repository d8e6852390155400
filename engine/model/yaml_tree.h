// One YAML document as a flat array of nodes, built from yaml-cpp's parse events
// (engine/model/safe_yaml.h's load_yaml_tree) instead of YAML::Load's node tree. yaml-cpp
// allocates several shared objects per node, which made reading manifests the largest cost of
// `gwsim analyze` and `gwsim diff` on large folders; here a node is one entry of a vector.
//
// The tree is what YAML::Load gives, node for node: an alias is its anchored node itself (as
// yaml-cpp's NodeBuilder shares it), mapping members keep their order and duplicate keys, plain
// null scalars are null nodes, and every node keeps yaml-cpp's mark and tag. YamlNode offers the
// part of YAML::Node's interface the converters read (engine/model/yaml_json.h), so one
// conversion serves both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/mark.h>
#include <yaml-cpp/node/type.h>

namespace gwsim::model {

class YamlNode;

class YamlTree {
 public:
  struct Entry {
    YAML::NodeType::value type = YAML::NodeType::Null;
    YAML::Mark mark = YAML::Mark::null_mark();
    std::string tag;     // as yaml-cpp's Node::Tag(): "?" plain, "!" quoted, or the resolved tag
    std::string scalar;  // a scalar's text
    // Children in `children`: a sequence's items; a mapping's key, value, key, value...
    std::uint32_t first_child = 0;
    std::uint32_t child_count = 0;
  };

  // The document's root; a null node (as YAML::Load gives) when the text holds no document.
  YamlNode root() const;

  std::vector<Entry> entries;
  std::vector<std::uint32_t> children;
  std::uint32_t root_index = kNone;

  static constexpr std::uint32_t kNone = 0xffffffffu;
};

// A node of a YamlTree, or an undefined node (a missing mapping key), as cheap to copy as a
// pointer. Mirrors YAML::Node's accessors of the same names.
class YamlNode {
 public:
  YamlNode() = default;
  YamlNode(const YamlTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

  bool IsDefined() const { return tree_ != nullptr; }
  YAML::NodeType::value Type() const;
  bool IsNull() const { return Type() == YAML::NodeType::Null; }
  bool IsScalar() const { return Type() == YAML::NodeType::Scalar; }
  bool IsSequence() const { return Type() == YAML::NodeType::Sequence; }
  bool IsMap() const { return Type() == YAML::NodeType::Map; }
  const std::string& Scalar() const;
  const std::string& Tag() const;
  YAML::Mark Mark() const;

  // Items of a sequence, members of a mapping (0 for other nodes).
  std::size_t size() const;

  // The value of the first member whose key is the scalar `key` (as YAML::Node's operator[] on a
  // mapping finds it); undefined when there is none or this is not a mapping.
  YamlNode operator[](std::string_view key) const;

  // Iteration as over a YAML::Node: a sequence yields its items, a mapping its members, each
  // with `first` (the key) and `second` (the value) (YamlMember below).
  class Iterator;
  Iterator begin() const;
  Iterator end() const;

 private:
  const YamlTree::Entry& entry() const { return tree_->entries[index_]; }
  YamlNode child(std::uint32_t i) const { return YamlNode(tree_, tree_->children[entry().first_child + i]); }

  const YamlTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

// What iterating a YamlNode yields: a sequence's item (the node itself), or a mapping's member.
struct YamlMember : YamlNode {
  YamlNode first, second;
};

class YamlNode::Iterator {
 public:
  Iterator(const YamlNode* node, std::uint32_t at) : node_(node), at_(at) {}
  YamlMember operator*() const;
  Iterator& operator++() {
    at_ += node_->IsMap() ? 2 : 1;
    return *this;
  }
  bool operator!=(const Iterator& other) const { return at_ != other.at_; }
  bool operator==(const Iterator& other) const { return at_ == other.at_; }

 private:
  const YamlNode* node_;
  std::uint32_t at_;
};

}  // namespace gwsim::model
