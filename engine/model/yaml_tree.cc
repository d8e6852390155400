#include "engine/model/yaml_tree.h"

namespace gwsim::model {

namespace {

const std::string& empty_string() {
  static const std::string empty;
  return empty;
}

}  // namespace

YamlNode YamlTree::root() const {
  if (root_index == kNone) {
    // YAML::Load of a text without a document: a null node without a mark.
    static const YamlTree empty = [] {
      YamlTree t;
      t.entries.emplace_back();
      t.root_index = 0;
      return t;
    }();
    return YamlNode(&empty, 0);
  }
  return YamlNode(this, root_index);
}

YAML::NodeType::value YamlNode::Type() const {
  return tree_ ? entry().type : YAML::NodeType::Undefined;
}

const std::string& YamlNode::Scalar() const { return tree_ ? entry().scalar : empty_string(); }

const std::string& YamlNode::Tag() const { return tree_ ? entry().tag : empty_string(); }

YAML::Mark YamlNode::Mark() const { return tree_ ? entry().mark : YAML::Mark::null_mark(); }

std::size_t YamlNode::size() const {
  if (!tree_) return 0;
  const auto& e = entry();
  if (e.type == YAML::NodeType::Map) return e.child_count / 2;
  if (e.type == YAML::NodeType::Sequence) return e.child_count;
  return 0;
}

YamlNode YamlNode::operator[](std::string_view key) const {
  if (!IsMap()) return YamlNode();
  const auto& e = entry();
  for (std::uint32_t i = 0; i + 1 < e.child_count; i += 2) {
    YamlNode k = child(i);
    if (k.IsScalar() && k.Scalar() == key) return child(i + 1);
  }
  return YamlNode();
}

YamlNode::Iterator YamlNode::begin() const { return Iterator(this, 0); }

YamlMember YamlNode::Iterator::operator*() const {
  YamlMember m;
  if (node_->IsMap()) {
    m.first = node_->child(at_);
    m.second = node_->child(at_ + 1);
  } else {
    static_cast<YamlNode&>(m) = node_->child(at_);
  }
  return m;
}

YamlNode::Iterator YamlNode::end() const {
  const bool collection = IsMap() || IsSequence();
  return Iterator(this, collection ? entry().child_count : 0);
}

}  // namespace gwsim::model
