#include "engine/model/authorization_policy.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "engine/model/snapshot.h"

namespace gwsim::model {
namespace {

Object object_of(const std::string& yaml) {
  auto load = load_manifest_text(yaml, "ap.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  return load.objects.empty() ? Object{} : load.objects.front();
}

const char* kPolicy = R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: httpbin, namespace: foo, annotations: {istio.io/dry-run: "true"}}
spec:
  selector: {matchLabels: {app: httpbin}}
  action: DENY
  rules:
  - from:
    - source:
        principals: [a]
        notPrincipals: [b]
        requestPrincipals: [iss/sub]
        notRequestPrincipals: [x]
        namespaces: [ns]
        notNamespaces: [nns]
        ipBlocks: [10.0.0.0/8]
        notIpBlocks: [10.1.0.0/16]
        remoteIpBlocks: [1.2.3.4]
        notRemoteIpBlocks: [5.6.7.8]
    - {}
    to:
    - operation: {hosts: [h], notHosts: [nh], ports: ['80'], notPorts: ['81'], methods: [GET], notMethods: [PUT], paths: [/p], notPaths: [/q]}
    when:
    - {key: 'request.auth.claims[groups]', values: [g], notValues: [ng]}
  - {}
)";

TEST(AuthorizationPolicyReader, ReadsEveryFieldOfTheRules) {
  std::vector<AuthorizationReadProblem> problems;
  Object o = object_of(kPolicy);
  auto p = read_authorization_policy(o, Meta{"httpbin", "foo"}, problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_TRUE(p.selector);
  EXPECT_EQ(p.selector->at("app"), "httpbin");
  EXPECT_EQ(p.action, "DENY");
  EXPECT_TRUE(p.rules_set);
  ASSERT_EQ(p.rules.size(), 2u);
  const auto& r = p.rules[0];
  ASSERT_EQ(r.from.size(), 2u);
  ASSERT_TRUE(r.from[0].source);
  EXPECT_FALSE(r.from[1].source);  // `{}`: no source written (the webhook refuses it)
  const auto& s = *r.from[0].source;
  EXPECT_EQ(s.principals, std::vector<std::string>{"a"});
  EXPECT_EQ(s.not_principals, std::vector<std::string>{"b"});
  EXPECT_EQ(s.request_principals, std::vector<std::string>{"iss/sub"});
  EXPECT_EQ(s.not_request_principals, std::vector<std::string>{"x"});
  EXPECT_EQ(s.namespaces, std::vector<std::string>{"ns"});
  EXPECT_EQ(s.not_namespaces, std::vector<std::string>{"nns"});
  EXPECT_EQ(s.ip_blocks, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(s.not_ip_blocks, std::vector<std::string>{"10.1.0.0/16"});
  EXPECT_EQ(s.remote_ip_blocks, std::vector<std::string>{"1.2.3.4"});
  EXPECT_EQ(s.not_remote_ip_blocks, std::vector<std::string>{"5.6.7.8"});
  ASSERT_EQ(r.to.size(), 1u);
  const auto& op = *r.to[0].operation;
  EXPECT_EQ(op.hosts, std::vector<std::string>{"h"});
  EXPECT_EQ(op.not_hosts, std::vector<std::string>{"nh"});
  EXPECT_EQ(op.ports, std::vector<std::string>{"80"});
  EXPECT_EQ(op.not_ports, std::vector<std::string>{"81"});
  EXPECT_EQ(op.methods, std::vector<std::string>{"GET"});
  EXPECT_EQ(op.not_methods, std::vector<std::string>{"PUT"});
  EXPECT_EQ(op.paths, std::vector<std::string>{"/p"});
  EXPECT_EQ(op.not_paths, std::vector<std::string>{"/q"});
  ASSERT_EQ(r.when.size(), 1u);
  EXPECT_EQ(r.when[0].key, "request.auth.claims[groups]");
  EXPECT_EQ(r.when[0].values, std::vector<std::string>{"g"});
  EXPECT_EQ(r.when[0].not_values, std::vector<std::string>{"ng"});
  EXPECT_FALSE(p.rules[1].from_set);
  EXPECT_FALSE(p.rules[1].to_set);
}

TEST(AuthorizationPolicyReader, DefaultsAndTargetRefs) {
  std::vector<AuthorizationReadProblem> problems;
  auto p = read_authorization_policy(object_of(R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: a, namespace: istio-system}
spec:
  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]
  provider: {name: ext}
)"),
                                     Meta{"a", "istio-system"}, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(p.action, "ALLOW");  // unset: ALLOW
  EXPECT_FALSE(p.selector);
  EXPECT_FALSE(p.rules_set);
  EXPECT_TRUE(p.provider_set);
  EXPECT_EQ(p.provider, "ext");
  ASSERT_EQ(p.target_refs.size(), 1u);
  EXPECT_EQ(p.target_refs[0].kind, "Gateway");
  EXPECT_EQ(p.target_refs[0].name, "gw");
}

TEST(AuthorizationPolicyReader, WrongTypesAreProblemsNamingTheField) {
  std::vector<AuthorizationReadProblem> problems;
  read_authorization_policy(object_of(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: a}
spec:
  rules: [{to: [{operation: {paths: /not-a-list}}]}]
)"),
                            Meta{"a", "default"}, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pointer, "/spec/rules/0/to/0/operation/paths");
  EXPECT_EQ(problems[0].message, "spec.rules.0.to.0.operation.paths: expected a list of strings, got \"/not-a-list\"");
}

TEST(AuthorizationPolicySnapshot, PoliciesLandInTheSnapshotAndBadOnesAreRefusedWithTheirPlace) {
  auto good = build_snapshot({object_of(kPolicy)});
  EXPECT_TRUE(good.problems.empty());
  ASSERT_EQ(good.snapshot.authorization_policies.size(), 1u);
  EXPECT_EQ(good.snapshot.authorization_policies[0].meta.namespace_, "foo");
  EXPECT_EQ(good.snapshot.authorization_policies[0].meta.annotations.at("istio.io/dry-run"), "true");

  auto bad = build_snapshot({object_of(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: a}
spec:
  action: MAYBE
)")});
  EXPECT_TRUE(bad.snapshot.authorization_policies.empty());
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].where.rfind("ap.yaml:5", 0), 0u) << bad.problems[0].where;
  EXPECT_NE(bad.problems[0].message.find("MAYBE"), std::string::npos) << bad.problems[0].message;
}

TEST(AuthorizationPolicyKind, IsAKnownSnapshotKindOfTheSecurityGroup) {
  const KindInfo* info = find_kind("security.istio.io", "AuthorizationPolicy");
  ASSERT_NE(info, nullptr);
  EXPECT_TRUE(info->in_snapshot);
  EXPECT_EQ(preferred_api_version(*info), "security.istio.io/v1");
}

}  // namespace
}  // namespace gwsim::model
