// The scenario loader's strict YAML reader: positions, hints, ranges and YAML 1.2 booleans.
#include "conformance/scenario_parser.h"

#include <gtest/gtest.h>

namespace gwsim::conformance::detail {
namespace {

YAML::Node yaml(const std::string& text) { return YAML::Load(text); }

TEST(StrictYamlReader, UnknownFieldGetsAHintWithItsPosition) {
  StrictYamlReader reader("s.yaml");
  EXPECT_TRUE(reader.mapping(yaml("host: a\nheders: {}\n"), "request", {"host", "headers"}));
  ASSERT_EQ(reader.errors.size(), 1u);
  EXPECT_EQ(reader.errors[0].where, "s.yaml:2:1");
  EXPECT_EQ(reader.errors[0].message, "request: unknown field \"heders\"; did you mean \"headers\"?");
}

TEST(StrictYamlReader, NonMappingIsAnError) {
  StrictYamlReader reader("s.yaml");
  EXPECT_FALSE(reader.mapping(yaml("[a, b]"), "spec", {"steps"}));
  ASSERT_EQ(reader.errors.size(), 1u);
  EXPECT_EQ(reader.errors[0].message, "spec: expected a mapping, got a list");
}

TEST(StrictYamlReader, IntegersAreCheckedForRange) {
  StrictYamlReader reader("s.yaml");
  EXPECT_EQ(reader.integer(yaml("443"), "port", 1, 65535), 443);
  EXPECT_FALSE(reader.integer(yaml("70000"), "port", 1, 65535).has_value());
  EXPECT_FALSE(reader.integer(yaml("12ab"), "port", 1, 65535).has_value());
  ASSERT_EQ(reader.errors.size(), 2u);
  EXPECT_EQ(reader.errors[0].message, "port: 70000 is out of range [1, 65535]");
  EXPECT_EQ(reader.errors[1].message, "port: expected an integer, got \"12ab\"");
}

// Issue #15: "80" is a string to Kubernetes' decoder, and the docs call a quoted integer an error.
TEST(StrictYamlReader, QuotedIntegersAndNumbersAreStrings) {
  StrictYamlReader reader("s.yaml");
  EXPECT_FALSE(reader.integer(yaml("\"80\""), "port", 1, 65535).has_value());
  EXPECT_FALSE(reader.integer(yaml("'80'"), "port", 1, 65535).has_value());
  EXPECT_FALSE(reader.number(yaml("\"0.5\""), "tolerance", 0, 1).has_value());
  EXPECT_EQ(reader.integer(yaml("80"), "port", 1, 65535), 80);
  ASSERT_EQ(reader.errors.size(), 3u);
  EXPECT_EQ(reader.errors[0].message, "port: expected an integer, got the string \"80\" (write it without quotes)");
  EXPECT_EQ(reader.errors[2].message, "tolerance: expected a number, got the string \"0.5\" (write it without quotes)");
}

// Issue #15: CR or LF in a header value would end the header on the wire (datapath mode writes
// it), injecting another header; names must be RFC 9110 tokens.
TEST(StrictYamlReader, HeadersCannotBreakTheRequest) {
  StrictYamlReader reader("s.yaml");
  auto headers = reader.header_list(yaml("x-tag: \"a\\r\\nx-injected: 1\"\nx-list: [ok, \"b\\nc\"]\n\"x tag\": v\nx-ok: fine\n"),
                                    "headers");
  EXPECT_EQ(headers, (std::vector<std::pair<std::string, std::string>>{{"x-list", "ok"}, {"x tag", "v"}, {"x-ok", "fine"}}));
  ASSERT_EQ(reader.errors.size(), 3u);
  EXPECT_EQ(reader.errors[0].message,
            "headers.x-tag: a header value may not contain CR, LF or NUL (it would end the header on the wire)");
  EXPECT_EQ(reader.errors[1].message,
            "headers.x-list[1]: a header value may not contain CR, LF or NUL (it would end the header on the wire)");
  EXPECT_EQ(reader.errors[2].message,
            "headers.x tag: not a header name (RFC 9110 allows letters, digits and !#$%&'*+-.^_`|~)");
}

TEST(StrictYamlReader, BooleansAreYaml12CoreOnly) {
  StrictYamlReader reader("s.yaml");
  EXPECT_EQ(reader.boolean(yaml("true"), "tls"), true);
  EXPECT_EQ(reader.boolean(yaml("False"), "tls"), false);
  EXPECT_FALSE(reader.boolean(yaml("yes"), "tls").has_value()) << "YAML 1.1's yes is not a boolean";
  EXPECT_FALSE(reader.boolean(yaml("\"true\""), "tls").has_value()) << "a quoted string is not a boolean";
  EXPECT_EQ(reader.errors.size(), 2u);
}

TEST(StrictYamlReader, StringMapKeepsOrderAndReportsDuplicates) {
  StrictYamlReader reader("s.yaml");
  auto headers = reader.string_map(yaml("b: 1\na: 2\nb: 3\n"), "headers");
  EXPECT_EQ(headers, (std::vector<std::pair<std::string, std::string>>{{"b", "1"}, {"a", "2"}, {"b", "3"}}));
  ASSERT_EQ(reader.errors.size(), 1u);
  EXPECT_EQ(reader.errors[0].message, "headers.b: duplicate field");
}

}  // namespace
}  // namespace gwsim::conformance::detail
