#include "engine/model/safe_yaml.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>
#include <vector>
#include <limits>
#include <sstream>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace gwsim::model {

namespace {

std::string size_message(std::size_t size) {
  return "the text is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(kMaxDocumentBytes) +
         " bytes (3 MiB, kube-apiserver's request body limit)";
}

std::string depth_message() {
  return "nesting is deeper than " + std::to_string(kMaxNestingDepth) + " levels (the limit)";
}

// Thrown by the scan to stop yaml-cpp's parser at the first refusal.
struct Refusal {
  YAML::Mark mark;
  std::string message;
};

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  return a > kMax - b ? kMax : a + b;
}

// Walks yaml-cpp's parse events (nothing is built) and measures every node as if aliases were
// expanded: an anchored node's size and height are recorded when it closes, and an alias adds
// them without expanding anything. Refuses an alias inside its own anchor (a cycle yaml-cpp
// would build and every converter would follow forever), nesting past kMaxNestingDepth, and
// aliases adding more than kMaxAliasExpandedNodes. Given a tree, it also builds the document
// there, node for node as yaml-cpp's NodeBuilder would (load_yaml_tree).
class LimitScan : public YAML::EventHandler {
 public:
  explicit LimitScan(AliasBudget& budget, YamlTree* tree = nullptr) : budget_(budget), tree_(tree) {}

  void OnDocumentStart(const YAML::Mark&) override {
    // Anchors are per document (yaml-cpp numbers them from 1 again).
    anchors_.clear();
    open_.clear();
    names_.clear();
    stack_.clear();
    anchor_entries_.clear();
    pending_children_.clear();
  }
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    leaf(anchor);
    if (tree_) add_leaf(mark, anchor, YAML::NodeType::Null, std::string(), std::string());
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(anchor);
    if (tree_) add_leaf(mark, anchor, YAML::NodeType::Scalar, tag, value);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const std::string name = anchor < names_.size() ? names_[anchor] : std::string();
    if (anchor < open_.size() && open_[anchor]) {
      throw Refusal{mark, "alias *" + name + " is inside the node it names (a recursive alias)"};
    }
    if (anchor >= anchors_.size()) throw Refusal{mark, "alias *" + name + " names no anchor"};
    const Measure& m = anchors_[anchor];
    if (static_cast<std::uint64_t>(stack_.size()) + static_cast<std::uint64_t>(m.height) >
        static_cast<std::uint64_t>(kMaxNestingDepth)) {
      throw Refusal{mark, "alias *" + name + " expands to " + depth_message()};
    }
    budget_.expanded_nodes = saturating_add(budget_.expanded_nodes, m.nodes);
    if (budget_.expanded_nodes > kMaxAliasExpandedNodes) {
      throw Refusal{mark, "aliases expand to more than " + std::to_string(kMaxAliasExpandedNodes) +
                              " nodes (the limit; an alias bomb is refused, never expanded)"};
    }
    close(m);
    if (tree_ && anchor < anchor_entries_.size()) attach(anchor_entries_[anchor]);  // the anchored node itself, as NodeBuilder shares it
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
    if (tree_) start_collection(mark, anchor, YAML::NodeType::Sequence, tag);
  }
  void OnSequenceEnd() override { end(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
    if (tree_) start_collection(mark, anchor, YAML::NodeType::Map, tag);
  }
  void OnMapEnd() override { end(); }

  // Where the innermost collection still open starts.
  std::optional<YAML::Mark> deepest_open_mark() const {
    if (stack_.empty()) return std::nullopt;
    return stack_.back().mark;
  }

 private:
  struct Measure {
    std::uint64_t nodes = 1;  // this node and everything under it, aliases expanded
    int height = 0;           // collection levels from this node down (0 for a scalar)
  };
  struct Frame {
    YAML::anchor_t anchor = 0;
    Measure measure;
    YAML::Mark mark;
    std::uint32_t entry = 0;           // the collection's entry in tree_
    std::size_t children_start = 0;    // where its children begin in pending_children_
  };

  // ---- Building the tree ----
  std::uint32_t new_entry(const YAML::Mark& mark, YAML::anchor_t anchor, YAML::NodeType::value type, const std::string& tag) {
    const auto index = static_cast<std::uint32_t>(tree_->entries.size());
    YamlTree::Entry& e = tree_->entries.emplace_back();
    e.type = type;
    e.mark = mark;
    e.tag = tag;
    if (anchor != 0) {
      if (anchor_entries_.size() <= anchor) anchor_entries_.resize(anchor + 1, YamlTree::kNone);
      anchor_entries_[anchor] = index;
    }
    return index;
  }
  // A finished node joins the collection still open, or becomes the root.
  void attach(std::uint32_t index) {
    if (stack_.empty()) {
      if (tree_->root_index == YamlTree::kNone) tree_->root_index = index;
      return;
    }
    pending_children_.push_back(index);
  }
  void add_leaf(const YAML::Mark& mark, YAML::anchor_t anchor, YAML::NodeType::value type, const std::string& tag,
                const std::string& value) {
    const std::uint32_t index = new_entry(mark, anchor, type, tag);
    tree_->entries[index].scalar = value;
    attach(index);
  }
  void start_collection(const YAML::Mark& mark, YAML::anchor_t anchor, YAML::NodeType::value type,
                        const std::string& tag) {
    stack_.back().entry = new_entry(mark, anchor, type, tag);
    stack_.back().children_start = pending_children_.size();
  }
  void end_collection(const Frame& frame) {
    YamlTree::Entry& e = tree_->entries[frame.entry];
    e.first_child = static_cast<std::uint32_t>(tree_->children.size());
    e.child_count = static_cast<std::uint32_t>(pending_children_.size() - frame.children_start);
    tree_->children.insert(tree_->children.end(), pending_children_.begin() + static_cast<std::ptrdiff_t>(frame.children_start),
                           pending_children_.end());
    pending_children_.resize(frame.children_start);
    attach(frame.entry);
  }

  void name_anchor(YAML::anchor_t anchor) {
    if (anchor == 0) return;
    if (names_.size() <= anchor) names_.resize(anchor + 1);
    names_[anchor] = pending_name_;
    pending_name_.clear();
  }

  void record(YAML::anchor_t anchor, const Measure& m) {
    if (anchor == 0) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = m;
  }

  // A finished node of measure `m` joins its parent.
  void close(const Measure& m) {
    if (stack_.empty()) return;
    Measure& parent = stack_.back().measure;
    parent.nodes = saturating_add(parent.nodes, m.nodes);
    parent.height = std::max(parent.height, m.height + 1);
  }

  void leaf(YAML::anchor_t anchor) {
    name_anchor(anchor);
    Measure m;
    record(anchor, m);
    close(m);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    name_anchor(anchor);
    if (stack_.size() + 1 > static_cast<std::size_t>(kMaxNestingDepth)) throw Refusal{mark, depth_message()};
    if (anchor != 0) {
      if (open_.size() <= anchor) open_.resize(anchor + 1, 0);
      open_[anchor] = 1;
    }
    Frame frame;
    frame.anchor = anchor;
    frame.measure.height = 1;
    frame.mark = mark;
    stack_.push_back(frame);
  }

  void end() {
    if (stack_.empty()) return;
    Frame frame = stack_.back();
    stack_.pop_back();
    if (frame.anchor != 0) open_[frame.anchor] = 0;
    record(frame.anchor, frame.measure);
    close(frame.measure);
    if (tree_) end_collection(frame);
  }

  AliasBudget& budget_;
  std::vector<Measure> anchors_;     // by anchor id
  std::vector<char> open_;           // by anchor id: the anchored collection is still open
  std::vector<std::string> names_;   // by anchor id, for messages
  std::string pending_name_;
  std::vector<Frame> stack_;
  YamlTree* tree_;
  std::vector<std::uint32_t> anchor_entries_;     // by anchor id: the anchored node's entry
  std::vector<std::uint32_t> pending_children_;  // children of the collections still open
};

TextError at_mark(const YAML::Mark& mark, std::string message) {
  TextError e;
  if (!mark.is_null() && mark.line >= 0) {
    e.line = mark.line + 1;
    e.column = mark.column + 1;
  }
  e.message = std::move(message);
  return e;
}

// Runs the scan over the first document (`all` false) or every document, building the first
// into `tree` when given; nullopt when it passes.
std::optional<TextError> scan_documents(const std::string& text, bool all, AliasBudget& budget, YamlTree* tree) {
  std::istringstream in(text);
  LimitScan handler(budget, tree);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(handler)) {
      if (!all) break;
    }
  } catch (const Refusal& r) {
    return at_mark(r.mark, r.message);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's parser recurses once per level and stops itself (SingleDocParser's DepthGuard);
    // its mark is wherever the scanner had read ahead to, so name the deepest collection instead.
    return at_mark(handler.deepest_open_mark().value_or(e.mark),
                   "nesting is deeper than yaml-cpp's parser allows (" + std::to_string(e.depth()) + " levels)");
  } catch (const YAML::ParserException& e) {
    return at_mark(e.mark, e.msg);
  } catch (const YAML::Exception& e) {
    return TextError{0, 0, e.msg};
  }
  return std::nullopt;
}

std::optional<TextError> scan(const std::string& text, bool all, AliasBudget* shared) {
  if (text.size() > kMaxDocumentBytes) return TextError{0, 0, size_message(text.size())};
  AliasBudget local;
  return scan_documents(text, all, shared ? *shared : local, nullptr);
}

std::optional<TextError> parse_first_document(const std::string& text, AliasBudget& budget, YamlTree* tree) {
  return scan_documents(text, false, budget, tree);
}

// The fast path. The scan above is a whole second parse (yaml-cpp's scanner is most of the
// cost of reading a manifest), but only aliases can make a document expand, recurse or exceed
// the alias budget, and yaml-cpp's own parser already stops at depths far below
// kMaxNestingDepth. So a text that cannot hold an alias is loaded directly, and the result is
// checked to be a plain tree; anything else (a possible alias, an error, a shared node) takes
// the scan path, which gives the exact refusal. On 10,000 VirtualServices this halves reading.

// Whether no node of the built document is reached twice (which only an alias does) and it is
// no deeper than yaml-cpp's parser allows. Collections and scalars are told apart by their
// position and type, which no two distinct nodes share.
bool plain_tree(const YAML::Node& node, std::vector<std::uint64_t>& seen, int depth) {
  constexpr int kParserDepth = 2000;  // yaml-cpp's DepthGuard default
  if (depth > kParserDepth) return false;
  const YAML::NodeType::value type = node.Type();
  if (type == YAML::NodeType::Null || type == YAML::NodeType::Undefined) return true;
  const YAML::Mark mark = node.Mark();
  if (mark.pos < 0) return false;
  seen.push_back(static_cast<std::uint64_t>(mark.pos) * 4 + static_cast<std::uint64_t>(type));
  if (type == YAML::NodeType::Sequence) {
    for (const auto& child : node)
      if (!plain_tree(child, seen, depth + 1)) return false;
  } else if (type == YAML::NodeType::Map) {
    for (const auto& entry : node)
      if (!plain_tree(entry.first, seen, depth + 1) || !plain_tree(entry.second, seen, depth + 1)) return false;
  }
  return true;
}

bool plain_trees(const std::vector<YAML::Node>& documents) {
  std::vector<std::uint64_t> seen;
  for (const auto& d : documents)
    if (!plain_tree(d, seen, 0)) return false;
  std::sort(seen.begin(), seen.end());
  return std::adjacent_find(seen.begin(), seen.end()) == seen.end();
}

}  // namespace

// A '*' can start an alias unless it is directly after a letter, a digit or an opening quote.
bool may_hold_alias(std::string_view text) {
  for (std::size_t at = text.find('*'); at != std::string_view::npos; at = text.find('*', at + 1)) {
    if (at == 0) return true;
    const unsigned char before = static_cast<unsigned char>(text[at - 1]);
    if (std::isalnum(before)) continue;
    if (before == '"' || before == '\'') {
      // An opening quote follows a separator or an indicator; a closing one follows content.
      const char quote_before = at >= 2 ? text[at - 2] : '\n';
      if (quote_before == ' ' || quote_before == '\n' || quote_before == '[' || quote_before == '{' ||
          quote_before == ',' || quote_before == '\t')
        continue;
    }
    return true;
  }
  return false;
}

SourcePos TextError::where(const std::string& file, int line_offset) const {
  SourcePos pos;
  pos.file = file;
  if (line > 0) {
    pos.line = line + line_offset;
    pos.column = column;
  }
  return pos;
}

YamlTreeDocument load_yaml_tree(const std::string& text, AliasBudget* budget) {
  YamlTreeDocument out;
  if (text.size() > kMaxDocumentBytes) {
    out.error = TextError{0, 0, size_message(text.size())};
    return out;
  }
  // Manifests hold about a node per 8 bytes (bench/diff_bench's VirtualService: 49 in 415):
  // reserving saves the vectors' regrowth (bounded: a large text may be one long string).
  const std::size_t expected_nodes = std::min<std::size_t>(text.size() / 8 + 4, 4096);
  out.tree.entries.reserve(expected_nodes);
  out.tree.children.reserve(expected_nodes);
  AliasBudget local;
  out.error = parse_first_document(text, budget ? *budget : local, &out.tree);
  if (out.error) out.tree = YamlTree{};
  return out;
}

YamlDocuments load_yaml_documents(const std::string& text, AliasBudget* budget) {
  YamlDocuments out;
  if (text.size() <= kMaxDocumentBytes && !may_hold_alias(text)) {
    try {
      out.documents = YAML::LoadAll(text);
      if (plain_trees(out.documents)) return out;
    } catch (const YAML::Exception&) {
    }
    out.documents.clear();
  }
  if ((out.error = scan(text, true, budget))) return out;
  try {
    out.documents = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    out.error = at_mark(e.mark, e.msg);
  } catch (const YAML::Exception& e) {
    out.error = TextError{0, 0, e.msg};
  }
  return out;
}

YamlDocument load_yaml_document(const std::string& text, AliasBudget* budget) {
  YamlDocument out;
  if (text.size() <= kMaxDocumentBytes && !may_hold_alias(text)) {
    try {
      out.root = YAML::Load(text);
      if (plain_trees({out.root})) return out;
    } catch (const YAML::Exception&) {
    }
    out.root = YAML::Node();
  }
  if ((out.error = scan(text, false, budget))) return out;
  try {
    out.root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    out.error = at_mark(e.mark, e.msg);
  } catch (const YAML::Exception& e) {
    out.error = TextError{0, 0, e.msg};
  }
  return out;
}

std::optional<TextError> check_json_depth(std::string_view text) {
  int depth = 0;
  int line = 1, column = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNestingDepth) return TextError{line, column, "JSON " + depth_message()};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

JsonDocument parse_json(std::string_view text) {
  JsonDocument out;
  if (text.size() > kMaxDocumentBytes) {
    out.error = TextError{0, 0, size_message(text.size())};
    return out;
  }
  if ((out.error = check_json_depth(text))) return out;
  try {
    out.value = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // A syntax error (parse_error) or a number too large for a double (out_of_range 406, where
    // Go's decoder refuses the body too); nlohmann's message without its
    // "[json.exception.parse_error.101] " prefix.
    std::string message = e.what();
    if (auto bracket = message.find("] "); message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
      message.erase(0, bracket + 2);
    out.value = nullptr;
    out.error = TextError{0, 0, message};
  }
  return out;
}

}  // namespace gwsim::model

namespace gwsim::model {

bool json_deeper_than_limit(const Json& value) {
  std::vector<std::pair<const Json*, int>> pending{{&value, 1}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    if (depth > kMaxNestingDepth) return true;
    for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

}  // namespace gwsim::model
