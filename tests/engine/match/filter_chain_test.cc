#include "engine/match/filter_chain.h"

#include <gtest/gtest.h>

namespace gwsim::match {
namespace {

route::FilterChain chain(std::string name, std::vector<std::string> server_names, std::string tls_mode) {
  route::FilterChain c;
  c.name = std::move(name);
  c.server_names = std::move(server_names);
  c.tls_mode = std::move(tls_mode);
  if (!c.tls_mode.empty() && c.tls_mode != "PASSTHROUGH") c.credential = route::TlsCredential{"ns/cert", "c", "k", "ca"};
  return c;
}

route::Listener listener() {
  route::Listener l;
  l.name = "0.0.0.0_8443";
  l.filter_chains = {chain("wild", {"*.example.com"}, "SIMPLE"), chain("exact", {"a.example.com"}, "MUTUAL"),
                     chain("longer", {"*.b.example.com"}, "SIMPLE"), chain("any", {}, "")};
  return l;
}

RoutingResult run(const route::Listener& l, http::Request r) {
  RoutingResult out;
  out.listener = &l;
  match_filter_chain(r, out);
  return out;
}

http::Request tls(std::string sni) {
  http::Request r;
  r.scheme = "https";
  r.sni = std::move(sni);
  r.client_certificate = true;
  return r;
}

TEST(FilterChainStage, ExactServerNameBeatsTheLongestWildcardWhichBeatsTheShorter) {
  auto l = listener();
  EXPECT_EQ(select_filter_chain(l, "a.example.com")->name, "exact");
  EXPECT_EQ(select_filter_chain(l, "x.b.example.com")->name, "longer");
  EXPECT_EQ(select_filter_chain(l, "c.example.com")->name, "wild");
  EXPECT_EQ(select_filter_chain(l, "other.io")->name, "any");
  EXPECT_EQ(select_filter_chain(l, "")->name, "any");  // no SNI: only chains without names
}

TEST(FilterChainStage, AcceptsAndRecordsTheChain) {
  auto l = listener();
  auto out = run(l, tls("c.example.com"));
  EXPECT_EQ(out.filter_chain->name, "wild");
  EXPECT_EQ(out.trace.filter_chain, "wild");
  EXPECT_EQ(out.trace.tls_mode, "SIMPLE");
  EXPECT_EQ(out.trace.sni, "c.example.com");
}

TEST(FilterChainStage, TlsMismatchesAndMissingCertificatesCloseTheConnection) {
  auto l = listener();
  auto plaintext_to_tls = tls("a.example.com");
  plaintext_to_tls.scheme = "http";
  plaintext_to_tls.host = "a.example.com";
  // Plaintext carries no SNI: the chain without names takes it, a plaintext one.
  EXPECT_EQ(run(l, plaintext_to_tls).filter_chain->name, "any");

  auto tls_to_plaintext = run(l, tls("other.io"));
  EXPECT_EQ(tls_to_plaintext.trace.outcome, Outcome::kTlsError);
  EXPECT_NE(tls_to_plaintext.trace.detail.find("plaintext HTTP server"), std::string::npos);

  auto no_client_cert = tls("a.example.com");
  no_client_cert.client_certificate = false;
  auto mutual = run(l, no_client_cert);
  EXPECT_EQ(mutual.trace.outcome, Outcome::kTlsError);
  EXPECT_EQ(mutual.trace.detail, "MUTUAL TLS: the client presented no certificate");

  route::Listener tls_only;
  tls_only.name = "0.0.0.0_8443";
  tls_only.filter_chains = {chain("simple", {}, "SIMPLE")};
  http::Request plaintext;
  auto refused_plaintext = run(tls_only, plaintext);
  EXPECT_EQ(refused_plaintext.trace.outcome, Outcome::kTlsError);
  EXPECT_EQ(refused_plaintext.trace.detail, "plaintext request to a SIMPLE TLS server");

  route::Listener only_named;
  only_named.name = "0.0.0.0_8443";
  only_named.filter_chains = {chain("exact", {"a.example.com"}, "SIMPLE")};
  auto none = run(only_named, tls("z.io"));
  EXPECT_EQ(none.trace.outcome, Outcome::kNoFilterChain);
  EXPECT_EQ(none.trace.detail, "no filter chain on 0.0.0.0_8443 matches SNI \"z.io\"");
}

TEST(FilterChainStage, AFailedHandshakeIsATlsErrorWithDecisionModesReasonForMutual) {
  auto l = listener();
  auto simple = run(l, tls("c.example.com"));
  tls_handshake_failed(simple, "unknown ca");
  EXPECT_EQ(simple.trace.outcome, Outcome::kTlsError);
  EXPECT_EQ(simple.trace.detail, "TLS handshake failed: unknown ca");
  auto mutual = run(l, tls("a.example.com"));
  tls_handshake_failed(mutual, "peer did not return a certificate");
  EXPECT_EQ(mutual.trace.detail, "MUTUAL TLS: the client presented no certificate");
}

}  // namespace
}  // namespace gwsim::match
