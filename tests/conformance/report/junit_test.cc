// conformance.xml is well-formed XML (checked by a small strict parser here, and by xmllint
// when the machine has it) with the JUnit shape CI systems read.
#include <cstdlib>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "conformance/report/report.h"
#include "tests/conformance/report/report_fixture.h"

namespace gwsim::conformance::report {
namespace {

using testing::make_report;
using testing::TempDir;

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<std::unique_ptr<Element>> children;
  std::string text;

  std::vector<const Element*> all(const std::string& n) const {
    std::vector<const Element*> out;
    for (const auto& c : children)
      if (c->name == n) out.push_back(c.get());
    return out;
  }
};

// A strict parser for the XML subset JUnit files use: a declaration, elements, attributes in
// double quotes, text, the five predefined entities and character references. Anything else
// (an unescaped '<' or '&', a mismatched end tag, a duplicate attribute, content after the
// root) is an error.
class Parser {
 public:
  explicit Parser(std::string text) : s_(std::move(text)) {}

  std::unique_ptr<Element> parse(std::string& error) {
    try {
      if (s_.rfind("<?xml ", 0) == 0) {
        auto end = s_.find("?>");
        if (end == std::string::npos) fail("unterminated declaration");
        i_ = end + 2;
      }
      space();
      auto root = element();
      space();
      if (i_ != s_.size()) fail("content after the root element");
      return root;
    } catch (const std::string& e) {
      error = e;
      return nullptr;
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) { throw what + " at offset " + std::to_string(i_); }
  void space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::string name() {
    std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '-' ||
                              s_[i_] == ':' || s_[i_] == '.'))
      ++i_;
    if (start == i_) fail("expected a name");
    return s_.substr(start, i_ - start);
  }
  std::string chars(char stop) {
    std::string out;
    while (i_ < s_.size() && s_[i_] != stop) {
      char c = s_[i_];
      if (c == '<') fail("unescaped <");
      if (c == '&') {
        auto end = s_.find(';', i_);
        if (end == std::string::npos) fail("unterminated entity");
        std::string entity = s_.substr(i_ + 1, end - i_ - 1);
        static const std::map<std::string, std::string> known = {
            {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
        if (auto it = known.find(entity); it != known.end()) out += it->second;
        else if (entity.size() > 1 && entity[0] == '#') out += '?';
        else fail("unknown entity &" + entity + ";");
        i_ = end + 1;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') fail("control character");
      out += c;
      ++i_;
    }
    return out;
  }
  std::unique_ptr<Element> element() {
    if (s_.compare(i_, 1, "<") != 0) fail("expected <");
    ++i_;
    auto e = std::make_unique<Element>();
    e->name = name();
    for (;;) {
      space();
      if (s_.compare(i_, 2, "/>") == 0) {
        i_ += 2;
        return e;
      }
      if (s_.compare(i_, 1, ">") == 0) {
        ++i_;
        break;
      }
      std::string key = name();
      if (s_.compare(i_, 2, "=\"") != 0) fail("expected =\"");
      i_ += 2;
      std::string value = chars('"');
      if (i_ >= s_.size()) fail("unterminated attribute");
      ++i_;
      if (!e->attributes.emplace(key, value).second) fail("duplicate attribute " + key);
    }
    for (;;) {
      e->text += chars('<');
      if (i_ >= s_.size()) fail("unterminated element " + e->name);
      if (s_.compare(i_, 2, "</") == 0) {
        i_ += 2;
        if (name() != e->name) fail("mismatched end tag for " + e->name);
        space();
        if (s_.compare(i_, 1, ">") != 0) fail("expected >");
        ++i_;
        return e;
      }
      e->children.push_back(element());
    }
  }

  std::string s_;
  std::size_t i_ = 0;
};

TEST(ReportJunit, ParserRejectsMalformedXml) {
  for (const char* bad : {"<a><b></a>", "<a x=\"1\" x=\"2\"/>", "<a>1 < 2</a>", "<a>&nbsp;</a>", "<a/><b/>"}) {
    std::string error;
    EXPECT_EQ(Parser(bad).parse(error), nullptr) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(ReportJunit, WellFormedWithOneTestcasePerStep) {
  TempDir dir;
  for (bool timestamps : {false, true}) {
    Report report = make_report(dir, timestamps);
    std::string xml = to_junit_xml(report);
    std::string error;
    auto root = Parser(xml).parse(error);
    ASSERT_NE(root, nullptr) << error << "\n" << xml;
    EXPECT_EQ(root->name, "testsuites");
    EXPECT_EQ(root->attributes.count("time"), timestamps ? 1u : 0u);

    auto suites = root->all("testsuite");
    ASSERT_EQ(suites.size(), report.scenarios.size());
    int testcases = 0, failures = 0, skipped = 0, errors = 0;
    std::map<std::string, const Element*> by_name;
    for (const Element* suite : suites) {
      by_name[suite->attributes.at("name")] = suite;
      auto cases = suite->all("testcase");
      EXPECT_EQ(std::to_string(cases.size()), suite->attributes.at("tests")) << suite->attributes.at("name");
      testcases += static_cast<int>(cases.size());
      for (const Element* c : cases) {
        EXPECT_EQ(c->attributes.at("classname"), suite->attributes.at("name"));
        failures += static_cast<int>(c->all("failure").size());
        skipped += static_cast<int>(c->all("skipped").size());
        errors += static_cast<int>(c->all("error").size());
      }
    }
    EXPECT_EQ(std::to_string(testcases), root->attributes.at("tests"));
    EXPECT_EQ(std::to_string(failures), root->attributes.at("failures"));
    EXPECT_EQ(std::to_string(skipped), root->attributes.at("skipped"));
    EXPECT_EQ(std::to_string(errors), root->attributes.at("errors"));
    EXPECT_EQ(failures, 1);  // wrong-status
    EXPECT_EQ(skipped, 2);   // the failing known deviation's step, and skipped-one
    EXPECT_EQ(errors, 1);    // bad-one

    const Element* wrong = by_name.at("wrong-status")->all("testcase").at(0);
    EXPECT_EQ(wrong->attributes.at("name"), "expects 503");
    const Element* failure = wrong->all("failure").at(0);
    EXPECT_EQ(failure->attributes.at("message"), "status: expected 503, got 200 (and 1 more)");
    EXPECT_NE(failure->text.find("decision trace"), std::string::npos) << failure->text;
    EXPECT_EQ(by_name.at("known-and-failing")->all("testcase").at(0)->all("skipped").at(0)->attributes.at("message"),
              "known deviation: other hosts not modelled");
  }
}

TEST(ReportJunit, AcceptedByXmllintWhenPresent) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint not installed";
  TempDir dir;
  std::string file = dir.write("conformance.xml", to_junit_xml(make_report(dir, true)));
  EXPECT_EQ(std::system(("xmllint --noout '" + file + "'").c_str()), 0);
}

}  // namespace
}  // namespace gwsim::conformance::report
